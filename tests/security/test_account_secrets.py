"""Hole 3: a channel administrator must not be able to read a server secret through a WeChat account.

The attack: name one of the site's own variables (EMAIL_HOST_PASSWORD, SECRET_KEY, DATABASE_URL) as the account's
AppSecret variable, point its API address at a host the attacker owns, open 微信 → Health, and receive the value as
the "AppSecret". Refused on save (wechat_channel.trust validators on the model) and at the point of use (the client
and Health refuse a stored account that breaks the rules: a row saved before them, or edited in the database).
A15: the platform settings belong to the channel administrators, the server's secrets to the operator.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from django.core.cache import cache
from wagtail.models import ModelLogEntry

from tests.security.visitor import assert_no_server_error
from wechat_channel.models import WeChatAccount

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SITE_SECRET = "site-secret-value-that-must-never-leave-0123456789"
ATTACKER_URL = "https://collector.example.net"
HEALTH = "/admin/wechat/health/"
BIND = "/admin/wechat/bind/"


class Recorder(ThreadingHTTPServer):
    """A host the attacker owns, on loopback here: records every request and answers like WeChat's token API."""

    def __init__(self):
        self.requests = []
        super().__init__(("127.0.0.1", 0), RecordingHandler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()


class RecordingHandler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.requests.append((self.command, self.path, self.rfile.read(length).decode("utf-8", "replace")))
        body = json.dumps({"errcode": 0, "access_token": "stolen", "expires_in": 7200, "ip_list": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = Recorder()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def outgoing(monkeypatch):
    """Every request this process sends to a host other than loopback, stopped before it leaves (the live server
    runs in this process, so its requests pass here too)."""
    sent = []
    original = requests.adapters.HTTPAdapter.send

    def send(adapter, request, *args, **kwargs):
        host = urlsplit(request.url).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            sent.append((request.url, request.body))
            raise requests.ConnectionError(f"test: {host} is not reachable")
        return original(adapter, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return sent


@pytest.fixture
def site_secrets(monkeypatch):
    """The site's own secrets hold a value the attacker wants; the account's own variable holds a harmless one."""
    for name in ("EMAIL_HOST_PASSWORD", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.setenv(name, SITE_SECRET)
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", "campus-appsecret")
    cache.clear()  # no token cached by another test: a token fetch must be attempted


@pytest.fixture
def account(people):
    return WeChatAccount.objects.create(
        name="瑞安学院", slug="raxy", appid="wx00000000000000a1", secret_env="WECHAT_CAMPUS_SECRET"
    )


def edit_path(account):
    return f"/admin/wechat/accounts/edit/{account.pk}/"


def account_form(account, **changes):
    data = {
        "name": account.name,
        "slug": account.slug,
        "wechat_id": account.wechat_id,
        "original_id": account.original_id,
        "appid": account.appid,
        "kind": account.kind,
        "secret_env": account.secret_env,
        "callback_token_env": account.callback_token_env,
        "aes_key_env": account.aes_key_env,
        "callback_mode": account.callback_mode,
        "api_base_url": account.api_base_url,
        "oauth_base_url": account.oauth_base_url,
        "delivery_mode": account.delivery_mode,
        "policy_scope": account.policy_scope,
        "push_approved": "on",
        "preview_wxnames": "",
        "is_active": "on",
    }
    return {**data, **changes}


def snapshot():
    return list(WeChatAccount.objects.order_by("pk").values()), ModelLogEntry.objects.count()


def assert_refused_with_field_error(response, field):
    """Wagtail answers a browser's invalid form with the form again (200) and the error at the field."""
    assert_no_server_error(response)
    assert response.status_code == 200
    assert f'id="id_{field}"' in response.text and 'aria-invalid="true"' in response.text
    errors = response.text[response.text.index(f'id="id_{field}"') - 3000 :]
    assert "error-message" in errors


@pytest.mark.parametrize(
    ("field", "variable"),
    [
        ("secret_env", "EMAIL_HOST_PASSWORD"),
        ("secret_env", "SECRET_KEY"),
        ("secret_env", "DATABASE_URL"),
        ("callback_token_env", "SECRET_KEY"),
        ("aes_key_env", "DATABASE_URL"),
        ("secret_env", "WECHAT_API_BASE_URL"),  # WECHAT_ but the channel's own setting
        ("secret_env", "WECHAT_CHANNEL"),  # WECHAT_ but a Django setting
    ],
)
def test_an_account_cannot_name_one_of_the_sites_own_variables(signed_in, site_secrets, account, field, variable):
    admin = signed_in("channel")
    before = snapshot()

    response = admin.post(edit_path(account), account_form(account, **{field: variable, "api_base_url": ATTACKER_URL}))

    assert_refused_with_field_error(response, field)
    assert SITE_SECRET not in response.text
    assert snapshot() == before


def test_a_new_account_naming_a_site_secret_is_not_created(signed_in, site_secrets, account):
    """The same through the create form, and as a script would send it (JSON wanted): 400, nothing created."""
    admin = signed_in("channel")
    before = snapshot()
    data = account_form(account, slug="stolen", appid="wx00000000000000b2", secret_env="EMAIL_HOST_PASSWORD")

    browser = admin.post("/admin/wechat/accounts/new/", data)
    script = admin.post("/admin/wechat/accounts/new/", data, headers={"Accept": "application/json"})

    assert_refused_with_field_error(browser, "secret_env")
    assert_no_server_error(script)
    assert script.status_code == 400 and script.json()["success"] is False
    assert snapshot() == before


@pytest.mark.parametrize("field", ["api_base_url", "oauth_base_url"])
@pytest.mark.parametrize(
    "url", [ATTACKER_URL, "http://203.0.113.7:8080", "https://api.weixin.qq.com@collector.example.net"]
)
def test_an_account_cannot_point_at_a_host_the_operator_did_not_allow(signed_in, site_secrets, account, field, url):
    admin = signed_in("channel")
    before = snapshot()

    response = admin.post(edit_path(account), account_form(account, **{field: url}))

    assert_refused_with_field_error(response, field)
    assert snapshot() == before


def test_a_stored_account_naming_a_site_secret_sends_nothing(signed_in, site_secrets, account, recorder, outgoing):
    """An old row (or one edited in the database) names EMAIL_HOST_PASSWORD and points at the attacker's server:
    opening Health asks nothing of it, and the page says what is wrong."""
    WeChatAccount.objects.filter(pk=account.pk).update(
        secret_env="EMAIL_HOST_PASSWORD", api_base_url=recorder.url, oauth_base_url=recorder.url
    )
    admin = signed_in("channel")

    health = admin.get(HEALTH)
    bind = admin.get(BIND)

    for response in (health, bind):
        assert_no_server_error(response)
        assert response.status_code == 200 and SITE_SECRET not in response.text
    assert "data-refused" in health.text and "EMAIL_HOST_PASSWORD" in health.text
    assert f'href="{recorder.url}' not in bind.text and "data-bind-link" not in bind.text
    assert recorder.requests == [] and outgoing == []


def test_a_stored_account_pointing_at_a_foreign_host_sends_nothing(signed_in, site_secrets, account, outgoing):
    """A row whose addresses were changed in the database to the attacker's host: neither the AppSecret nor a cached
    token nor a follower's browser (the bind link) goes there."""
    cache.set(f"wechat_channel:{account.appid}_access_token", "a-valid-token", 3600)
    WeChatAccount.objects.filter(pk=account.pk).update(api_base_url=ATTACKER_URL, oauth_base_url=ATTACKER_URL)
    admin = signed_in("channel")

    health = admin.get(HEALTH)
    bind = admin.get(BIND)

    for response in (health, bind):
        assert_no_server_error(response)
        assert response.status_code == 200
    assert "data-refused" in health.text and "data-refused" in bind.text
    assert 'href="https://collector.example.net' not in bind.text and "data-bind-link" not in bind.text
    assert outgoing == []


def test_an_operator_listed_host_is_accepted_and_audited_with_old_and_new(signed_in, site_secrets, account, settings):
    """The allowed path: a host in WECHAT_ALLOWED_API_HOSTS (the environment, not the admin) and a WECHAT_ variable.
    The audit entry records the old and new variable names and URLs, never a secret's value (A15)."""
    settings.WECHAT_CHANNEL = {**settings.WECHAT_CHANNEL, "ALLOWED_API_HOSTS": ("wx-proxy.example.edu.cn",)}
    admin = signed_in("channel")
    data = account_form(account, secret_env="WECHAT_NEWS_SECRET", api_base_url="https://wx-proxy.example.edu.cn")

    response = admin.post(edit_path(account), data)

    assert_no_server_error(response)
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.secret_env == "WECHAT_NEWS_SECRET" and account.api_base_url == "https://wx-proxy.example.edu.cn"
    entry = ModelLogEntry.objects.get(action="wagtail.edit", object_id=str(account.pk))
    assert entry.data["values"]["secret_env"] == {"old": "WECHAT_CAMPUS_SECRET", "new": "WECHAT_NEWS_SECRET"}
    assert entry.data["values"]["api_base_url"] == {"old": "", "new": "https://wx-proxy.example.edu.cn"}
    assert "campus-appsecret" not in json.dumps(entry.data, ensure_ascii=False)
