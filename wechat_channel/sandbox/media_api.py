"""Media upload endpoints (WECHAT.md §2.1, §2.2, §2.4 quirks, §10 item 5); downloads live in `materials`.

Checks run in this order: 40004 bad `type` (add_material), 41005 no usable `media` part, 40005 wrong file
type (filename extension and magic bytes must both be allowed), then the size limit (40009 images, 40010
voice, 40011 video, 40012 thumbs), then for videos the `description` JSON (47001 without title and introduction).
Returned URLs are on the sandbox host, not `mmbiz.qpic.cn`; see `wechat_channel.sandbox.media`.
"""

import json
import os
from email.parser import BytesParser
from email.policy import compat32

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.media import media_store, sniff_format
from wechat_channel.sandbox.routes import api

INVALID_MEDIA_TYPE = 40004
INVALID_FILE_TYPE = 40005
INVALID_FILE_SIZE = 40006
INVALID_IMAGE_SIZE = 40009
INVALID_VOICE_SIZE = 40010
INVALID_VIDEO_SIZE = 40011
INVALID_THUMB_SIZE = 40012
MEDIA_DATA_MISSING = 41005

ERRMSGS = {
    INVALID_MEDIA_TYPE: "invalid media type",
    INVALID_FILE_TYPE: "invalid file type",
    INVALID_FILE_SIZE: "invalid file size",
    INVALID_IMAGE_SIZE: "invalid image size",
    INVALID_VOICE_SIZE: "invalid voice size",
    INVALID_VIDEO_SIZE: "invalid video size",
    INVALID_THUMB_SIZE: "invalid thumb size",
    MEDIA_DATA_MISSING: "media data missing",
}

KB = 1024
MB = 1024 * KB

# Allowed filename extensions → the sniffed format they must carry.
EXTENSION_FORMATS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "gif": "gif", "bmp": "bmp"}
EXTENSION_FORMATS.update({"mp3": "mp3", "wav": "wav", "amr": "amr", "wma": "wma", "mp4": "mp4"})


class UploadRule:
    """What one upload kind accepts: extensions, size limit (bytes), and the error code for oversize files."""

    def __init__(self, extensions, max_size, size_code, inclusive=True):
        self.extensions = frozenset(extensions)
        self.max_size = max_size
        self.size_code = size_code
        self.inclusive = inclusive  # True: size <= max_size is fine; False: size must be < max_size

    def too_big(self, size):
        return size > self.max_size if self.inclusive else size >= self.max_size


UPLOADIMG = UploadRule({"jpg", "jpeg", "png"}, 1 * MB, INVALID_IMAGE_SIZE, inclusive=False)  # "jpg/png only, < 1 MB"
MATERIAL_RULES = {
    "image": UploadRule({"bmp", "png", "jpeg", "jpg", "gif"}, 10 * MB, INVALID_IMAGE_SIZE),  # "≤10 MB"
    "thumb": UploadRule({"jpg", "jpeg"}, 64 * KB, INVALID_THUMB_SIZE),  # "≤64 KB, jpg"
    "voice": UploadRule({"mp3", "wma", "wav", "amr"}, 2 * MB, INVALID_VOICE_SIZE),  # "≤2 MB"; 60 s is not checked
    "video": UploadRule({"mp4"}, 10 * MB, INVALID_VIDEO_SIZE),  # "≤10 MB, mp4"
}


def fail(code, errmsg=None):
    return errors.WeChatError(code, errmsg or ERRMSGS[code])


def _header(headers, name):
    name = name.lower()
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _form_parts(request):
    """The parts of a multipart/form-data body, or raise 41005.

    Parsed with `email.parser.BytesParser` under a constructed header, since `cgi` is deprecated.
    """
    content_type = _header(request.headers, "Content-Type") or ""
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type.lower():
        raise fail(MEDIA_DATA_MISSING)
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=compat32).parsebytes(head + request.raw)
    if not message.is_multipart():
        raise fail(MEDIA_DATA_MISSING)
    return message.get_payload()


