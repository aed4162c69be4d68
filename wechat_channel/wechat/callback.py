"""The site's side of WeChat's server callback (WECHAT.md §6): signatures, AES envelopes, safe XML.

Every bad input raises `CallbackRefused` with the HTTP status to answer; nothing here
touches the database. Crypto goes through wechatpy; the sandbox has its own copy.
"""

from __future__ import annotations

import binascii
import hashlib
import logging
import re
import struct
import time
from collections.abc import Mapping

import xmltodict
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.core.cache import cache
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

from wechat_channel.conf import get_conf

logger = logging.getLogger(__name__)

MAX_DEPTH = 10  # PUBLISHJOBFINISH and MASSSENDJOBFINISH nest 5 deep
MAX_ECHOSTR = 256
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")
_DIGITS = re.compile(r"[0-9]{1,12}")
_SHA1_HEX = re.compile(r"[0-9a-f]{40}")
MAX_NONCE = 64
# Identity fields WeChat keeps short (an openid is 28 characters, a gh_ id 15, §6.3); longer is not WeChat.
MAX_NAME = 64
_NAME_FIELDS = ("ToUserName", "FromUserName", "MsgType", "Event")
# MsgId and MASSSENDJOBFINISH's MsgID are 64-bit; CreateTime is seconds (§6.3).
_NUMBER_FIELDS = {"MsgId": 2**64, "MsgID": 2**64, "CreateTime": 10**12}
_NUMBER = re.compile(r"[0-9]{1,20}")
VERIFICATION = "url verification"  # what the replay cache holds for a GET: never a POST body's digest


class CallbackRefused(Exception):
    """A callback request the site will not act on; `status` is the HTTP answer."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


def verify_url(account, query: Mapping[str, str]) -> str:
    """The GET check under 服务器配置: returns `echostr` once `signature` matches (§6.1, plaintext in every mode)."""
    verify_signature(account, query)
    echostr = query.get("echostr") or ""
    if not echostr or len(echostr) > MAX_ECHOSTR:
        raise CallbackRefused(400, "missing or oversized echostr")
    return echostr


def open_message(account, query: Mapping[str, str], body: bytes) -> dict:
    """A POSTed message or event as xmltodict's dict of its `<xml>` root, checked and (safe mode) decrypted."""
    if len(body) > get_conf("CALLBACK_MAX_BYTES"):
        raise CallbackRefused(413, "body too large")
    timestamp, nonce = verify_signature(account, query)
    envelope = parse_xml(body)
    if account.callback_mode != account.CallbackMode.SAFE:
        return _checked_message(envelope)
    # Safe mode: only an encrypted envelope is trusted, even in compatible mode's mixed bodies.
    encrypted = envelope.get("Encrypt")
    if not isinstance(encrypted, str) or not encrypted:
        raise CallbackRefused(403, "safe-mode account: unencrypted message")
    msg_signature = query.get("msg_signature") or ""
    if not msg_signature:
        raise CallbackRefused(403, "missing msg_signature")
    plaintext = _decrypt(account, {"Encrypt": encrypted}, msg_signature, timestamp, nonce)
    return _checked_message(parse_xml(plaintext.encode("utf-8")))


def refuse_replay(account, query: Mapping[str, str], body: bytes | None) -> bool:
    """Spend a verified request's signature (over the sorted token, timestamp, nonce) before its body is read.

    Plain-mode signatures do not cover the body (§6.1, §6.2): a GET verification's signature is a valid POST
    signature, so it is recorded too (`body` None), and so is a POST's whose body is then refused. Any reuse
    raises 403, except a byte-identical POST, for which this returns True: WeChat's own retry, which the caller
    lets through only when its dedupe key absorbs it. `cache.add` checks and records in one step; the cache
    must be shared by every process (Redis or the database, `checks.replay_cache_is_shared`).
    """
    # Keyed on the signature alone: it covers the sorted (token, timestamp, nonce), so swapping the timestamp
    # and a timestamp-like nonce gives another query with the same signature, and must count as the same one.
    key = "wechat_channel:callback:{}:{}".format(account.pk, query.get("signature", "").lower())
    digest = VERIFICATION if body is None else hashlib.sha256(body).hexdigest()
    if cache.add(key, digest, timeout=2 * get_conf("CALLBACK_MAX_SKEW_SECONDS") + 60):
        return False
    if body is not None and cache.get(key) == digest:
        return True
    raise CallbackRefused(403, "replayed request")


