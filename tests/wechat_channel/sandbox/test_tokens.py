"""Token semantics, the error envelope and request discipline of the WeChat sandbox, over real HTTP."""

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.core.management import CommandError, call_command

from tests.wechat_channel.sandbox_access import APPID, SECRET, call_api, fetch_token, stable_token
from wechat_channel.sandbox.server import SandboxServer

RID = re.compile(r" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$")


def advance(sandbox, seconds):
    response = requests.post(sandbox.url + "/sandbox/clock", json={"advance": seconds}, timeout=5)
    assert response.status_code == 200


def test_token_looks_real_and_each_call_issues_a_new_one(sandbox):
    first, second = fetch_token(sandbox), fetch_token(sandbox)
    assert first["expires_in"] == 7200
    assert re.fullmatch(r"\d+_[A-Za-z0-9_-]{130,}", first["access_token"])
    assert first["access_token"] != second["access_token"]
    assert "errcode" not in first


def test_superseded_token_lives_300_seconds_then_answers_40001(sandbox):
    old = fetch_token(sandbox)["access_token"]
    new = fetch_token(sandbox)["access_token"]
    advance(sandbox, 299)
    assert call_api(sandbox, old).json() == {"ip_list": ["127.0.0.1"]}
    advance(sandbox, 2)
    assert call_api(sandbox, old).json()["errcode"] == 40001
    assert call_api(sandbox, new).json() == {"ip_list": ["127.0.0.1"]}


def test_token_expires_after_7200_seconds(sandbox):
    token = fetch_token(sandbox)["access_token"]
    advance(sandbox, 7200)
    body = call_api(sandbox, token).json()
    assert body["errcode"] == 42001
    assert body["errmsg"].startswith("access_token expired")


def test_error_envelope_is_http_200_with_rid_suffix(sandbox):
    response = call_api(sandbox, None)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["errcode"] == 41001
    assert body["errmsg"].startswith("access_token missing rid: ")
    assert RID.search(body["errmsg"])


def test_unknown_token_is_40014(sandbox):
    assert call_api(sandbox, "12_not-a-token").json()["errcode"] == 40014


def test_token_request_errors(sandbox):
    url = sandbox.url + "/cgi-bin/token"
    cases = [
        ({"grant_type": "password", "appid": APPID, "secret": SECRET}, 40002),
        ({"grant_type": "client_credential", "secret": SECRET}, 41002),
        ({"grant_type": "client_credential", "appid": APPID}, 41004),
        ({"grant_type": "client_credential", "appid": "wxunknown", "secret": SECRET}, 40013),
        ({"grant_type": "client_credential", "appid": APPID, "secret": "wrong"}, 40125),
    ]
    for params, code in cases:
        assert requests.get(url, params=params, timeout=5).json()["errcode"] == code, params


def test_method_discipline(sandbox):
    assert requests.post(sandbox.url + "/cgi-bin/token", data=b"{}", timeout=5).json()["errcode"] == 43001
    assert requests.get(sandbox.url + "/cgi-bin/stable_token", timeout=5).json()["errcode"] == 43002


def test_empty_and_malformed_post_bodies(sandbox):
    url = sandbox.url + "/cgi-bin/stable_token"
    assert requests.post(url, data=b"", timeout=5).json()["errcode"] == 44002
    assert requests.post(url, data=b"{not json", timeout=5).json()["errcode"] == 47001


def test_stable_token_body_parsed_without_content_type(sandbox):
    # wechatpy sends json.dumps(..., ensure_ascii=False) bytes with no Content-Type header.
    body = f'{{"grant_type": "client_credential", "appid": "{APPID}", "secret": "{SECRET}"}}'.encode()
    response = requests.post(sandbox.url + "/cgi-bin/stable_token", data=body, timeout=5)
    assert response.json()["expires_in"] == 7200


def test_stable_token_is_shared_and_counts_down(sandbox):
    first = stable_token(sandbox)
    advance(sandbox, 1000)
    second = stable_token(sandbox)
    assert second["access_token"] == first["access_token"]
    assert second["expires_in"] == first["expires_in"] - 1000


def test_stable_token_rotates_when_less_than_300_seconds_remain(sandbox):
    first = stable_token(sandbox)
    advance(sandbox, 7200 - 299)
    rotated = stable_token(sandbox)
    assert rotated["access_token"] != first["access_token"]
    assert rotated["expires_in"] == 7200
    assert call_api(sandbox, first["access_token"]).json() == {"ip_list": ["127.0.0.1"]}  # the 5-minute overlap


def test_force_refresh_needs_30_seconds_between_refreshes(sandbox):
    first = stable_token(sandbox)
    forced = stable_token(sandbox, force_refresh=True)
    assert forced["access_token"] != first["access_token"]
    assert call_api(sandbox, first["access_token"]).json()["errcode"] == 40001
    advance(sandbox, 10)
    again = stable_token(sandbox, force_refresh=True)
    assert again["access_token"] == forced["access_token"]
    advance(sandbox, 30)
    assert stable_token(sandbox, force_refresh=True)["access_token"] != forced["access_token"]


def test_force_refresh_daily_limit(sandbox):
    stable_token(sandbox)
    for _ in range(20):
        assert "access_token" in stable_token(sandbox, force_refresh=True)
        advance(sandbox, 31)
    assert stable_token(sandbox, force_refresh=True)["errcode"] == 45009


