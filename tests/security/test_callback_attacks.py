"""Attacks on the WeChat callback /wechat/callback/<account>/ with genuinely signed requests (WECHAT.md §6).

Replayed verification signatures are refused, a follower's message that quotes a DOCTYPE is kept (A6.5.2),
out-of-range fields are refused at the door, and a callback that keeps failing is parked for a person (A6.5.1).
"""

import datetime
import pydoc
import time
import uuid
from urllib.parse import urlencode

import pytest
import requests
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cms.models import Case
from tests.security.visitor import assert_no_server_error
from wechat_channel import callbacks, tasks
from wechat_channel.conf import get_conf
from wechat_channel.models import CallbackEvent, FollowerActivity, WeChatAccount
from wechat_channel.sandbox import crypto
from wechat_channel.signals import report_received

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TOKEN = "campus-callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAFE_APPID = "wx0123456789abcdef"
PLAIN_APPID = "wx00000000000000aa"
HEALTH = "/admin/wechat/health/"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>o_x</FromUserName>"
    "<CreateTime>{now}</CreateTime><MsgType>text</MsgType><Content>&c;</Content><MsgId>1</MsgId></xml>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>o_x</FromUserName>"
    "<CreateTime>{now}</CreateTime><MsgType>text</MsgType><Content>&x;</Content><MsgId>2</MsgId></xml>"
)


@pytest.fixture
def accounts(db, monkeypatch):
    """One plain-mode and one safe-mode account; no AppSecret, so Health asks WeChat nothing."""
    cache.clear()  # the replay cache of an earlier test
    monkeypatch.setenv("WECHAT_CAMPUS_TOKEN", TOKEN)
    monkeypatch.setenv("WECHAT_CAMPUS_AES_KEY", AES_KEY)
    monkeypatch.delenv("WECHAT_CAMPUS_SECRET", raising=False)
    common = {
        "secret_env": "WECHAT_CAMPUS_SECRET",
        "callback_token_env": "WECHAT_CAMPUS_TOKEN",
        "aes_key_env": "WECHAT_CAMPUS_AES_KEY",
    }
    return {
        "plain": WeChatAccount.objects.create(
            name="明文", slug="plain", appid=PLAIN_APPID, callback_mode=WeChatAccount.CallbackMode.PLAIN, **common
        ),
        "safe": WeChatAccount.objects.create(
            name="安全", slug="safe", appid=SAFE_APPID, callback_mode=WeChatAccount.CallbackMode.SAFE, **common
        ),
    }


@pytest.fixture
def worker(monkeypatch):
    """Queued tasks run at once and, as a django-q worker does, a failing one is recorded instead of raised."""
    ran = []

    def run(func, *args, **kwargs):
        try:
            pydoc.locate(func)(*args)
            ran.append((func, args, "ok"))
        except Exception as error:  # noqa: BLE001 - every outcome of a forged task is recorded and asserted
            ran.append((func, args, str(error)))

    monkeypatch.setattr(callbacks, "async_task", run)
    monkeypatch.setattr(tasks, "async_task", run)
    return ran


def text_message(content, msg_id=None, created=None, sender="o_reporter", **fields):
    values = {
        "ToUserName": "gh_0123456789ab",
        "FromUserName": sender,
        "CreateTime": str(int(time.time()) if created is None else created),
        "MsgType": "text",
        "Content": f"<![CDATA[{content}]]>",
        "MsgId": msg_id or str(uuid.uuid4().int % 10**15),
        **fields,
    }
    return "<xml>" + "".join(f"<{name}>{value}</{name}>" for name, value in values.items()) + "</xml>"


def signed_query():
    return crypto.plain_query(TOKEN, int(time.time()), uuid.uuid4().hex[:16])


def path(account):
    return reverse("wechat_callback", args=[account.slug])


def deliver(live_server, account, xml, query=None):
    """POST `xml` as WeChat does: signed in plain mode, encrypted and signed in safe mode."""
    if account.callback_mode == WeChatAccount.CallbackMode.SAFE:
        query = query or signed_query()
        body, query = crypto.envelope(TOKEN, AES_KEY, account.appid, xml, query["timestamp"], query["nonce"])
    else:
        body, query = xml, query or signed_query()
    url = f"{live_server.url}{path(account)}?{urlencode(query)}"
    return requests.post(url, data=body.encode(), headers={"Content-Type": "text/xml"}, timeout=20)


