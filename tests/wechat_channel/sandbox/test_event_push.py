"""Event pushes from the sandbox to a site's callback (WECHAT.md §4.4, §5, §6.2, §6.4), received by a tiny server."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from tests.wechat_channel.sandbox.helpers import add_draft, article, control, thumb_id
from tests.wechat_channel.sandbox_access import APPID, SECRET, SandboxWeChatClient

TOKEN = "callbacktoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


class Receiver:
    """A callback endpoint: records each POST; `answers` (status codes or "sleep:<s>") are used up in order."""

    def __init__(self, port=0):
        self.received = []
        self.answers = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                with receiver.lock:
                    receiver.received.append((query, body))
                    answer = receiver.answers.pop(0) if receiver.answers else 200
                if isinstance(answer, str):
                    time.sleep(float(answer.split(":")[1]))
                    answer = 200
                try:
                    self.send_response(answer)
                    self.send_header("Content-Length", "7")
                    self.end_headers()
                    self.wfile.write(b"success")
                except OSError:
                    pass  # the sandbox gave up waiting

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/wechat/callback/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait_for(self, count, timeout=3):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.received) >= count, f"received {len(self.received)} of {count} pushes"
        return self.received


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.httpd.shutdown()
    r.httpd.server_close()


def configure(sandbox, receiver, safe=False, **settings):
    body = {"appid": APPID, "callback_url": receiver.url, "callback_token": TOKEN}
    body["encoding_aes_key"] = AES_KEY if safe else None
    control(sandbox, "accounts", body)
    control(sandbox, "publishing", {"publish_delay": 0, "mass_delay": 0, "retry_pause": 0, **settings})


def deliveries(sandbox, count, timeout=3):
    deadline = time.monotonic() + timeout
    while len(found := control(sandbox, "deliveries", method="GET")["deliveries"]) < count:
        assert time.monotonic() < deadline, f"only {len(found)} delivery attempts"
        time.sleep(0.01)
    return found


def publish(client):
    return client.freepublish.submit(add_draft(client, article(thumb_id(client), title="Pushed")))


def test_publish_event_arrives_signed_in_plain_mode(sandbox, wechat_client, receiver):
    configure(sandbox, receiver)
    publish_id = publish(wechat_client)["publish_id"]
    ((query, body),) = receiver.wait_for(1)
    check_signature(TOKEN, query["signature"], query["timestamp"], query["nonce"])  # raises when wrong
    assert query["openid"] and "encrypt_type" not in query
    event = parse_message(body)._data
    assert (event["MsgType"], event["Event"]) == ("event", "PUBLISHJOBFINISH")
    assert event["ToUserName"].startswith("gh_") and len(event["ToUserName"]) == 15
    info = event["PublishEventInfo"]
    status = wechat_client.freepublish.get(publish_id)
    assert (info["publish_id"], info["publish_status"], info["article_id"]) == (
        str(publish_id),
        "0",
        status["article_id"],
    )
    assert info["article_detail"]["item"]["article_url"] == status["article_detail"]["item"][0]["article_url"]
    (attempt,) = deliveries(sandbox, 1)
    assert (attempt["event"], attempt["attempt"], attempt["status"], attempt["ok"]) == (
        "PUBLISHJOBFINISH",
        1,
        200,
        True,
    )


def test_mass_event_arrives_encrypted_in_safe_mode(sandbox, wechat_client, receiver):
    configure(sandbox, receiver, safe=True)
    media_id = add_draft(wechat_client, article(thumb_id(wechat_client)))
    msg_id = wechat_client.message.send_mass_article(media_id, is_to_all=True)["msg_id"]
    ((query, body),) = receiver.wait_for(1)
    assert query["encrypt_type"] == "aes" and "<Encrypt>" in body and "MASSSENDJOBFINISH" not in body
    plaintext = WeChatCrypto(TOKEN, AES_KEY, APPID).decrypt_message(
        body, query["msg_signature"], query["timestamp"], query["nonce"]
    )
    event = parse_message(plaintext)
    assert (event.event, event.id, event.status) == ("masssendjobfinish", msg_id, "send success")
    assert event.sent_count == event.total_count and event.error_count == 0
    result = event._data["ArticleUrlResult"]
    assert result["Count"] == "1" and result["ResultList"]["item"]["ArticleIdx"] == "1"
    assert requests.get(result["ResultList"]["item"]["ArticleUrl"], timeout=5).status_code == 200


def test_failed_mass_send_reports_err_status(sandbox, wechat_client, receiver):
    configure(sandbox, receiver)
    control(sandbox, "faults", {"jobs": {"mass_failure": 1.0, "mass_error_code": 30003}})
    media_id = add_draft(wechat_client, article(thumb_id(wechat_client)))
    wechat_client.message.send_mass_article(media_id, is_to_all=True)
    event = parse_message(receiver.wait_for(1)[0][1])
    assert (event.status, event.sent_count) == ("err(30003)", 0)


def test_retries_until_the_site_answers(sandbox, wechat_client, receiver):
    configure(sandbox, receiver)
    receiver.answers = [500, 503]
    publish(wechat_client)
    pushes = receiver.wait_for(3)
    assert len({body for _query, body in pushes}) == 1  # the identical event each time
    attempts = deliveries(sandbox, 3)
    assert [(a["attempt"], a["status"], a["ok"]) for a in attempts] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]


def test_a_slow_site_counts_as_a_failed_attempt_and_three_is_the_limit(sandbox, wechat_client, receiver):
    configure(sandbox, receiver, delivery_timeout=0.2)
    receiver.answers = ["sleep:0.5", 500, 500, 500]
    publish(wechat_client)
    attempts = deliveries(sandbox, 3)
    assert [(a["attempt"], a["status"]) for a in attempts] == [(1, None), (2, 500), (3, 500)]
    assert "timed out" in attempts[0]["error"]
    time.sleep(0.1)
    assert len(control(sandbox, "deliveries", method="GET")["deliveries"]) == 3


def test_redeliver_sends_the_same_event_twice(sandbox, wechat_client, receiver):
    configure(sandbox, receiver)
    publish(wechat_client)
    (first,) = deliveries(sandbox, 1)
    again = control(sandbox, "deliveries/redeliver", {"event_id": first["event_id"], "wait": True})
    assert again["event_id"] != first["event_id"]
    (_q1, body1), (_q2, body2) = receiver.wait_for(2)
    assert body1 == body2


def test_forged_event_is_signed_and_encrypted_like_a_real_one(sandbox, receiver):
    configure(sandbox, receiver, safe=True)
    xml = "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><MsgType><![CDATA[event]]></MsgType></xml>"
    control(sandbox, "events", {"appid": APPID, "xml": xml, "event": "TEST", "wait": True})
    ((query, body),) = receiver.wait_for(1)
    plaintext = WeChatCrypto(TOKEN, AES_KEY, APPID).decrypt_message(
        body, query["msg_signature"], query["timestamp"], query["nonce"]
    )
    assert plaintext == xml


def test_accounts_list_hides_secrets_and_updates_keep_tokens(sandbox, receiver):
    client = SandboxWeChatClient(sandbox.url, APPID, SECRET, timeout=5)
    assert client.draft.count() == {"total_count": 0}
    configure(sandbox, receiver, safe=True)
    assert client.draft.count() == {"total_count": 0}  # the token from before the update still works
    (listed,) = control(sandbox, "accounts", method="GET")["accounts"]
    assert listed["mode"] == "safe" and listed["callback_url"] == receiver.url
    text = str(listed)
    assert SECRET not in text and TOKEN not in text and AES_KEY not in text
    bad = requests.post(
        sandbox.url + "/sandbox/accounts", json={"appid": APPID, "encoding_aes_key": "short"}, timeout=5
    )
    assert bad.status_code == 400


def test_reset_clears_deliveries(sandbox, wechat_client, receiver):
    configure(sandbox, receiver)
    publish(wechat_client)
    deliveries(sandbox, 1)
    control(sandbox, "reset")
    assert control(sandbox, "deliveries", method="GET") == {"deliveries": []}
    assert control(sandbox, "publishing", method="GET")["publish_delay"] == 0.2


def test_delivery_waits_like_wechat_by_default():
    """5 s per attempt, 3 attempts, each retry 5 s after the one before (消息推送: 五秒内收不到响应…总共重试三次)."""
    from wechat_channel.sandbox.event_push import ATTEMPTS
    from wechat_channel.sandbox.jobs import JobSettings

    defaults = JobSettings()
    assert (defaults.delivery_timeout, defaults.retry_pause, ATTEMPTS) == (5.0, 5.0, 3)


def test_a_site_that_starts_listening_after_the_first_attempt_still_gets_its_event(sandbox, wechat_client):
    """The demo's seeded pushes lost their URLs: three attempts within 0.1 s, all before the site listened."""
    with socket.socket() as probe:  # a free port nobody listens on yet
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    callback_url = f"http://127.0.0.1:{port}/wechat/callback/"
    control(sandbox, "accounts", {"appid": APPID, "callback_url": callback_url, "callback_token": TOKEN})
    control(sandbox, "publishing", {"publish_delay": 0, "retry_pause": 1})
    publish(wechat_client)
    (refused,) = deliveries(sandbox, 1)
    assert refused["status"] is None and not refused["ok"]

    late = Receiver(port=port)  # the site comes up
    try:
        assert len(late.wait_for(1, timeout=5)) == 1
        attempts = deliveries(sandbox, 2)
        assert [(a["attempt"], a["ok"]) for a in attempts] == [(1, False), (2, True)]
    finally:
        late.httpd.shutdown()
        late.httpd.server_close()


def test_reset_keeps_the_spacing_the_sandbox_was_started_with(sandbox):
    control(sandbox, "reset", {})
    assert control(sandbox, "publishing", method="GET")["retry_pause"] == 0.05
