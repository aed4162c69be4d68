"""Known answers (WECHAT.md section 6) and a cross-check against wechatpy."""

import os
import re
import string

import pytest
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException

from wechat_channel.sandbox import crypto

TOKEN = "testtoken"
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx0123456789abcdef"
TIMESTAMP = "1700000000"
NONCE = "987654"
PLAINTEXT = (
    "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[hello]]></Content><MsgId>1</MsgId></xml>"
)
KAT_ENCRYPT = (
    "QCTqNwyPmqRu4xuyqVsjawpho92MvociLMBwhvjfHQMG2Pw+3Wqw5SMr63Z7KQ7CRr6/Q51Rg2DnXgJSLgzKzDagKXrCXFXS7QraUzYaFK9T"
    "hYBS4pDhKuRMXx4TVpJiHYyM0yaEE7BLOCeeIrMEB7PC0ble3NpQOCIvxpXVJt47sxY2cNsGR0wPE/n+gn2dRifFov2ijzW1v6XW7/VNI2QZ+"
    "xiP6iOxNsSKWT9xKaSZJ6wkiplQ8E+S4lU8OPErAqpcrKwyXLZivQ0P6ohbSouQF/4gS0i1GACFvPzd9Co/DoUU5ijJeGzdwkZsmzRfvmLZLM2"
    "NMwpgD2CVT9lQw7x9IRyBtc7Td+L1+oQXrjLmIAGf1cveU0PxOhVS40cb"
)
KEY_ALPHABET = string.ascii_letters + string.digits
KAT_MSG_SIGNATURE = "40a8f455cea2c9f3e67c3de3d56a5c86bebfa887"
CHINESE_XML = (
    "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o_user]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
    "<Event><![CDATA[PUBLISHJOBFINISH]]></Event><Content><![CDATA["
    + "关于开展廉洁从业专项检查的通知。" * 300
    + "]]></Content></xml>"
)


def _field(xml, name):
    match = re.search(rf"<{name}>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))</{name}>", xml, re.DOTALL)
    assert match is not None, f"{name} missing from {xml!r}"
    return match.group(1) if match.group(1) is not None else match.group(2)


def test_signature_known_answer():
    assert crypto.signature(TOKEN, TIMESTAMP, NONCE) == "58897ceb917f25af42db4f8b707329d7f1f26efc"
    assert crypto.signature(TOKEN, 1700000000, 987654) == "58897ceb917f25af42db4f8b707329d7f1f26efc"


def test_encrypt_and_msg_signature_known_answer():
    encrypted = crypto.encrypt(KEY, APPID, PLAINTEXT, random_prefix=b"1234567890123456")
    assert encrypted == KAT_ENCRYPT
    assert crypto.msg_signature(TOKEN, TIMESTAMP, NONCE, encrypted) == KAT_MSG_SIGNATURE
    assert crypto.decrypt(KEY, APPID, KAT_ENCRYPT) == PLAINTEXT


def test_envelope_known_answer():
    body, query = crypto.envelope(TOKEN, KEY, APPID, PLAINTEXT, TIMESTAMP, NONCE, random_prefix="1234567890123456")
    assert body == (
        f"<xml><ToUserName><![CDATA[gh_test]]></ToUserName><Encrypt><![CDATA[{KAT_ENCRYPT}]]></Encrypt></xml>"
    )
    assert query == {
        "signature": "58897ceb917f25af42db4f8b707329d7f1f26efc",
        "timestamp": TIMESTAMP,
        "nonce": NONCE,
        "encrypt_type": "aes",
        "msg_signature": KAT_MSG_SIGNATURE,
    }


def test_plain_query():
    assert crypto.plain_query(TOKEN, 1700000000, NONCE) == {
        "signature": "58897ceb917f25af42db4f8b707329d7f1f26efc",
        "timestamp": TIMESTAMP,
        "nonce": NONCE,
    }


@pytest.mark.parametrize("message", [PLAINTEXT, CHINESE_XML, "", "x" * 31, "x" * 32])
def test_round_trip_with_random_prefixes(message):
    ciphertexts = {crypto.encrypt(KEY, APPID, message) for _ in range(5)}
    assert len(ciphertexts) == 5  # the random prefix changes every ciphertext
    for encrypted in ciphertexts:
        assert crypto.decrypt(KEY, APPID, encrypted) == message


def test_other_appid_raises_wrong_appid():
    with pytest.raises(crypto.WrongAppId):
        crypto.decrypt(KEY, "wxffffffffffffffff", KAT_ENCRYPT)


def test_wrong_key_never_returns_garbage():
    encrypted = crypto.encrypt(KEY, APPID, CHINESE_XML)
    for _ in range(200):
        other_key = "".join(KEY_ALPHABET[b % 62] for b in os.urandom(43))
        if other_key == KEY:
            continue
        with pytest.raises(crypto.CryptoError):
            crypto.decrypt(other_key, APPID, encrypted)


@pytest.mark.parametrize("bad", ["not base64!", "QUJD", ""])
def test_malformed_ciphertext_raises_crypto_error(bad):
    with pytest.raises(crypto.CryptoError):
        crypto.decrypt(KEY, APPID, bad)


@pytest.mark.parametrize("bad_key", [KEY[:-1], KEY + "H", KEY[:-1] + "+", KEY[:-1] + "=", KEY[:-1] + "中", "", None])
def test_invalid_encoding_aes_key_rejected(bad_key):
    with pytest.raises(crypto.InvalidEncodingAESKey, match="43 characters"):
        crypto.encrypt(bad_key, APPID, PLAINTEXT)
    with pytest.raises(crypto.InvalidEncodingAESKey):
        crypto.decrypt(bad_key, APPID, KAT_ENCRYPT)


def test_random_prefix_must_be_16_bytes():
    with pytest.raises(ValueError, match="16 bytes"):
        crypto.encrypt(KEY, APPID, PLAINTEXT, random_prefix=b"short")


@pytest.mark.parametrize("message", [PLAINTEXT, CHINESE_XML])
def test_wechatpy_accepts_our_envelope(message):
    body, query = crypto.envelope(TOKEN, KEY, APPID, message, TIMESTAMP, NONCE)
    wechatpy_crypto = WeChatCrypto(TOKEN, KEY, APPID)
    decrypted = wechatpy_crypto.decrypt_message(body, query["msg_signature"], query["timestamp"], query["nonce"])
    assert decrypted == message


def test_wechatpy_rejects_our_envelope_for_another_appid():
    body, query = crypto.envelope(TOKEN, KEY, APPID, PLAINTEXT, TIMESTAMP, NONCE)
    with pytest.raises(InvalidAppIdException):
        WeChatCrypto(TOKEN, KEY, "wxffffffffffffffff").decrypt_message(
            body, query["msg_signature"], query["timestamp"], query["nonce"]
        )


@pytest.mark.parametrize("message", [PLAINTEXT, CHINESE_XML])
def test_we_accept_wechatpy_encrypt_message(message):
    reply = WeChatCrypto(TOKEN, KEY, APPID).encrypt_message(message, NONCE, TIMESTAMP)
    encrypted = _field(reply, "Encrypt")
    timestamp, nonce = _field(reply, "TimeStamp"), _field(reply, "Nonce")
    assert (timestamp, nonce) == (TIMESTAMP, NONCE)
    assert _field(reply, "MsgSignature") == crypto.msg_signature(TOKEN, timestamp, nonce, encrypted)
    assert crypto.decrypt(KEY, APPID, encrypted) == message
