"""The callback endpoint /wechat/callback/<account>/ with genuine signed and encrypted requests (WECHAT.md §6)."""

import time

import pytest

from tests.wechat_channel.callback_requests import (
    OTHER_KEY,
    TOKEN,
    fresh,
    make_account,
    plain_post,
    safe_post,
    safe_request,
    url,
)
from wechat_channel import results as results_module
from wechat_channel.models import CallbackEvent, WeChatAccount
from wechat_channel.sandbox import crypto
from wechat_channel.wechat.callback import CallbackRefused, open_message

NOW = int(time.time())  # CreateTime must be near the server's clock (refused at the door otherwise)

PUBLISHED = f"""<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
<FromUserName><![CDATA[oMPHELPER]]></FromUserName><CreateTime>{NOW}</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>
<PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status>
<article_id><![CDATA[b5O2OUs25HBxRceL7hfReg]]></article_id>
<article_detail><count>2</count>
<item><idx>1</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/one]]></article_url></item>
<item><idx>2</idx><article_url><![CDATA[https://mp.weixin.qq.com/s/two]]></article_url></item>
</article_detail></PublishEventInfo></xml>"""

MASS_SENT = f"""<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
<FromUserName><![CDATA[oMPHELPER]]></FromUserName><CreateTime>{NOW + 100}</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event>
<MsgID>1000001625</MsgID><Status><![CDATA[send success]]></Status>
<TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>
<ArticleUrlResult><Count>1</Count><ResultList><item><ArticleIdx>1</ArticleIdx>
<ArticleUrl><![CDATA[http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw]]></ArticleUrl></item></ResultList>
</ArticleUrlResult></xml>"""

TEXT = f"""<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>
<CreateTime>{NOW + 200}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>
<MsgId>23637010101</MsgId></xml>"""

# No MsgId, no CreateTime: nothing to deduplicate by, so only the nonce cache stops an exact replay.
ANONYMOUS = """<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>
<FromUserName><![CDATA[o_user]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content>hi</Content></xml>"""


@pytest.fixture
def safe_account(db, callback_env):
    return make_account()


@pytest.fixture
def plain_account(db, callback_env):
    return make_account("plain", WeChatAccount.CallbackMode.PLAIN, appid="wx00000000000000aa")


@pytest.fixture
def results(monkeypatch):
    """Records calls into `wechat_channel.results` (the push domain) instead of settling pushes."""
    calls = []

    def recorder(name):
        def record(account, *args, **kwargs):
            calls.append((name, account.slug, kwargs))
            return True

        return record

    monkeypatch.setattr(results_module, "publish_finished", recorder("publish"))
    monkeypatch.setattr(results_module, "mass_send_finished", recorder("mass"))
    return calls