def state():
    return (CallbackEvent.objects.count(), Case.objects.count(), FollowerActivity.objects.count())


def assert_refused(response, status, before):
    assert_no_server_error(response)
    assert response.status_code == status, response.text
    assert state() == before


# Hole 5: a verification's signature replayed (WECHAT.md §6.1: plain-mode signatures never cover the body)


def test_a_verification_signature_replayed_on_a_post_is_refused(visitor, live_server, accounts):
    account, query = accounts["plain"], signed_query()
    verified = visitor.get(f"{path(account)}?{urlencode({**query, 'echostr': '5837397749827352'})}")
    assert (verified.status_code, verified.text) == (200, "5837397749827352")
    before = state()

    forged = deliver(live_server, account, text_message("举报：伪造的举报，某处长收受贿赂"), query=query)

    assert_refused(forged, 403, before)  # a forged 举报 never becomes a case (A6.5.2)


def test_a_signature_whose_message_was_refused_cannot_carry_another(live_server, accounts, worker):
    # A genuine plain-mode POST refused at the door still spent its signature: nobody may reuse it.
    account, query = accounts["plain"], signed_query()
    assert deliver(live_server, account, text_message("你好", created=999999999999), query=query).status_code == 400
    before = state()

    forged = deliver(live_server, account, text_message("举报：伪造的举报"), query=query)

    assert_refused(forged, 403, before)


def test_a_signature_with_its_timestamp_and_nonce_swapped_is_a_replay(live_server, accounts, worker):
    # The signature is the SHA-1 of the sorted token, timestamp and nonce: a nonce that looks like a current
    # timestamp can swap places with it and still verify. The replay record is keyed on the signature.
    account, now = accounts["plain"], int(time.time())
    query = crypto.plain_query(TOKEN, now, str(now - 1))
    assert deliver(live_server, account, text_message("你好")).status_code == 200
    assert deliver(live_server, account, text_message("你好"), query=query).text == "success"
    before = state()
    swapped = {**query, "timestamp": query["nonce"], "nonce": query["timestamp"]}

    forged = deliver(live_server, account, text_message("举报：伪造的举报"), query=swapped)

    assert_refused(forged, 403, before)


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_a_replayed_verification_is_refused(visitor, accounts, mode):
    verification = f"{path(accounts[mode])}?{urlencode({**signed_query(), 'echostr': '42'})}"
    assert visitor.get(verification).status_code == 200

    replay = visitor.get(verification)

    assert_no_server_error(replay)
    assert replay.status_code == 403 and replay.text != "42"


# Hole 6: a follower may quote HTML; only a declaration in the document itself is refused


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_a_message_quoting_a_doctype_is_kept(live_server, accounts, worker, mode):
    content = "<!DOCTYPE html> 举报 这段网页源码出现在学院网站上"

    response = deliver(live_server, accounts[mode], text_message(content))

    assert (response.status_code, response.text) == (200, "success")
    event = CallbackEvent.objects.get()
    assert event.payload["Content"] == content and event.processed_at is not None
    assert FollowerActivity.objects.get().detail == content  # recorded for the authorities (A14)
    assert Case.objects.count() == 0  # it does not start with the keyword


@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_a_report_quoting_a_doctype_becomes_a_case(live_server, accounts, worker, mode):
    content = '举报：网站被篡改 <!DOCTYPE html><!ENTITY x SYSTEM "file:///etc/passwd">'

    response = deliver(live_server, accounts[mode], text_message(content, sender="o_teacher"))

    assert (response.status_code, response.text) == (200, "success")
    case = Case.objects.get()  # A6.5.2
    assert (case.source, case.reporter_openid) == (Case.Source.WECHAT, "o_teacher")
    assert "<!DOCTYPE html>" in case.text


@pytest.mark.parametrize("mode", ["plain", "safe"])
@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_a_document_declaring_entities_is_still_refused(live_server, accounts, mode, xml):
    before = state()

    response = deliver(live_server, accounts[mode], xml.format(now=int(time.time())))

    assert_refused(response, 400, before)


