"""Staff bind their WeChat (A21): the admin page, WeChat's web authorization on the live sandbox, and back.

The site side runs in Django's test client; every WeChat step (authorize page, code exchange, user
information) is a real HTTP call to the sandbox.
"""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from tests.wechat_channel.admin_factories import make_account, refused
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel import bindings
from wechat_channel.models import FollowerBinding
from wechat_channel.sandbox.followers import default_openids

S = FollowerBinding.Subscription
FOLLOWER, OTHER_FOLLOWER = default_openids(APPID)[:2]


@pytest.fixture
def account(db, sandbox, monkeypatch):
    cache.clear()
    monkeypatch.setenv("WECHAT_BIND_SECRET", SECRET)
    return make_account(
        appid=APPID, api_base_url=sandbox.url, oauth_base_url=sandbox.url, secret_env="WECHAT_BIND_SECRET"
    )


def bind_link(client, user):
    """The binding link the user's admin page offers (what the QR code holds)."""
    client.force_login(user)
    page = client.get(reverse("wechat_admin:bind"))
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r"data-qr><svg", html)  # the QR code
    return unescape(re.search(r'href="([^"]+)" data-bind-link', html).group(1))


def authorize_as(link, openid):
    """Open the link in the sandbox's WeChat, choose `openid`: the site URL WeChat sends the phone back to."""
    page = requests.get(link.split("#")[0], timeout=5)
    assert page.status_code == 200
    choice = unescape(re.search(rf'data-openid="{openid}" href="([^"]+)"', page.text).group(1))
    answer = requests.get(
        urlsplit(link)._replace(path="", query="", fragment="").geturl() + choice, timeout=5, allow_redirects=False
    )
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    return f"{back.path}?{back.query}"


def come_back(client, url):
    client.logout()  # the phone's WeChat browser is not signed in to the admin
    return client.get(url)


def shown(message, response):
    """The page carries `message` in the site's language (Chinese by default)."""
    with translation.override(settings.LANGUAGE_CODE):
        return escape(translation.gettext(message)) in response.content.decode()


def bind(client, user, openid=FOLLOWER):
    return come_back(client, authorize_as(bind_link(client, user), openid))


def test_a_member_of_staff_binds_their_wechat_through_the_sandbox(client, people, account, sandbox):
    link = bind_link(client, people["office"])
    assert link.startswith(sandbox.url + "/connect/oauth2/authorize?appid=" + APPID)
    assert "scope=snsapi_base" in link and link.endswith("#wechat_redirect")

    response = come_back(client, authorize_as(link, FOLLOWER))

    assert response.status_code == 200 and b'data-outcome="bound"' in response.content
    binding = FollowerBinding.objects.get()
    assert (binding.user, binding.account, binding.openid) == (people["office"], account, FOLLOWER)
    # Asked at once (user/info/batchget): the office sees the new binding as following without waiting a day.
    assert (binding.subscription, binding.subscription_source) == (S.SUBSCRIBED, FollowerBinding.Source.CHECK)
    entry = ModelLogEntry.objects.get(action=bindings.BIND_ACTION)
    assert entry.user == people["office"] and entry.data["openid"] == binding.masked_openid
    client.force_login(people["office"])
    page = client.get(reverse("wechat_admin:bind")).content.decode()
    assert binding.masked_openid in page and FOLLOWER not in page and "data-qr" not in page


def test_every_admin_user_may_open_the_binding_page(client, people, account):
    for name in ("contributor", "head_a", "leader_a", "college_leader", "channel", "policy"):
        client.force_login(people[name])
        assert client.get(reverse("wechat_admin:bind")).status_code == 200
        assert reverse("wechat_admin:bind") in client.get("/admin/").content.decode()  # under the WeChat menu


def _state_url(client, user, **changes):
    url = authorize_as(bind_link(client, user), FOLLOWER)
    path, query = url.split("?", 1)
    params = {key: values[0] for key, values in parse_qs(query).items()}
    return path + "?" + urlencode({**params, **changes})


def test_a_tampered_state_binds_nothing(client, people, account):
    state = bindings.make_state(people["office"], account)
    url = _state_url(client, people["office"], state=state[:-3] + "abc")

    response = come_back(client, url)

    assert response.status_code == 400 and shown(
        "This binding link is not valid. Open the binding page again.", response
    )
    assert not FollowerBinding.objects.exists()


def test_an_expired_state_binds_nothing(client, people, account, monkeypatch):
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - bindings.STATE_MAX_AGE - 60)
    old_state = bindings.make_state(people["office"], account)
    monkeypatch.setattr(signing.time, "time", real_time)

    response = come_back(client, _state_url(client, people["office"], state=old_state))

    assert response.status_code == 400 and shown(
        "This binding link has expired. Open the binding page again for a new one.", response
    )
    assert not FollowerBinding.objects.exists()