def assert_refused(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert CallbackEvent.objects.count() == 0


# URL verification (GET)


def test_verification_echoes_echostr(client, safe_account):
    ts, n = fresh()
    response = client.get(url(**crypto.plain_query(TOKEN, ts, n), echostr="1234567890987654321"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1234567890987654321"


def test_verification_with_a_bad_signature_is_refused(client, safe_account):
    ts, n = fresh()
    response = client.get(url(**crypto.plain_query("another-token", ts, n), echostr="42"))
    assert response.status_code == 403
    assert response.content != b"42"


@pytest.mark.parametrize("missing", ["signature", "timestamp", "nonce", "echostr"])
def test_verification_with_a_missing_parameter_is_refused(client, safe_account, missing):
    ts, n = fresh()
    query = {**crypto.plain_query(TOKEN, ts, n), "echostr": "42"}
    del query[missing]
    assert_refused(client.get(url(**query)), 400)


def test_verification_with_a_stale_timestamp_is_refused(client, safe_account):
    query = crypto.plain_query(TOKEN, int(time.time()) - 3600, "n1")
    assert_refused(client.get(url(**query, echostr="42")), 403)


# Accepted POSTs


def test_plain_mode_message_is_stored_and_processed(client, plain_account, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = plain_post(client, TEXT)
    assert (response.status_code, response.content) == (200, b"success")
    event = CallbackEvent.objects.get()
    assert (event.account, event.dedupe_key, event.event) == (plain_account, "msg:23637010101", "text")
    assert event.payload["Content"] == "你好"
    assert event.processed_at is not None


def test_safe_mode_publish_result_reaches_the_push_domain(
    client, safe_account, results, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = safe_post(client, PUBLISHED)
    assert (response.status_code, response.content) == (200, b"success")
    event = CallbackEvent.objects.get()
    assert (event.dedupe_key, event.event) == ("publish:2247503051", "PUBLISHJOBFINISH")
    assert event.processed_at is not None
    assert results == [
        (
            "publish",
            "news",
            {
                "publish_id": "2247503051",
                "status": 0,
                "article_id": "b5O2OUs25HBxRceL7hfReg",
                "urls": {1: "https://mp.weixin.qq.com/s/one", 2: "https://mp.weixin.qq.com/s/two"},
                "fail_idx": [],
            },
        )
    ]


def test_safe_mode_mass_send_result_reaches_the_push_domain(
    client, safe_account, results, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = safe_post(client, MASS_SENT)
    assert (response.status_code, response.content) == (200, b"success")
    assert CallbackEvent.objects.get().dedupe_key == "mass:1000001625"
    assert results == [
        (
            "mass",
            "news",
            {
                "msg_id": "1000001625",
                "status": "send success",
                "urls": {1: "http://mp.weixin.qq.com/s/8yzT20EvmDg37Jso9nsIIw"},
                "reach": {"followers_total": 100, "followers_ready": 80, "followers_sent": 75, "followers_failed": 5},
            },
        )
    ]


def test_publish_result_settles_its_push_end_to_end(client, safe_account, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from wechat_channel.models import Push, PushItem

    push = Push.objects.create(
        account=safe_account,
        slot=timezone.now(),
        mode=Push.Mode.PUBLISH,
        state=Push.State.SUBMITTED,
        publish_id="2247503051",
    )
    for position in (0, 1):
        PushItem.objects.create(push=push, account=safe_account, title=f"Article {position}", position=position)
    with django_capture_on_commit_callbacks(execute=True):
        assert safe_post(client, PUBLISHED).content == b"success"
    push.refresh_from_db()
    assert push.state == Push.State.DONE
    assert list(push.items.values_list("wechat_url", flat=True)) == [
        "https://mp.weixin.qq.com/s/one",
        "https://mp.weixin.qq.com/s/two",
    ]


def test_retried_delivery_is_stored_and_processed_once(
    client, safe_account, results, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = safe_post(client, PUBLISHED)
        retry = safe_post(client, PUBLISHED)  # WeChat's retry: same XML, new nonce
    assert first.content == retry.content == b"success"
    assert CallbackEvent.objects.count() == 1
    assert len(results) == 1


def test_exact_replay_of_a_deduplicable_message_changes_nothing(
    client, safe_account, results, django_capture_on_commit_callbacks
):
    body, query = safe_request(PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url(**query), data=body.encode(), content_type="text/xml")
        replay = client.post(url(**query), data=body.encode(), content_type="text/xml")
    assert (first.status_code, replay.status_code) == (200, 200)
    assert CallbackEvent.objects.count() == 1
    assert len(results) == 1


def test_exact_replay_without_a_dedupe_key_is_refused(client, plain_account):
    ts, n = fresh()
    first = plain_post(client, ANONYMOUS, timestamp=ts, nonce=n)
    replay = plain_post(client, ANONYMOUS, timestamp=ts, nonce=n)
    assert first.status_code == 200
    assert replay.status_code == 403
    assert CallbackEvent.objects.count() == 1


def test_replayed_query_with_another_body_is_refused(client, plain_account, results):
    # Plain-mode signatures do not cover the body: a captured query must not carry a forged event.
    ts, n = fresh()
    assert plain_post(client, TEXT, timestamp=ts, nonce=n).status_code == 200
    assert plain_post(client, PUBLISHED, timestamp=ts, nonce=n).status_code == 403
    assert list(CallbackEvent.objects.values_list("event", flat=True)) == ["text"]
    assert results == []


# Refused POSTs: a 4xx, nothing stored, never a 500


def test_forged_signature_is_refused(client, plain_account):
    assert_refused(plain_post(client, TEXT, token="forged-token"), 403)


def test_forged_msg_signature_is_refused(client, safe_account):
    body, query = safe_request(PUBLISHED)
    query["msg_signature"] = crypto.msg_signature("forged-token", query["timestamp"], query["nonce"], "x")
    assert_refused(client.post(url(**query), data=body.encode(), content_type="text/xml"), 403)


def test_missing_msg_signature_is_refused(client, safe_account):
    body, query = safe_request(PUBLISHED)
    del query["msg_signature"]
    assert_refused(client.post(url(**query), data=body.encode(), content_type="text/xml"), 403)


def test_upper_case_signature_is_refused(client, plain_account):
    ts, n = fresh()
    query = crypto.plain_query(TOKEN, ts, n)
    query["signature"] = query["signature"].upper()
    assert_refused(client.post(url("plain", **query), data=TEXT.encode(), content_type="text/xml"), 403)


@pytest.mark.parametrize("offset", [-301, -3600, 301, 86400])
def test_timestamp_outside_the_window_is_refused(client, safe_account, offset):
    assert_refused(safe_post(client, PUBLISHED, timestamp=str(int(time.time()) + offset)), 403)


@pytest.mark.parametrize("timestamp", ["abc", "-5", "1.5e9", "1" * 20])
def test_malformed_timestamp_is_refused(client, plain_account, timestamp):
    assert_refused(plain_post(client, TEXT, timestamp=timestamp), 400)


def test_wrong_aes_key_is_refused(client, safe_account):
    assert_refused(safe_post(client, PUBLISHED, key=OTHER_KEY), 403)


def test_other_appid_is_refused(client, safe_account):
    assert_refused(safe_post(client, PUBLISHED, appid="wxfedcba9876543210"), 403)


def test_plain_message_to_a_safe_mode_account_is_refused(client, safe_account):
    assert_refused(plain_post(client, TEXT, slug="news"), 403)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    "<xml><ToUserName>gh_0123456789ab</ToUserName><MsgType>text</MsgType><Content>&c;</Content></xml>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>gh_0123456789ab</ToUserName><MsgType>text</MsgType><Content>&x;</Content></xml>"
)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_xml_is_refused_in_plain_mode(client, plain_account, xml):
    assert_refused(plain_post(client, xml), 400)


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_xml_is_refused_inside_the_ciphertext(client, safe_account, xml):
    assert_refused(safe_post(client, xml), 400)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not xml at all", id="text"),
        pytest.param(b'{"MsgType": "text"}', id="json"),
        pytest.param(b"", id="empty"),
        pytest.param("<xml><MsgType>text</MsgType><Content>中文</Content></xml>".encode("gbk"), id="gbk"),
        pytest.param(b"<html><MsgType>text</MsgType></html>", id="other-root"),
        pytest.param(b"<xml><Content>no type</Content></xml>", id="no-msgtype"),
        pytest.param(b"<xml>" + b"<a>" * 50 + b"</a>" * 50 + b"</xml>", id="deep"),
    ],
)
def test_bad_bodies_are_refused(client, plain_account, body):
    assert_refused(plain_post(client, body), 400)


def test_oversized_content_length_is_refused_before_reading(client, plain_account):
    assert_refused(plain_post(client, TEXT, CONTENT_LENGTH=str(10**9)), 413)


def test_oversized_body_is_refused(client, plain_account):
    padding = "x" * (64 * 1024)
    assert_refused(plain_post(client, TEXT.replace("你好", padding)), 413)


def test_oversized_body_is_refused_whatever_the_header_said(plain_account, settings):
    settings.WECHAT_CHANNEL = {"CALLBACK_MAX_BYTES": 100}
    ts, n = fresh()
    with pytest.raises(CallbackRefused) as refused:
        open_message(plain_account, crypto.plain_query(TOKEN, ts, n), TEXT.encode())
    assert refused.value.status == 413


def test_body_at_the_limit_is_accepted(plain_account, settings):
    settings.WECHAT_CHANNEL = {"CALLBACK_MAX_BYTES": len(TEXT.encode())}
    ts, n = fresh()
    assert open_message(plain_account, crypto.plain_query(TOKEN, ts, n), TEXT.encode())["MsgId"] == "23637010101"


def test_body_longer_than_its_content_length_is_cut_and_refused(client, plain_account):
    assert_refused(plain_post(client, TEXT, CONTENT_LENGTH="40"), 400)


def test_bad_content_length_is_refused(client, plain_account):
    assert_refused(plain_post(client, TEXT, CONTENT_LENGTH="lots"), 400)


def test_unknown_account_is_refused(client, safe_account):
    assert_refused(safe_post(client, PUBLISHED, slug="elsewhere"), 404)


def test_inactive_account_is_refused(client, safe_account):
    safe_account.is_active = False
    safe_account.save()
    assert_refused(safe_post(client, PUBLISHED), 404)


def test_account_without_a_token_is_refused(client, safe_account, monkeypatch):
    monkeypatch.delenv("WECHAT_CB_TOKEN")
    assert_refused(safe_post(client, PUBLISHED), 403)


def test_other_methods_are_refused(client, safe_account):
    response = client.put(url(), data=b"<xml/>", content_type="text/xml")
    assert response.status_code == 405
    assert CallbackEvent.objects.count() == 0


def test_an_unexpected_parse_failure_is_a_400(client, plain_account, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("wechat_channel.views.callback.open_message", explode)
    assert_refused(plain_post(client, TEXT), 400)


def test_a_post_reusing_a_verifications_signature_is_refused(client, plain_account):
    # The GET's signature covers token, timestamp and nonce only: the same as a plain-mode POST's (§6.1, §6.2).
    ts, n = fresh()
    query = crypto.plain_query(TOKEN, ts, n)
    assert client.get(url("plain", **query, echostr="42")).content == b"42"
    assert_refused(plain_post(client, TEXT, timestamp=ts, nonce=n), 403)
    assert client.get(url("plain", **query, echostr="42")).status_code == 403  # nor is a verification replayed
