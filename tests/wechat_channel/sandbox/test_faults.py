"""Fault injection and the call log of the WeChat sandbox, driven over its `/sandbox/` control surface."""

import json

import pytest
import requests
from wechatpy.exceptions import APILimitedException, WeChatClientException

from tests.wechat_channel.sandbox_access import SECRET, call_api, fetch_token, stable_token


def set_faults(sandbox, **config):
    response = requests.post(sandbox.url + "/sandbox/faults", json=config, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def calls(sandbox):
    return requests.get(sandbox.url + "/sandbox/calls", timeout=5).json()["calls"]


def test_system_error_at_rate_one_hits_every_call_on_that_path_only(sandbox):
    set_faults(sandbox, paths={"get_api_domain_ip": {"system_error": 1.0}})
    token = fetch_token(sandbox)["access_token"]
    for _ in range(5):
        body = call_api(sandbox, token).json()
        assert body["errcode"] == -1
        assert body["errmsg"].startswith("system error rid: ")
    assert "access_token" in fetch_token(sandbox)


def test_quota_fault_raises_api_limited_in_wechatpy(sandbox, wechat_client):
    set_faults(sandbox, paths={"/cgi-bin/get_api_domain_ip": {"quota": 1.0}})
    with pytest.raises(APILimitedException) as caught:
        wechat_client.get("get_api_domain_ip")
    assert caught.value.errcode == 45009


def test_wildcard_path_applies_everywhere(sandbox):
    set_faults(sandbox, paths={"*": {"system_error": 1.0}})
    assert fetch_token(sandbox)["errcode"] == -1


def test_invalid_credential_once_costs_wechatpy_exactly_one_refetch(sandbox, wechat_client):
    set_faults(sandbox, invalid_credential_once=True)
    assert wechat_client.get("get_api_domain_ip") == {"ip_list": ["127.0.0.1"]}
    assert wechat_client.get("get_api_domain_ip") == {"ip_list": ["127.0.0.1"]}
    log = [(c["path"], c["errcode"]) for c in calls(sandbox)]
    assert log == [
        ("/cgi-bin/token", 0),
        ("/cgi-bin/get_api_domain_ip", 40001),
        ("/cgi-bin/token", 0),
        ("/cgi-bin/get_api_domain_ip", 0),
        ("/cgi-bin/get_api_domain_ip", 0),
    ]


def test_invalid_credential_once_trips_each_new_token_once(sandbox):
    set_faults(sandbox, invalid_credential_once=True)
    first = fetch_token(sandbox)["access_token"]
    assert call_api(sandbox, first).json()["errcode"] == 40001
    assert call_api(sandbox, first).json() == {"ip_list": ["127.0.0.1"]}
    recovery = fetch_token(sandbox)["access_token"]
    assert call_api(sandbox, recovery).json() == {"ip_list": ["127.0.0.1"]}
    later = stable_token(sandbox)["access_token"]
    assert call_api(sandbox, later).json()["errcode"] == 40001


def test_without_auto_retry_wechatpy_sees_the_40001(sandbox, wechat_client):
    set_faults(sandbox, invalid_credential_once=True)
    wechat_client.auto_retry = False
    with pytest.raises(WeChatClientException) as caught:
        wechat_client.get("get_api_domain_ip")
    assert caught.value.errcode == 40001


def test_timeout_fault_outlasts_the_client_timeout(sandbox):
    set_faults(sandbox, timeout_seconds=1.5, paths={"get_api_domain_ip": {"timeout": 1.0}})
    token = fetch_token(sandbox)["access_token"]
    with pytest.raises(requests.Timeout):
        call_api(sandbox, token, timeout=0.5)


def test_slow_fault_adds_latency(sandbox):
    set_faults(sandbox, paths={"get_api_domain_ip": {"slow": 1.0, "slow_ms": 150}})
    token = fetch_token(sandbox)["access_token"]
    assert call_api(sandbox, token).json() == {"ip_list": ["127.0.0.1"]}
    assert calls(sandbox)[-1]["latency_ms"] >= 150


def test_same_seed_gives_the_same_faults(sandbox):
    token = fetch_token(sandbox)["access_token"]

    def run():
        set_faults(sandbox, seed=42, paths={"get_api_domain_ip": {"system_error": 0.5}})
        return [call_api(sandbox, token).json().get("errcode", 0) for _ in range(20)]

    first = run()
    assert first == run()
    assert set(first) == {0, -1}


def test_bad_fault_config_is_rejected(sandbox):
    response = requests.post(sandbox.url + "/sandbox/faults", json={"paths": {"*": {"explode": 1}}}, timeout=5)
    assert response.status_code == 400


def test_call_log_masks_tokens_and_never_holds_the_secret(sandbox):
    token = fetch_token(sandbox)["access_token"]
    stable = stable_token(sandbox)["access_token"]
    call_api(sandbox, token)
    call_api(sandbox, stable)
    text = json.dumps(calls(sandbox))
    assert SECRET not in text
    assert token not in text and stable not in text
    entries = calls(sandbox)
    assert entries[0]["query"] == {"grant_type": "client_credential", "appid": "wx1234567890abcdef"}
    assert entries[2]["query"]["access_token"].startswith("tok:")
    assert entries[2]["query"]["access_token"] != entries[3]["query"]["access_token"]
    assert {e["status"] for e in entries} == {200}
