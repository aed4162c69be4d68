"""What the sandbox's tests share: small files of each kind, wechatpy calls and the control endpoints."""

import io
import struct
import time
import zlib

import pytest
import requests
from wechatpy.exceptions import WeChatClientException


def tiny_png():
    """A valid 1×1 PNG built by hand."""

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG = tiny_png()
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"
THUMB = b"\xff\xd8\xff\xe0" + b"\x00" * 200 + b"\xff\xd9"


def named(data, name):
    """`data` as an upload named `name` (wechatpy sends the name as the multipart filename)."""
    f = io.BytesIO(data)
    f.name = name
    return f


def control(sandbox, name, body=None, method="POST"):
    """Call a `/sandbox/<name>` control endpoint and return its JSON (asserting HTTP 200)."""
    response = requests.request(method, f"{sandbox.url}/sandbox/{name}", json=body, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def thumb_id(client):
    """A permanent cover: `material/add_material?type=thumb`."""
    return client.material.add("thumb", named(THUMB, "cover.jpg"))["media_id"]


def content_image(client):
    """A content image URL from `media/uploadimg` (on the sandbox host)."""
    return client.media.upload_image(named(PNG, "inline.png"))


def article(thumb, title="Title", content="<p>Body text</p>", **extra):
    return {"title": title, "content": content, "thumb_media_id": thumb, **extra}


def add_draft(client, *articles):
    return client.draft.add(list(articles))["media_id"]


def errcode(call, *args, **kwargs):
    """The errcode wechatpy raised for `call(*args, **kwargs)` (which must fail)."""
    with pytest.raises(WeChatClientException) as caught:
        call(*args, **kwargs)
    return caught.value.errcode


def logged(sandbox, path, count):
    """The call-log entries of `path` once `count` of them are recorded (the log is written after answering)."""
    deadline = time.monotonic() + 2
    while len(calls := sandbox.calls.as_list(path=path)) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return calls