# Hole 7: values no genuine WeChat message carries are refused before anything is stored


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"CreateTime": "999999999999"}, id="create-time-far-future"),
        pytest.param({"CreateTime": str(int(time.time()) - 3 * 86400)}, id="create-time-days-ago"),
        pytest.param({"CreateTime": "soon"}, id="create-time-not-a-number"),
        pytest.param({"CreateTime": "9" * 30}, id="create-time-huge"),
        pytest.param({"MsgId": "12ab"}, id="msgid-not-a-number"),
        pytest.param({"MsgId": "9" * 25}, id="msgid-beyond-64-bits"),
        pytest.param({"FromUserName": "o" * 65}, id="openid-oversized"),
        pytest.param({"MsgType": "t" * 65}, id="msgtype-oversized"),
    ],
)
def test_an_out_of_range_field_is_refused_at_the_door(live_server, accounts, worker, fields):
    before = state()

    response = deliver(live_server, accounts["plain"], text_message("举报：测试", **fields))

    assert_refused(response, 400, before)


def test_a_far_future_create_time_is_refused_in_safe_mode_too(live_server, accounts, worker):
    before = state()

    response = deliver(live_server, accounts["safe"], text_message("举报：测试", created=999999999999))

    assert_refused(response, 400, before)


# Hole 7: a stored callback that keeps failing is parked with its reason, shown on Health, retried by hand (A6.5.1)


def cases_unavailable(**kwargs):
    raise RuntimeError("cases unavailable")


def health_section(visitor, account):
    html = visitor.get(HEALTH).text
    start = html.index(f'data-account="{account.slug}"')
    end = html.find("data-account=", start + 10)
    return html[start : end if end > 0 else len(html)]


def test_a_callback_that_keeps_failing_is_parked_shown_and_retried_by_hand(
    live_server, accounts, worker, people, signed_in
):
    account, limit = accounts["safe"], get_conf("CALLBACK_MAX_ATTEMPTS")
    report_received.connect(cases_unavailable, weak=False, dispatch_uid="test_cases_unavailable")
    try:
        assert deliver(live_server, account, text_message("举报：有人冒充学院")).text == "success"
        event = CallbackEvent.objects.get()
        CallbackEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - datetime.timedelta(minutes=5))
        for _sweep in range(limit + 2):  # the sweep retries it until it is parked, then leaves it alone
            tasks.sweep()
        event.refresh_from_db()
        assert (event.attempts, event.processed_at) == (limit, None)
        assert event.parked_at is not None and "cases unavailable" in event.last_error
        assert sum(1 for ran in worker if ran[1] == (event.pk,)) == limit
        assert Case.objects.count() == 0

        channel = signed_in("channel")
        shown = health_section(channel, account)
        assert 'data-parked="1"' in shown and 'data-stalled="0"' in shown
        assert "cases unavailable" in shown and f'data-retry="{event.pk}"' in shown

        office = signed_in("office")  # sees the accounts' health, may not act on callbacks (A15)
        assert f'data-retry="{event.pk}"' not in health_section(office, account)
        retry = reverse("wechat_admin:callback_retry", args=[event.pk])
        refused = office.post(retry, form_path=HEALTH)
        assert_no_server_error(refused)
        assert refused.status_code == 403 or refused.headers["Location"].rstrip("/") == "/admin"  # Wagtail's refusal
        event.refresh_from_db()
        assert (event.attempts, event.processed_at is None, event.parked_at is not None) == (limit, True, True)
    finally:
        report_received.disconnect(dispatch_uid="test_cases_unavailable")  # the cause is fixed

    retried = channel.post(retry, form_path=HEALTH)

    assert retried.status_code == 302
    event.refresh_from_db()
    assert event.processed_at is not None and event.parked_at is None
    assert Case.objects.get().reporter_openid == "o_reporter"
    tasks.sweep()
    assert callbacks.process_event(event.pk) is False  # exactly once
    assert Case.objects.count() == 1
    assert 'data-parked="0"' in health_section(channel, account)
