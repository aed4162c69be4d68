"""A bound member of staff unfollowing reaches the site: the sandbox pushes the signed, encrypted `unsubscribe`
event to the live callback endpoint, and the binding says "does not follow" (A21)."""

import re
from html import unescape

import pytest
import requests
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse

from tests.wechat_channel.sandbox_access import APPID, SECRET, wait_for
from wechat_channel import bindings
from wechat_channel.models import FollowerActivity, FollowerBinding, WeChatAccount
from wechat_channel.sandbox.followers import default_openids

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOKEN = "site-callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
S = FollowerBinding.Subscription
FOLLOWER = default_openids(APPID)[3]


@pytest.fixture
def account(sandbox, live_server, monkeypatch):
    cache.clear()
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    monkeypatch.setenv("WECHAT_CAMPUS_TOKEN", TOKEN)
    monkeypatch.setenv("WECHAT_CAMPUS_AES_KEY", AES_KEY)
    account = WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid=APPID,
        api_base_url=sandbox.url,
        secret_env="WECHAT_CAMPUS_SECRET",
        callback_token_env="WECHAT_CAMPUS_TOKEN",
        aes_key_env="WECHAT_CAMPUS_AES_KEY",
    )
    callback_url = live_server.url + reverse("wechat_callback", args=[account.slug])
    body = {"appid": APPID, "callback_url": callback_url, "callback_token": TOKEN, "encoding_aes_key": AES_KEY}
    requests.post(sandbox.url + "/sandbox/accounts", json=body, timeout=5).raise_for_status()
    return account


def follower_event(sandbox, event, openid):
    body = {"appid": APPID, "openid": openid, "wait": True}
    requests.post(f"{sandbox.url}/sandbox/followers/{event}", json=body, timeout=20).raise_for_status()


def state_of(binding):
    binding.refresh_from_db()
    return binding.subscription


def test_unfollowing_and_following_again_reach_the_binding(account, sandbox, django_user_model):
    openid = default_openids(APPID)[0]
    staff = django_user_model.objects.create_user(username="teacher")
    binding = bindings.bind(staff, account, openid, by=staff)
    assert binding.subscription == S.UNKNOWN

    follower_event(sandbox, "unsubscribe", openid)
    assert wait_for(lambda: state_of(binding) == S.UNSUBSCRIBED, seconds=10)
    assert binding.subscription_source == FollowerBinding.Source.CALLBACK
    assert FollowerActivity.objects.filter(openid=openid, kind="unsubscribe").exists()  # A14 records it too

    sandbox.state.clock.advance(60)  # a later CreateTime: WeChat's events carry their own time
    follower_event(sandbox, "subscribe", openid)
    assert wait_for(lambda: state_of(binding) == S.SUBSCRIBED, seconds=10)


def test_binding_an_openid_that_already_left_starts_from_that_event(account, sandbox, django_user_model):
    openid = default_openids(APPID)[1]
    follower_event(sandbox, "unsubscribe", openid)
    assert wait_for(lambda: FollowerActivity.objects.filter(openid=openid).exists(), seconds=10)
    staff = django_user_model.objects.create_user(username="teacher")

    binding = bindings.bind(staff, account, openid, by=staff)

    assert binding.subscription == S.UNSUBSCRIBED


def test_the_whole_binding_flow_over_http(account, sandbox, live_server, django_user_model):
    """Admin page on the live site → its link into the sandbox's WeChat → choose a follower → back → bound."""
    account.oauth_base_url = sandbox.url
    account.save()
    staff = django_user_model.objects.create_user(username="teacher", password="pw")
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))  # any admin user may bind (A21)
    browser = requests.Session()
    login = browser.get(live_server.url + "/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    browser.post(
        live_server.url + "/admin/login/",
        data={"username": "teacher", "password": "pw", "csrfmiddlewaretoken": token},
        headers={"Referer": live_server.url + "/admin/login/"},
        timeout=10,
    )

    page = browser.get(live_server.url + reverse("wechat_admin:bind"), timeout=10)
    link = unescape(re.search(r'href="([^"]+)" data-bind-link', page.text).group(1))
    authorize = requests.get(link, timeout=10)  # the phone: not signed in to the admin
    choice = unescape(re.search(rf'data-openid="{FOLLOWER}" href="([^"]+)"', authorize.text).group(1))
    back = requests.get(sandbox.url + choice, timeout=10)  # 302 to /wechat/bind/campus/?code=…&state=…, followed

    assert back.url.startswith(live_server.url + "/wechat/bind/campus/?code=")
    assert back.status_code == 200 and 'data-outcome="bound"' in back.text
    assert FollowerBinding.objects.get().openid == FOLLOWER
    mine = browser.get(live_server.url + reverse("wechat_admin:bind"), timeout=10).text
    assert "data-bound" in mine and FOLLOWER not in mine