def test_a_state_for_another_account_binds_nothing(client, people, account):
    url = _state_url(client, people["office"])  # the return to `account`, taken while it is the only account
    other = make_account()
    path, query = url.split("?", 1)
    params = {key: values[0] for key, values in parse_qs(query).items()}
    url = path + "?" + urlencode({**params, "state": bindings.make_state(people["office"], other)})
    assert come_back(client, url).status_code == 400
    assert not FollowerBinding.objects.exists()


def test_a_used_or_invalid_code_binds_nothing(client, people, account):
    url = authorize_as(bind_link(client, people["office"]), FOLLOWER)
    assert come_back(client, url).status_code == 200
    FollowerBinding.objects.all().delete()

    again = come_back(client, url)  # WeChat's 40163: code been used
    invalid = come_back(client, _state_url(client, people["office"], code="not-a-code"))  # 40029

    assert again.status_code == 400 and b"40163" in again.content
    assert invalid.status_code == 400 and b"40029" in invalid.content
    assert not FollowerBinding.objects.exists()


def test_someone_elses_wechat_is_refused(client, people, account):
    assert bind(client, people["office"]).status_code == 200

    response = bind(client, people["head_a"])

    assert response.status_code == 400 and b'data-outcome="refused"' in response.content
    assert list(FollowerBinding.objects.values_list("user__username", flat=True)) == ["office"]


def test_binding_again_replaces_the_users_openid(client, people, account):
    bind(client, people["office"])
    bindings.bind(people["office"], account, OTHER_FOLLOWER, by=people["office"])
    assert list(FollowerBinding.objects.values_list("openid", flat=True)) == [OTHER_FOLLOWER]


def _binding(user, account, openid):
    return bindings.bind(user, account, openid, by=user)


def test_users_unbind_themselves_and_only_channel_administrators_unbind_others(client, people, account):
    mine = _binding(people["head_a"], account, FOLLOWER)
    theirs = _binding(people["office"], account, OTHER_FOLLOWER)
    client.force_login(people["head_a"])

    assert refused(client.post(reverse("wechat_admin:unbind", args=[theirs.pk])))
    assert client.post(reverse("wechat_admin:unbind", args=[mine.pk])).status_code == 302
    assert list(FollowerBinding.objects.all()) == [theirs]

    client.force_login(people["office"])  # the office sees the report but unbinds nobody else
    third = _binding(people["contributor"], account, default_openids(APPID)[3])
    assert refused(client.post(reverse("wechat_admin:unbind", args=[third.pk])))

    client.force_login(people["channel"])
    assert client.post(reverse("wechat_admin:unbind", args=[theirs.pk])).status_code == 302
    assert list(FollowerBinding.objects.all()) == [third]
    unbinds = ModelLogEntry.objects.filter(action=bindings.UNBIND_ACTION).order_by("pk")
    assert [(e.user.username, e.data["user"]) for e in unbinds] == [("head_a", "head_a"), ("channel", "office")]


def test_check_now_asks_wechat_in_batches_of_100_and_records_who_follows(client, people, account, sandbox):
    leaver = default_openids(APPID)[4]
    _binding(people["office"], account, FOLLOWER)
    _binding(people["head_a"], account, leaver)
    requests.post(sandbox.url + "/sandbox/followers/unsubscribe", json={"appid": APPID, "openid": leaver}, timeout=5)
    client.force_login(people["contributor"])
    assert refused(client.post(reverse("wechat_admin:bindings_check")))

    client.force_login(people["channel"])
    response = client.post(reverse("wechat_admin:bindings_check"), {"next": "/admin/"})

    assert response.status_code == 302 and response.url == "/admin/"
    states = dict(FollowerBinding.objects.values_list("user__username", "subscription"))
    assert states == {"office": S.SUBSCRIBED, "head_a": S.UNSUBSCRIBED}
    assert set(FollowerBinding.objects.values_list("subscription_source", flat=True)) == {"check"}


def test_the_check_splits_many_bindings_into_calls_of_at_most_100(people, account, sandbox, django_user_model):
    openids = [f"oStaff{n:022d}" for n in range(150)]
    requests.post(sandbox.url + "/sandbox/followers", json={"appid": APPID, "openids": openids[:120]}, timeout=5)
    for n, openid in enumerate(openids[:120]):
        user = django_user_model.objects.create_user(username=f"staff{n}")
        FollowerBinding.objects.create(user=user, account=account, openid=openid, bound_at="2026-01-01T00:00Z")

    counts = bindings.check_all()[account.slug]

    assert counts[S.SUBSCRIBED] == 120
    calls = sandbox.calls.as_list(path="/cgi-bin/user/info/batchget")
    assert [c["errcode"] for c in calls] == [0, 0]


def test_a_binding_whose_first_check_fails_is_kept_and_left_to_the_daily_check(client, people, account, sandbox):
    faults = {"paths": {"user/info/batchget": {"system_error": 1}}}
    requests.post(sandbox.url + "/sandbox/faults", json=faults, timeout=5).raise_for_status()

    response = bind(client, people["office"])

    assert response.status_code == 200 and b'data-outcome="bound"' in response.content
    binding = FollowerBinding.objects.get()
    assert (binding.openid, binding.subscription) == (FOLLOWER, S.UNKNOWN)
