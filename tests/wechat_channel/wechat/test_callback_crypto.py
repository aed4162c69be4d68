"""The site's wechatpy path for callbacks against WECHAT.md's known answers (§6.1, §6.2), and its XML guards."""

import pytest
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.utils import check_signature

from wechat_channel.models import WeChatAccount
from wechat_channel.sandbox import crypto as sandbox_crypto
from wechat_channel.wechat.callback import MAX_DEPTH, CallbackRefused, open_message, parse_xml, verify_url

TOKEN = "testtoken"
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx0123456789abcdef"
TIMESTAMP = "1700000000"
NONCE = "987654"
SIGNATURE = "58897ceb917f25af42db4f8b707329d7f1f26efc"
PLAINTEXT = (
    "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hello]]></Content>"
    "<MsgId>1</MsgId></xml>"
)
ENCRYPT = (
    "QCTqNwyPmqRu4xuyqVsjawpho92MvociLMBwhvjfHQMG2Pw+3Wqw5SMr63Z7KQ7CRr6/Q51Rg2DnXgJSLgzKzDagKXrCXFXS7QraUzYaFK9Th"
    "YBS4pDhKuRMXx4TVpJiHYyM0yaEE7BLOCeeIrMEB7PC0ble3NpQOCIvxpXVJt47sxY2cNsGR0wPE/n+gn2dRifFov2ijzW1v6XW7/VNI2QZ+xiP"
    "6iOxNsSKWT9xKaSZJ6wkiplQ8E+S4lU8OPErAqpcrKwyXLZivQ0P6ohbSouQF/4gS0i1GACFvPzd9Co/DoUU5ijJeGzdwkZsmzRfvmLZLM2NMwpg"
    "D2CVT9lQw7x9IRyBtc7Td+L1+oQXrjLmIAGf1cveU0PxOhVS40cb"
)
MSG_SIGNATURE = "40a8f455cea2c9f3e67c3de3d56a5c86bebfa887"
ENVELOPE = f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{ENCRYPT}]]></Encrypt></xml>"
KAT_QUERY = {
    "signature": SIGNATURE,
    "timestamp": TIMESTAMP,
    "nonce": NONCE,
    "encrypt_type": "aes",
    "msg_signature": MSG_SIGNATURE,
}


@pytest.fixture
def kat_account(monkeypatch, settings):
    """An unsaved safe-mode account holding the KAT secrets; the windows are widened for the 2023 timestamps."""
    monkeypatch.setenv("WECHAT_KAT_TOKEN", TOKEN)
    monkeypatch.setenv("WECHAT_KAT_AES_KEY", KEY)
    settings.WECHAT_CHANNEL = {"CALLBACK_MAX_SKEW_SECONDS": 10**10, "CALLBACK_CREATE_TIME_WINDOW_SECONDS": 10**10}
    return WeChatAccount(
        slug="kat",
        appid=APPID,
        secret_env="WECHAT_KAT_SECRET",
        callback_token_env="WECHAT_KAT_TOKEN",
        aes_key_env="WECHAT_KAT_AES_KEY",
        callback_mode=WeChatAccount.CallbackMode.SAFE,
    )


def test_signature_known_answer_through_wechatpy():
    check_signature(TOKEN, SIGNATURE, TIMESTAMP, NONCE)
    with pytest.raises(InvalidSignatureException):
        check_signature(TOKEN, SIGNATURE, TIMESTAMP, "987655")


def test_url_verification_known_answer(kat_account):
    query = {"signature": SIGNATURE, "timestamp": TIMESTAMP, "nonce": NONCE, "echostr": "5837397749827352"}
    assert verify_url(kat_account, query) == "5837397749827352"


def test_decrypt_known_answer_through_wechatpy():
    crypto = WeChatCrypto(TOKEN, KEY, APPID)
    assert crypto.decrypt_message(ENVELOPE, MSG_SIGNATURE, TIMESTAMP, NONCE) == PLAINTEXT


def test_open_message_known_answer(kat_account):
    assert open_message(kat_account, KAT_QUERY, ENVELOPE.encode()) == {
        "ToUserName": "gh_test",
        "FromUserName": "o_user",
        "CreateTime": "1700000000",
        "MsgType": "text",
        "Content": "hello",
        "MsgId": "1",
    }


def test_sandbox_and_site_agree_on_the_known_answer():
    assert sandbox_crypto.encrypt(KEY, APPID, PLAINTEXT, random_prefix="1234567890123456") == ENCRYPT
    assert sandbox_crypto.msg_signature(TOKEN, TIMESTAMP, NONCE, ENCRYPT) == MSG_SIGNATURE


def test_known_answer_for_another_appid_is_refused(kat_account):
    kat_account.appid = "wxfedcba9876543210"
    with pytest.raises(CallbackRefused) as refused:
        open_message(kat_account, KAT_QUERY, ENVELOPE.encode())
    assert refused.value.status == 403