def parse_xml(body: bytes) -> dict:
    """The children of a `<xml>` root as a dict; no DTDs or entities, bounded nesting, UTF-8 only.

    defusedxml refuses a DOCTYPE or ENTITY declaration in the document itself (billion laughs, external
    entities); the same words inside a follower's text or CDATA are content and are kept.
    """
    if not body or not body.strip():
        raise CallbackRefused(400, "empty body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise CallbackRefused(400, "body is not UTF-8") from None
    try:
        root = SafeElementTree.fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, SafeElementTree.ParseError, ValueError):
        raise CallbackRefused(400, "body is not well-formed XML") from None
    if root.tag != "xml":
        raise CallbackRefused(400, "root element is not <xml>")
    if _depth(root) > MAX_DEPTH:
        raise CallbackRefused(400, "XML nested too deeply")
    try:
        data = xmltodict.parse(text, disable_entities=True)["xml"]
    except Exception:  # already parsed once; anything here is still a bad body
        logger.warning("callback XML accepted by ElementTree but not by xmltodict", exc_info=True)
        raise CallbackRefused(400, "body is not well-formed XML") from None
    return data if isinstance(data, dict) else {}


def verify_signature(account, query: Mapping[str, str]) -> tuple[str, str]:
    """(timestamp, nonce) once `signature` matches the account's token and the timestamp is recent."""
    token = account.callback_token
    if not token:
        logger.error("WeChat account %s has no callback token in %s", account.slug, account.callback_token_env or "?")
        raise CallbackRefused(403, "callback not configured")
    signature, timestamp, nonce = (query.get(name) or "" for name in ("signature", "timestamp", "nonce"))
    if not (signature and timestamp and nonce):
        raise CallbackRefused(400, "missing signature, timestamp or nonce")
    if not _DIGITS.fullmatch(timestamp) or len(nonce) > MAX_NONCE:
        raise CallbackRefused(400, "bad timestamp or nonce")
    if abs(time.time() - int(timestamp)) > get_conf("CALLBACK_MAX_SKEW_SECONDS"):
        raise CallbackRefused(403, "stale timestamp")
    try:
        if not _SHA1_HEX.fullmatch(signature):
            raise InvalidSignatureException()
        check_signature(token, signature, timestamp, nonce)
    except InvalidSignatureException:
        raise CallbackRefused(403, "bad signature") from None
    return timestamp, nonce


def _decrypt(account, envelope: dict, msg_signature: str, timestamp: str, nonce: str) -> str:
    aes_key = account.aes_key
    if not _AES_KEY.fullmatch(aes_key):
        logger.error("WeChat account %s has no valid EncodingAESKey in %s", account.slug, account.aes_key_env or "?")
        raise CallbackRefused(403, "callback not configured")
    crypto = WeChatCrypto(account.callback_token, aes_key, account.appid)
    try:
        return crypto.decrypt_message(envelope, msg_signature, timestamp, nonce)
    except InvalidSignatureException:
        raise CallbackRefused(403, "bad msg_signature") from None
    except InvalidAppIdException:
        # wechatpy does not check padding: a wrong key usually surfaces as a foreign appid.
        raise CallbackRefused(403, "cannot decrypt: wrong key or appid") from None
    except (binascii.Error, ValueError, struct.error, IndexError, UnicodeDecodeError):
        raise CallbackRefused(403, "cannot decrypt: wrong key or malformed Encrypt") from None


def _checked_message(data: dict) -> dict:
    """Refuse at the door what no genuine message carries, so nothing stored can fail for ever in processing."""
    if not isinstance(data.get("MsgType"), str) or not data["MsgType"]:
        raise CallbackRefused(400, "no MsgType")
    for name in _NAME_FIELDS:
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_NAME):
            raise CallbackRefused(400, f"bad {name}")
    for name, bound in _NUMBER_FIELDS.items():
        value = data.get(name)
        if value is not None and not (isinstance(value, str) and _NUMBER.fullmatch(value) and int(value) < bound):
            raise CallbackRefused(400, f"bad {name}")
    # WeChat stamps CreateTime when it sends and retries within seconds; the query's timestamp already has
    # CALLBACK_MAX_SKEW_SECONDS, so a CreateTime a day away is not a delivery (and 999999999999 is no date).
    created = data.get("CreateTime")
    if created is not None and abs(time.time() - int(created)) > get_conf("CALLBACK_CREATE_TIME_WINDOW_SECONDS"):
        raise CallbackRefused(400, "CreateTime out of range")
    return data


def _depth(element, level: int = 1) -> int:
    # Iterative, so a deep document cannot exhaust the Python stack.
    deepest, stack = level, [(element, level)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        stack.extend((child, depth + 1) for child in node)
    return deepest
