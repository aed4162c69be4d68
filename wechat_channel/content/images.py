"""Images re-hosted on WeChat, once per account and content hash (WECHAT.md §2.1, §2.2, §2.5).

Content images go through `media/uploadimg` (jpg/png, < 1 MB: anything else is converted to JPEG and shrunk);
covers become permanent image material (≤ 10 MB). `RehostedImage` remembers what each account already has.
"""

import hashlib
import io
import logging
import weakref

from django.db import IntegrityError, transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from wechat_channel.adapters import ImageFile
from wechat_channel.models import RehostedImage

logger = logging.getLogger(__name__)

CONTENT_MAX_BYTES = 1024 * 1024  # uploadimg: strictly under 1 MB
COVER_MAX_BYTES = 10 * 1024 * 1024  # add_material image: at most 10 MB
MAX_SIDE = 2560  # wider than any phone needs; a larger original is scaled down when it must be re-encoded
QUALITIES = (88, 80, 72, 64)


class ImageProblem(Exception):
    """An image that cannot be made acceptable (not an image at all, or unreadable)."""


def image_format(data):
    """ "jpg", "png", "gif", "bmp", "webp" or None, from the magic bytes."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _flatten(image):
    """RGB on white: JPEG has no alpha, and WeChat shows transparent areas black."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def to_jpeg(data, max_bytes):
    """JPEG bytes of `data` under `max_bytes` (first frame of an animation), lowering quality then size."""
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.seek(0)
            image = _flatten(source)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageProblem(str(exc)) from exc
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    while True:
        for quality in QUALITIES:
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
            if buffer.tell() < max_bytes:
                return buffer.getvalue()
        if min(image.size) <= 16:
            raise ImageProblem("the image cannot be made small enough")
        image = image.resize((max(1, int(image.width * 0.75)), max(1, int(image.height * 0.75))), Image.LANCZOS)


def prepare(image, max_bytes):
    """`image` as WeChat takes it: jpg/png under `max_bytes` unchanged, anything else as a JPEG."""
    fmt = image_format(image.data)
    if fmt in ("jpg", "png") and len(image.data) < max_bytes:
        return ImageFile(_renamed(image.name, fmt), image.data)
    return ImageFile(_renamed(image.name, "jpg"), to_jpeg(image.data, max_bytes))


def _renamed(name, ext):
    stem = (name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "image"
    return f"{stem}.{ext}"


# What one client (one push step) already found or uploaded: the images every article shares are looked up once.
_seen = weakref.WeakKeyDictionary()


def _known(account, sha256, purpose, client=None):
    memo = _seen.setdefault(client, {}) if client is not None else {}
    if (sha256, purpose) not in memo:
        # Unordered: `.first()` would add an ORDER BY the unique index does not need.
        rows = RehostedImage.objects.filter(account=account, sha256=sha256, purpose=purpose).order_by()[:1]
        memo[sha256, purpose] = rows[0] if rows else None
    return memo[sha256, purpose]


def _note(client, record):
    if client is not None and record is not None:
        _seen.setdefault(client, {})[record.sha256, record.purpose] = record


def _remember(account, sha256, purpose, size, **fields):
    """Record an upload; when another worker recorded the same image first, theirs wins."""
    try:
        with transaction.atomic():
            return RehostedImage.objects.create(account=account, sha256=sha256, purpose=purpose, size=size, **fields)
    except IntegrityError:
        return _known(account, sha256, purpose)


def rehost_content_image(account, client, image):
    """The WeChat URL of an `ImageFile` for article content, uploading it only if this account lacks it."""
    prepared = prepare(image, CONTENT_MAX_BYTES)
    digest = hashlib.sha256(prepared.data).hexdigest()
    known = _known(account, digest, RehostedImage.Purpose.CONTENT, client)
    if known is not None and known.url:
        return known.url
    url = client.upload_content_image(prepared)
    record = _remember(account, digest, RehostedImage.Purpose.CONTENT, len(prepared.data), url=url)
    _note(client, record)
    return record.url if record is not None and record.url else url


def cover_media_id(account, client, adapter):
    """The permanent media_id of the adapter's cover on this account (uploaded once), or None without a cover."""
    cover = adapter.cover()
    if cover is None:
        return None
    prepared = prepare(cover, COVER_MAX_BYTES + 1)
    digest = hashlib.sha256(prepared.data).hexdigest()
    known = _known(account, digest, RehostedImage.Purpose.COVER, client)
    if known is not None and known.media_id:
        return known.media_id
    media_id = client.add_cover(prepared)
    record = _remember(account, digest, RehostedImage.Purpose.COVER, len(prepared.data), media_id=media_id)
    _note(client, record)
    return record.media_id if record is not None and record.media_id else media_id


class ContentImages:
    """The `image_url` callable for `to_wechat_html`: each `<img src>` of one article re-hosted on WeChat.

    An image the adapter cannot open, or that is not an image, is dropped with a warning in `warnings`.
    """

    def __init__(self, account, client, adapter):
        self.account = account
        self.client = client
        self.adapter = adapter
        self.urls = {}
        self.warnings = []

    def __call__(self, src):
        if src not in self.urls:
            self.urls[src] = self._rehost(src)
        return self.urls[src]

    def _rehost(self, src):
        image = self.adapter.open_image(src)
        if image is None:
            self._warn(src, "图片找不到，已从微信版中略去", "image not found; left out of the WeChat version")
            return None
        try:
            return rehost_content_image(self.account, self.client, image)
        except ImageProblem as exc:
            self._warn(src, f"图片无法读取（{exc}），已略去", f"image unreadable ({exc}); left out")
            return None

    def _warn(self, src, zh, en):
        logger.warning("WeChat content image %s: %s", src, en)
        self.warnings.append({"src": src, "message_zh": zh, "message_en": en})