def read_form_field(request, name):
    """The text of the plain (non-file) form field `name`, or None."""
    for part in _form_parts(request):
        if part.get_param("name", header="content-disposition") == name:
            return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return None


def video_description(request):
    """(title, introduction) from the `description` JSON, taken from the form or, as wechatpy sends it,
    the query string; 47001 unless both are non-empty strings."""
    raw = read_form_field(request, "description") or request.query.get("description") or ""
    try:
        description = json.loads(raw)
    except ValueError:
        description = None
    title = description.get("title") if isinstance(description, dict) else None
    introduction = description.get("introduction") if isinstance(description, dict) else None
    if not (isinstance(title, str) and title and isinstance(introduction, str) and introduction):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    return title, introduction


def read_media_part(request):
    """Return (filename, bytes) of the multipart field `media`, or raise 41005 (WECHAT.md §2.4).

    A part whose filename only comes as RFC 2231 `filename*=` counts as missing, as on the real server.
    """
    for part in _form_parts(request):
        disposition = part.get("Content-Disposition", "")
        if part.get_param("name", header="content-disposition") != "media":
            continue
        if "filename*" in str(disposition).lower():
            raise fail(MEDIA_DATA_MISSING)
        filename = part.get_param("filename", header="content-disposition")
        data = part.get_payload(decode=True)
        if not data:
            raise fail(MEDIA_DATA_MISSING)
        if isinstance(filename, tuple):  # compat32 hands back RFC 2231 triples
            raise fail(MEDIA_DATA_MISSING)
        return (filename or ""), data
    raise fail(MEDIA_DATA_MISSING)


def check_upload(rule, filename, data):
    """Return the sniffed format after the 40005 and size checks of `rule`."""
    extension = os.path.splitext(filename)[1].lstrip(".").lower()
    fmt = sniff_format(data)
    if extension not in rule.extensions or fmt is None or EXTENSION_FORMATS.get(extension) != fmt:
        raise fail(INVALID_FILE_TYPE)
    if rule.too_big(len(data)):
        raise fail(rule.size_code)
    return fmt


def public_url(request, path):
    """`path` on the host the client used to reach the sandbox (http, like WeChat's mmbiz URLs)."""
    host = _header(request.headers, "Host") or "127.0.0.1"
    return f"http://{host}{path}"


@api("media/uploadimg", method="POST", body="raw")
def uploadimg(sandbox, request):
    """§2.1: an image for article content → `{"url"}` (no media_id, as on WeChat)."""
    filename, data = read_media_part(request)
    fmt = check_upload(UPLOADIMG, filename, data)
    item = media_store(sandbox, request.token.appid).add(
        "uploadimg", data, fmt, filename, sandbox.state.clock.now(), with_media_id=False, with_url=True
    )
    return {"url": public_url(request, item.url_path)}


@api("material/add_material", method="POST", body="raw")
def add_material(sandbox, request):
    """§2.2: image → `{"media_id", "url"}`; thumb, voice, video → `{"media_id"}` (url only for images).

    Videos keep a URL too, served as the `down_url` of `material/get_material`, but it is not returned here.
    """
    media_type = request.query.get("type")
    rule = MATERIAL_RULES.get(media_type)
    if rule is None:
        raise fail(INVALID_MEDIA_TYPE)
    filename, data = read_media_part(request)
    fmt = check_upload(rule, filename, data)
    details = {}
    if media_type == "video":
        details["title"], details["introduction"] = video_description(request)
    is_image = media_type == "image"
    item = media_store(sandbox, request.token.appid).add(
        media_type, data, fmt, filename, sandbox.state.clock.now(), with_url=media_type in ("image", "video"), **details
    )
    if is_image:
        return {"media_id": item.media_id, "url": public_url(request, item.url_path)}
    return {"media_id": item.media_id}


def serve_mmbiz(sandbox, path):
    """(status, content_type, body) for a GET of `/mmbiz/...`: the stored bytes, or a 404."""
    item = sandbox.media.lookup_url(path)  # public, like mmbiz.qpic.cn
    if item is None:
        return 404, "text/plain; charset=utf-8", b"no such media in the sandbox\n"
    return 200, item.content_type, item.data