def test_known_answer_with_another_key_is_refused(kat_account, monkeypatch):
    monkeypatch.setenv("WECHAT_KAT_AES_KEY", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg")
    with pytest.raises(CallbackRefused) as refused:
        open_message(kat_account, KAT_QUERY, ENVELOPE.encode())
    assert refused.value.status == 403


def test_known_answer_with_a_tampered_encrypt_is_refused(kat_account):
    body = ENVELOPE.replace(ENCRYPT, "A" + ENCRYPT[1:]).encode()
    with pytest.raises(CallbackRefused) as refused:
        open_message(kat_account, KAT_QUERY, body)
    assert refused.value.status == 403


def test_known_answer_is_stale_under_the_default_window(kat_account, settings):
    settings.WECHAT_CHANNEL = {}
    with pytest.raises(CallbackRefused) as refused:
        open_message(kat_account, KAT_QUERY, ENVELOPE.encode())
    assert (refused.value.status, refused.value.reason) == (403, "stale timestamp")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<xml><MsgType>text</MsgType><Content>&lol3;</Content></xml>"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<xml><MsgType>text</MsgType><Content>&xxe;</Content></xml>"
)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(EXTERNAL_ENTITY, id="external-entity"),
        pytest.param(b"<!doctype xml><xml><MsgType>text</MsgType></xml>", id="lower-case-doctype"),
        pytest.param(b"<xml><MsgType>text</MsgType>&amp;</xml", id="truncated"),
        pytest.param(b'{"MsgType": "text"}', id="json"),
        pytest.param(b"", id="empty"),
        pytest.param(b"   \n", id="blank"),
        pytest.param("<xml><Content>中文</Content></xml>".encode("gbk"), id="gbk"),
        pytest.param(b"<root><MsgType>text</MsgType></root>", id="not-xml-root"),
        pytest.param(b"<xml><a>1</a></xml><xml/>", id="two-roots"),
        pytest.param(b"<xml>" + b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH + b"</xml>", id="too-deep"),
    ],
)
def test_unsafe_or_malformed_xml_is_refused(body):
    with pytest.raises(CallbackRefused) as refused:
        parse_xml(body)
    assert refused.value.status == 400


def test_deepest_real_event_is_accepted():
    body = b"<xml><PublishEventInfo><article_detail><item><idx>1</idx></item></article_detail></PublishEventInfo></xml>"
    assert parse_xml(body)["PublishEventInfo"]["article_detail"]["item"] == {"idx": "1"}


def test_entities_inside_the_ciphertext_are_refused_after_decryption(kat_account):
    bomb = BILLION_LAUGHS.decode().replace("<xml>", "<xml><ToUserName>gh_test</ToUserName>", 1)
    body, query = sandbox_crypto.envelope(TOKEN, KEY, APPID, bomb, TIMESTAMP, NONCE)
    assert "DOCTYPE" not in body
    with pytest.raises(CallbackRefused) as refused:
        open_message(kat_account, query, body.encode())
    assert refused.value.status == 400


@pytest.mark.parametrize(
    "content",
    ["<!DOCTYPE html><html></html>", '<!ENTITY x SYSTEM "file:///etc/passwd"> &x;', "<!doctype html> 举报"],
)
def test_a_declaration_inside_text_is_content_not_a_declaration(content):
    """A follower may quote HTML; only a DOCTYPE in the document itself is refused (defusedxml)."""
    body = f"<xml><MsgType>text</MsgType><Content><![CDATA[{content}]]></Content></xml>".encode()
    assert parse_xml(body)["Content"] == content


def test_a_declaration_inside_the_ciphertexts_text_is_kept(kat_account):
    message = PLAINTEXT.replace("hello", "<!DOCTYPE html> 举报")
    body, query = sandbox_crypto.envelope(TOKEN, KEY, APPID, message, TIMESTAMP, NONCE)
    assert open_message(kat_account, query, body.encode())["Content"] == "<!DOCTYPE html> 举报"


FIELDS = "<xml><ToUserName>gh_test</ToUserName><MsgType>text</MsgType>{}</xml>"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param("<CreateTime>999999999999</CreateTime>", id="create-time-year-33658"),
        pytest.param("<CreateTime>1700000000</CreateTime>", id="create-time-in-2023"),
        pytest.param("<CreateTime>-1</CreateTime>", id="create-time-negative"),
        pytest.param("<CreateTime>1</CreateTime><CreateTime>2</CreateTime>", id="create-time-twice"),
        pytest.param("<MsgId>18446744073709551616</MsgId>", id="msgid-2-to-the-64"),
        pytest.param("<MsgID>x</MsgID>", id="mass-msgid-not-a-number"),
        pytest.param("<FromUserName>" + "o" * 65 + "</FromUserName>", id="openid-oversized"),
        pytest.param('<Event a="1">subscribe</Event>', id="event-with-attributes"),
    ],
)
def test_values_no_genuine_message_carries_are_refused(kat_account, settings, fields):
    settings.WECHAT_CHANNEL = {"CALLBACK_MAX_SKEW_SECONDS": 10**10}  # CreateTime keeps its default window
    body, query = sandbox_crypto.envelope(TOKEN, KEY, APPID, FIELDS.format(fields), TIMESTAMP, NONCE)
    with pytest.raises(CallbackRefused) as refused:
        open_message(kat_account, query, body.encode())
    assert refused.value.status == 400


def test_a_message_of_now_with_a_64_bit_msgid_is_accepted(kat_account, settings):
    import time

    settings.WECHAT_CHANNEL = {"CALLBACK_MAX_SKEW_SECONDS": 10**10}
    fields = f"<CreateTime>{int(time.time()) + 3600}</CreateTime><MsgId>18446744073709551615</MsgId>"
    body, query = sandbox_crypto.envelope(TOKEN, KEY, APPID, FIELDS.format(fields), TIMESTAMP, NONCE)
    assert open_message(kat_account, query, body.encode())["MsgId"] == "18446744073709551615"
