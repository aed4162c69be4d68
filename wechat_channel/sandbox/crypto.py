"""WeChat callback signatures and AES message crypto, as the sandbox uses them.

An independent implementation of WECHAT.md section 6 (standard library and
``cryptography`` only), so that it and the site's wechatpy side check each other.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_SIZE = 32  # WeChat pads to 32 bytes, not the AES block size of 16
RANDOM_PREFIX_SIZE = 16
_KEY_PATTERN = re.compile(r"[A-Za-z0-9]{43}")
_TO_USER_PATTERN = re.compile(r"<ToUserName>\s*(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))\s*</ToUserName>", re.DOTALL)


class CryptoError(Exception):
    """Base class of every failure to encrypt or decrypt a callback."""


class InvalidEncodingAESKey(CryptoError, ValueError):
    """The EncodingAESKey is not 43 characters of [A-Za-z0-9]."""


class BadPadding(CryptoError):
    """The ciphertext is malformed or its PKCS#7 padding is invalid (usually a wrong key)."""


class BadKey(CryptoError):
    """The decrypted plaintext is not a well-formed message (a wrong key)."""


class WrongAppId(CryptoError):
    """The trailing appid of the decrypted plaintext is not the expected one."""


def signature(token: str, timestamp: str | int, nonce: str | int) -> str:
    """SHA-1 hex of the sorted token, timestamp and nonce (URL check, plain-mode POSTs)."""
    return _sha1_sorted(token, str(timestamp), str(nonce))


def msg_signature(token: str, timestamp: str | int, nonce: str | int, encrypt: str) -> str:
    """SHA-1 hex of the sorted token, timestamp, nonce and Encrypt value (safe mode)."""
    return _sha1_sorted(token, str(timestamp), str(nonce), encrypt)


def _sha1_sorted(*parts: str) -> str:
    # WeChat's signatures are plain SHA-1; S324 does not apply to a protocol we must match.
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()  # noqa: S324


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key behind a 43-character EncodingAESKey."""
    if not isinstance(encoding_aes_key, str) or not _KEY_PATTERN.fullmatch(encoding_aes_key):
        raise InvalidEncodingAESKey("EncodingAESKey must be exactly 43 characters from [A-Za-z0-9]")
    return base64.b64decode(encoding_aes_key + "=")


def _cipher(key: bytes) -> Cipher:
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt(encoding_aes_key: str, appid: str, plaintext_xml: str, random_prefix: bytes | str | None = None) -> str:
    """Encrypt a message the way WeChat does; returns the base64 ``Encrypt`` value."""
    key = aes_key(encoding_aes_key)
    if random_prefix is None:
        prefix = os.urandom(RANDOM_PREFIX_SIZE)
    else:
        prefix = random_prefix.encode("utf-8") if isinstance(random_prefix, str) else bytes(random_prefix)
        if len(prefix) != RANDOM_PREFIX_SIZE:
            raise ValueError(f"random_prefix must be {RANDOM_PREFIX_SIZE} bytes")
    message = plaintext_xml.encode("utf-8")
    body = prefix + struct.pack(">I", len(message)) + message + appid.encode("utf-8")
    pad = BLOCK_SIZE - len(body) % BLOCK_SIZE
    body += bytes([pad]) * pad
    encryptor = _cipher(key).encryptor()
    return base64.b64encode(encryptor.update(body) + encryptor.finalize()).decode("ascii")


def decrypt(encoding_aes_key: str, appid: str, encrypt: str) -> str:
    """Decrypt an ``Encrypt`` value and check its appid; returns the plaintext XML."""
    key = aes_key(encoding_aes_key)
    try:
        ciphertext = base64.b64decode(encrypt, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadPadding("Encrypt is not valid base64") from exc
    if not ciphertext or len(ciphertext) % 16:
        raise BadPadding("ciphertext length is not a multiple of the AES block size")
    decryptor = _cipher(key).decryptor()
    body = decryptor.update(ciphertext) + decryptor.finalize()

    pad = body[-1]
    if not 1 <= pad <= BLOCK_SIZE or body[-pad:] != bytes([pad]) * pad:
        raise BadPadding("invalid PKCS#7 padding (wrong EncodingAESKey?)")
    body = body[:-pad]
    if len(body) < RANDOM_PREFIX_SIZE + 4:
        raise BadKey("plaintext too short (wrong EncodingAESKey?)")
    (length,) = struct.unpack(">I", body[RANDOM_PREFIX_SIZE : RANDOM_PREFIX_SIZE + 4])
    start = RANDOM_PREFIX_SIZE + 4
    if start + length > len(body):
        raise BadKey("message length exceeds the plaintext (wrong EncodingAESKey?)")
    try:
        message = body[start : start + length].decode("utf-8")
        received_appid = body[start + length :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadKey("plaintext is not UTF-8 (wrong EncodingAESKey?)") from exc
    if received_appid != appid:
        raise WrongAppId(f"appid {received_appid!r} does not match {appid!r}")
    return message


def plain_query(token: str, timestamp: str | int, nonce: str | int) -> dict[str, str]:
    """Query parameters of a plain-mode callback POST."""
    return {"signature": signature(token, timestamp, nonce), "timestamp": str(timestamp), "nonce": str(nonce)}


def _to_user_name(plaintext_xml: str) -> str:
    match = _TO_USER_PATTERN.search(plaintext_xml)
    if match is None:
        raise ValueError("plaintext XML has no ToUserName")
    return match.group(1) if match.group(1) is not None else match.group(2).strip()


def envelope(
    token: str,
    encoding_aes_key: str,
    appid: str,
    plaintext_xml: str,
    timestamp: str | int,
    nonce: str | int,
    random_prefix: bytes | str | None = None,
) -> tuple[str, dict[str, str]]:
    """A safe-mode callback POST: ``(body_xml, query_params)`` ready to send."""
    encrypted = encrypt(encoding_aes_key, appid, plaintext_xml, random_prefix)
    body = (
        f"<xml><ToUserName><![CDATA[{_to_user_name(plaintext_xml)}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    )
    query = plain_query(token, timestamp, nonce)
    query["encrypt_type"] = "aes"
    query["msg_signature"] = msg_signature(token, timestamp, nonce, encrypted)
    return body, query
