"""wechat_channel.trust: which variables an account may name and which hosts may receive its secret (A15)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel import trust
from wechat_channel.models import WeChatAccount
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import PERMANENT, WeChatCallError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["WECHAT_NEWS_SECRET", "WECHAT_X", "WECHAT_COLLEGE_2_AES_KEY"])
def test_wechat_variables_of_their_own_are_accepted(name):
    trust.validate_secret_variable(name)


@pytest.mark.parametrize(
    "name",
    [
        "SECRET_KEY",
        "DATABASE_URL",
        "EMAIL_HOST_PASSWORD",
        "REDIS_URL",
        "POLICY_API_TOKENS",
        "CAMPUS_SECRET",  # any other variable of the server, not only the well-known ones
        "WECHAT_",
        "wechat_news_secret",
        "WECHAT_NEWS-SECRET",
        "WECHAT_API_BASE_URL",  # the channel's own configuration
        "WECHAT_ALLOWED_API_HOSTS",
        "WECHAT_CHANNEL",  # a Django setting
    ],
)
def test_other_variables_and_the_sites_own_settings_are_refused(name):
    with pytest.raises(ValidationError):
        trust.validate_secret_variable(name)
    assert not trust.secret_variable_allowed(name)


@pytest.mark.parametrize(
    "url",
    [
        "https://api.weixin.qq.com",
        "https://api.weixin.qq.com/",
        "https://API.weixin.qq.com:443",
        "http://127.0.0.1:8765",
        "http://127.8.9.10",
        "https://localhost:9000",
        "http://[::1]:8765",
    ],
)
def test_wechat_and_loopback_addresses_are_accepted(url):
    trust.validate_api_base_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://api.weixin.qq.com",  # not over TLS
        "https://api.weixin.qq.com:8443",
        "https://api.weixin.qq.com.collector.example.net",
        "https://api.weixin.qq.com@collector.example.net",
        "https://user:pw@api.weixin.qq.com",
        "http://10.0.0.5:8080",
        "http://0.0.0.0:8765",
        "ftp://127.0.0.1",
    ],
)
def test_other_api_addresses_are_refused(url):
    with pytest.raises(ValidationError):
        trust.validate_api_base_url(url)


def test_the_authorization_address_is_wechats_open_host():
    trust.validate_oauth_base_url("https://open.weixin.qq.com")
    with pytest.raises(ValidationError):
        trust.validate_oauth_base_url("https://collector.example.net")


def test_hosts_the_operator_lists_are_accepted(settings):
    settings.WECHAT_CHANNEL = {
        "ALLOWED_API_HOSTS": ("wx-proxy.example.edu.cn", "gw.example.edu.cn:8443", "http://10.0.0.5:8080")
    }

    for url in ("https://wx-proxy.example.edu.cn", "https://gw.example.edu.cn:8443/", "http://10.0.0.5:8080"):
        trust.validate_api_base_url(url)
        trust.validate_oauth_base_url(url)
    for url in ("http://wx-proxy.example.edu.cn", "https://gw.example.edu.cn", "http://10.0.0.5:8081"):
        with pytest.raises(ValidationError):
            trust.validate_api_base_url(url)


def test_the_site_default_set_by_the_operator_is_trusted(settings):
    settings.WECHAT_CHANNEL = {"API_BASE_URL": "https://wx-egress.example.edu.cn"}
    account = WeChatAccount(slug="news", appid=APPID, secret_env="WECHAT_NEWS_SECRET")

    assert trust.problems(account) == []


@pytest.fixture
def stored(sandbox, monkeypatch):
    """An account row as an old one could be: it names the site's SECRET_KEY, its address is the sandbox."""
    cache.clear()
    monkeypatch.setenv("SECRET_KEY", SECRET)  # would even be accepted by the sandbox
    account = WeChatAccount.objects.create(name="旧", slug="old", appid=APPID, api_base_url=sandbox.url)
    WeChatAccount.objects.filter(pk=account.pk).update(secret_env="SECRET_KEY")
    account.refresh_from_db()
    return account


def test_a_stored_account_breaking_the_rules_reads_no_secret_and_sends_nothing(stored, sandbox):
    client = client_for(stored)

    result = client.health.check_token()
    with pytest.raises(trust.UntrustedAccount) as refused:
        client.post("draft/batchget", {"offset": 0, "count": 1})
    with pytest.raises(WeChatCallError):
        client.web_auth.authorize_url("https://news.example.edu.cn/wechat/bind/old/", "state")

    assert stored.secret == ""
    assert result["ok"] is False and result["error"]["kind"] == PERMANENT
    assert "SECRET_KEY" in result["error"]["message_en"] and "WECHAT_" in result["error"]["message_zh"]
    assert refused.value.kind == PERMANENT and not refused.value.lost
    assert sandbox.calls.as_list() == []


def test_a_stored_refusal_reads_as_a_refusal_once_the_account_is_fixed(stored):
    """A push's history keeps the refusal's fields; read later (the account corrected meanwhile), it still says
    nothing was sent and who must act, never "unknown error code refused"."""
    stored_error = trust.refusal(stored).as_dict()
    WeChatAccount.objects.filter(pk=stored.pk).update(secret_env="WECHAT_OLD_SECRET")

    reread = WeChatCallError.from_dict(stored_error)

    assert reread.kind == PERMANENT
    assert reread.message("zh-hans").startswith("未发送：") and "渠道管理员" in reread.message("zh-hans")
    assert reread.message("en").startswith("Nothing was sent: the site refused to use this account")
    assert "error code" not in reread.message("en") and "错误码" not in reread.message("zh-hans")