def test_ordinary_and_stable_tokens_are_isolated(sandbox):
    stable = stable_token(sandbox)["access_token"]
    fetch_token(sandbox)
    fetch_token(sandbox)
    advance(sandbox, 600)
    assert call_api(sandbox, stable).json() == {"ip_list": ["127.0.0.1"]}
    assert stable_token(sandbox)["access_token"] == stable


def test_wechatpy_fetches_a_token_and_calls_an_api(sandbox, wechat_client):
    result = wechat_client.fetch_access_token()
    assert result["expires_in"] == 7200
    assert wechat_client.get("get_api_domain_ip") == {"ip_list": ["127.0.0.1"]}
    paths = [c["path"] for c in sandbox.calls.as_list()]
    assert paths == ["/cgi-bin/token", "/cgi-bin/get_api_domain_ip"]


def test_control_surface_adds_accounts_and_resets(sandbox):
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": "wxsecond", "secret": "s2"}, timeout=5)
    assert "access_token" in fetch_token(sandbox, appid="wxsecond", secret="s2")
    token = fetch_token(sandbox)["access_token"]
    assert requests.post(sandbox.url + "/sandbox/reset", timeout=5).json() == {"ok": True}
    assert call_api(sandbox, token).json()["errcode"] == 40014
    assert [c["path"] for c in requests.get(sandbox.url + "/sandbox/calls", timeout=5).json()["calls"]] == [
        "/cgi-bin/get_api_domain_ip"
    ]


def test_concurrent_stable_token_fetches_agree(sandbox):
    with ThreadPoolExecutor(max_workers=8) as pool:
        tokens = set(pool.map(lambda _: stable_token(sandbox)["access_token"], range(16)))
    assert len(tokens) == 1


def test_unknown_api_path_is_404_with_an_envelope(sandbox):
    response = requests.get(sandbox.url + "/cgi-bin/no/such/api", timeout=5)
    assert response.status_code == 404
    assert response.json()["errcode"] == 99999


def test_bad_clock_request_is_rejected(sandbox):
    response = requests.post(sandbox.url + "/sandbox/clock", json={"advance": "soon"}, timeout=5)
    assert response.status_code == 400


def test_command_serves_the_given_account_and_stops_on_ctrl_c(monkeypatch):
    seen = {}
    serve_forever = SandboxServer.serve_forever

    def serve_until_interrupted(server):
        thread = threading.Thread(target=serve_forever, args=(server,), daemon=True)
        thread.start()
        seen["token"] = requests.get(
            server.url + "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": "wxcmd", "secret": "cmd-secret"},
            timeout=5,
        ).json()
        server.httpd.shutdown()
        thread.join(timeout=5)
        raise KeyboardInterrupt

    monkeypatch.setattr(SandboxServer, "serve_forever", serve_until_interrupted)
    out = io.StringIO()
    call_command("wechat_sandbox", "--port", "0", "--account", "wxcmd:cmd-secret", stdout=out)
    assert "access_token" in seen["token"]
    assert re.search(r"http://127\.0\.0\.1:\d+/cgi-bin/", out.getvalue())
    assert "cmd-secret" not in out.getvalue()
    assert "stopped" in out.getvalue()


def test_command_prints_a_generated_demo_secret_once(monkeypatch):
    monkeypatch.delenv("WECHAT_SANDBOX_SECRET", raising=False)
    monkeypatch.setattr(SandboxServer, "serve_forever", lambda server: server.httpd.server_close())
    out = io.StringIO()
    call_command("wechat_sandbox", "--port", "0", stdout=out)
    assert out.getvalue().count("wx0000000000000000 secret") == 1


def test_command_rejects_a_malformed_account():
    with pytest.raises(CommandError):
        call_command("wechat_sandbox", "--port", "0", "--account", "no-colon")


def test_command_spaces_event_retries_as_asked_and_refuses_a_negative_spacing(monkeypatch):
    started = {}
    monkeypatch.setattr(
        SandboxServer, "serve_forever", lambda server: started.update(s=server) or server.httpd.server_close()
    )
    call_command("wechat_sandbox", "--port", "0", "--retry-pause", "0.5", stdout=io.StringIO())
    assert started["s"].sandbox.job_settings.retry_pause == 0.5
    call_command("wechat_sandbox", "--port", "0", stdout=io.StringIO())
    assert started["s"].sandbox.job_settings.retry_pause == 5.0  # WeChat's spacing by default
    with pytest.raises(CommandError, match="negative"):
        call_command("wechat_sandbox", "--port", "0", "--retry-pause", "-1")


def test_ip_whitelist_refuses_other_addresses_with_40164(sandbox):
    whitelist = {"appid": APPID, "ip_whitelist": ["10.0.0.1"]}
    assert requests.post(sandbox.url + "/sandbox/accounts", json=whitelist, timeout=5).status_code == 200
    for body in (fetch_token(sandbox), stable_token(sandbox)):
        assert body["errcode"] == 40164
        assert body["errmsg"].startswith("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist rid: ")
    whitelist["ip_whitelist"].append("127.0.0.1")
    requests.post(sandbox.url + "/sandbox/accounts", json=whitelist, timeout=5)
    assert "access_token" in fetch_token(sandbox)
