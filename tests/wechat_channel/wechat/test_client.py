"""The WeChat client against the live sandbox: shared stable tokens, bounded refreshes and retries, lost answers."""

import io
import threading
import time

import pytest
from django.core.cache import cache
from PIL import Image

from tests.wechat_channel.sandbox_access import APPID, SECRET, wait_for
from wechat_channel.adapters import ImageFile
from wechat_channel.models import WeChatAccount
from wechat_channel.sandbox.faults import Verdict, path_key
from wechat_channel.wechat import client as client_module
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch, settings):
    cache.clear()
    monkeypatch.setattr(client_module, "RETRY_BACKOFF_SECONDS", 0)
    settings.WECHAT_CHANNEL = {**getattr(settings, "WECHAT_CHANNEL", {}), "TIMEOUT": 0.5, "CALL_RETRIES": 2}
    yield
    cache.clear()


@pytest.fixture
def account(sandbox, monkeypatch):
    monkeypatch.setenv("WECHAT_TEST_SECRET", SECRET)
    return WeChatAccount.objects.create(
        name="测试号", slug="test", appid=APPID, secret_env="WECHAT_TEST_SECRET", api_base_url=sandbox.url
    )


def calls(sandbox, path):
    return [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/" + path]


def inject(sandbox, path, verdicts):
    """Answer the next calls to `path` with `verdicts` (a list, or a callable for every call), then as usual."""
    original = sandbox.faults.decide
    queue = verdicts if callable(verdicts) else list(verdicts)

    def decide(call_path, token=None, now=0.0):
        if path_key(call_path) == path:
            if callable(queue):
                return queue()
            if queue:
                return queue.pop(0)
        return original(call_path, token, now)

    sandbox.faults.decide = decide


def png(size=(40, 30), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return ImageFile("cover.png", buffer.getvalue())


@pytest.fixture
def draft(account):
    client = client_for(account)
    thumb = client.media.add_cover(png())
    return client.drafts.add([{"title": "今日要闻", "content": "<p>正文</p>", "thumb_media_id": thumb}])


# Tokens.


def test_two_clients_in_two_places_share_one_token_fetch(sandbox, account):
    client_for(account).drafts.batchget(0, 20)
    client_for(account).drafts.batchget(0, 20)

    assert len(calls(sandbox, "stable_token")) == 1
    assert len(calls(sandbox, "token")) == 0  # never the ordinary token, which would supersede others' (§1.2)
    assert [c["errcode"] for c in calls(sandbox, "draft/batchget")] == [0, 0]


def test_concurrent_first_calls_fetch_the_token_once(sandbox, account):
    sandbox.faults.configure({"paths": {"stable_token": {"slow": 1.0, "slow_ms": 300}}})
    errors = []

    def work():
        try:
            client_for(account).drafts.batchget(0, 20)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(calls(sandbox, "stable_token")) == 1
    assert len(calls(sandbox, "draft/batchget")) == 8


def test_a_refused_token_is_refreshed_once_and_the_call_succeeds(sandbox, account):
    sandbox.faults.configure({"invalid_credential_once": True})

    page = client_for(account).drafts.batchget(0, 20)

    assert page["total_count"] == 0
    assert [c["errcode"] for c in calls(sandbox, "draft/batchget")] == [40001, 0]
    assert len(calls(sandbox, "stable_token")) == 2


def test_a_token_refused_for_ever_gives_up_after_one_refresh(sandbox, account):
    inject(sandbox, "draft/batchget", lambda: Verdict(code=40001))

    with pytest.raises(WeChatCallError) as caught:
        client_for(account).drafts.batchget(0, 20)

    assert (caught.value.code, caught.value.kind) == (40001, "token")
    assert len(calls(sandbox, "draft/batchget")) == 2  # wechatpy alone would resend for ever (§1.4)
    assert len(calls(sandbox, "stable_token")) == 2


def test_a_wrong_secret_is_permanent_and_says_where_to_fix_it(sandbox, account, monkeypatch):
    monkeypatch.setenv("WECHAT_TEST_SECRET", "wrong")

    with pytest.raises(WeChatCallError) as caught:
        client_for(account).drafts.batchget(0, 20)

    assert (caught.value.code, caught.value.kind) == (40125, "permanent")
    assert "AppSecret" in caught.value.message_zh
    assert len(calls(sandbox, "stable_token")) == 1


def test_ip_not_in_whitelist_is_permanent_with_the_whitelist_advice(sandbox, account):
    sandbox.state.update_account(APPID, {"ip_whitelist": ["10.1.2.3"]})

    health = client_for(account).health.check_token()

    assert health["ok"] is False
    assert health["error"]["code"] == 40164
    assert health["error"]["kind"] == "permanent"
    assert "IP 白名单" in health["error"]["message_zh"]
    assert "whitelist" in health["error"]["message_en"]
    assert len(calls(sandbox, "stable_token")) == 1  # a permanent error is not retried


def test_check_token_reports_a_healthy_account(sandbox, account):
    assert client_for(account).health.check_token()["ok"] is True


# Retries.


def test_a_system_error_is_retried_and_then_succeeds(sandbox, account):
    inject(sandbox, "draft/batchget", [Verdict(code=-1)])

    assert client_for(account).drafts.batchget(0, 20)["total_count"] == 0
    assert [c["errcode"] for c in calls(sandbox, "draft/batchget")] == [-1, 0]


def test_retries_are_bounded(sandbox, account):
    inject(sandbox, "draft/batchget", lambda: Verdict(code=-1))

    with pytest.raises(WeChatCallError) as caught:
        client_for(account).drafts.batchget(0, 20)

    assert caught.value.kind == "retryable"
    assert len(calls(sandbox, "draft/batchget")) == 3  # the call and CALL_RETRIES = 2


def test_a_daily_quota_is_permanent_and_not_retried(sandbox, account):
    inject(sandbox, "draft/batchget", lambda: Verdict(code=45009))

    with pytest.raises(WeChatCallError) as caught:
        client_for(account).drafts.batchget(0, 20)

    assert caught.value.kind == "permanent"
    assert len(calls(sandbox, "draft/batchget")) == 1


def test_a_timeout_on_a_read_is_retried(sandbox, account):
    inject(sandbox, "draft/batchget", [Verdict(delay=1.5)])

    assert client_for(account).drafts.batchget(0, 20)["total_count"] == 0
    assert wait_for(lambda: len(calls(sandbox, "draft/batchget")) == 2)


def test_a_timeout_on_a_mass_send_is_lost_not_resent(sandbox, account, draft):
    inject(sandbox, "message/mass/sendall", [Verdict(delay=1.5)])
    client = client_for(account)

    with pytest.raises(WeChatCallError) as caught:
        client.mass.send_to_all(draft, "push-1")

    assert caught.value.lost is True
    assert caught.value.kind == "retryable"
    assert wait_for(lambda: len(calls(sandbox, "message/mass/sendall")) == 1)
    time.sleep(0.3)
    assert len(calls(sandbox, "message/mass/sendall")) == 1
    # Asking again with the same clientmsgid, a minute later (45066 sooner), tells what happened instead of sending
    # twice.
    sandbox.sandbox.state.clock.advance(60)
    again = client.mass.send_to_all(draft, "push-1")
    assert again["duplicate"] is True
    assert again["msg_id"]


def test_a_timeout_on_submit_is_lost_not_resent(sandbox, account, draft):
    inject(sandbox, "freepublish/submit", [Verdict(delay=1.5)])

    with pytest.raises(WeChatCallError) as caught:
        client_for(account).publishing.submit(draft)

    assert caught.value.lost is True
    assert "不会盲目重发" in caught.value.message_zh
    assert wait_for(lambda: len(calls(sandbox, "freepublish/submit")) == 1)
    time.sleep(0.3)
    assert len(calls(sandbox, "freepublish/submit")) == 1


def test_a_system_error_on_submit_is_not_retried_within_the_call(sandbox, account, draft):
    inject(sandbox, "freepublish/submit", [Verdict(code=-1)])

    with pytest.raises(WeChatCallError) as caught:
        client_for(account).publishing.submit(draft)

    assert (caught.value.kind, caught.value.lost) == ("retryable", False)
    assert len(calls(sandbox, "freepublish/submit")) == 1  # the delivery step reconciles before sending again


def test_a_refused_connection_is_retried_even_for_a_send(account, monkeypatch):
    client = client_for(account)
    attempts = []

    def refuse():
        attempts.append(1)
        raise client_module.requests.ConnectionError("NewConnectionError: Connection refused")

    with pytest.raises(WeChatCallError) as caught:
        client.call("message/mass/sendall", refuse)

    assert caught.value.lost is False and caught.value.reason == "connection"
    assert len(attempts) == 3  # never sent, so safe to try again


# The facade.


def test_drafts_round_trip(sandbox, account):
    client = client_for(account)
    thumb = client.media.add_cover(png())
    article = {
        "title": "标题",
        "author": "记者团",
        "content": "<p>正文</p>",
        "thumb_media_id": thumb,
        "need_open_comment": 1,
        "only_fans_can_comment": 0,
    }
    media_id = client.drafts.add([article])

    news = client.drafts.get(media_id)

    assert news[0]["title"] == "标题"
    assert news[0]["need_open_comment"] == 1
    assert client.drafts.batchget(0, 20)["total_count"] == 1
    client.drafts.delete(media_id)
    assert client.drafts.get(media_id) is None  # 40007 means gone, not an error


def test_content_image_upload_returns_a_url(sandbox, account):
    url = client_for(account).media.upload_content_image(png())
    assert url.startswith("http://")


def test_publishing_returns_string_ids_and_a_status(sandbox, account, draft):
    client = client_for(account)
    answer = client.publishing.submit(draft)

    assert isinstance(answer["publish_id"], str) and answer["publish_id"]
    assert "publish_status" in client.publishing.get(answer["publish_id"])
    assert "item" in client.publishing.batchget(0, 20)


def test_a_repeated_mass_send_is_a_duplicate_not_an_error(sandbox, account, draft):
    client = client_for(account)
    first = client.mass.send_to_all(draft, "push-2")
    sandbox.sandbox.state.clock.advance(60)  # the same clientmsgid sooner is 45066
    second = client.mass.send_to_all(draft, "push-2")

    assert first["duplicate"] is False
    assert second == {**second, "msg_id": first["msg_id"], "duplicate": True}
    assert client.mass.get(first["msg_id"])["msg_id"]
    body = [c for c in calls(sandbox, "message/mass/sendall")]
    assert [c["errcode"] for c in body] == [0, 45065]


def test_quota_of_an_api_unknown_to_the_sandbox_is_none(sandbox, account):
    assert client_for(account).health.quota("/cgi-bin/draft/add") is None
