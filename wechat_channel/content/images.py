"""Images re-hosted on WeChat, once per account, API address and content hash (WECHAT.md §2.1, §2.2, §2.5).

Content images go through `media/uploadimg` (jpg/png, < 1 MB: anything else is converted to JPEG and shrunk);
covers become permanent image material (≤ 10 MB). `RehostedImage` remembers what each account already has at
its current API address, so the sandbox's ids and URLs never reach the real WeChat (and the other way round).
A remembered id can still go stale (a material deleted on mp.weixin.qq.com, a restarted sandbox): `forget_reused`
drops what a batch took from memory, so the push uploads it again once (`wechat_channel.drafting`).
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from wechat_channel import push_rows
from wechat_channel.models import RehostedImage

CONTENT_MAX_BYTES = 1024 * 1024  # uploadimg: strictly under 1 MB
COVER_MAX_BYTES = 10 * 1024 * 1024  # add_material image: at most 10 MB
MAX_SIDE = 2560  # wider than any phone needs; a larger original is scaled down when it must be re-encoded
QUALITIES = (88, 80, 72, 64)


@dataclass(frozen=True)
class ImageFile:
    """An image's bytes and the file name it had on the site (what a `PageAdapter` hands over)."""

    name: str
    data: bytes


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


class ImageBatch:
    """The images of a whole push, re-hosted together.

    Every image is prepared and hashed first; one query finds what the account already has; the rest are
    uploaded (each distinct image once) and recorded in one write. Per article that is no query at all, where
    looking each image up and recording each upload alone cost several.
    """

    def __init__(self, account, client, progress=None):
        self.account = account
        self.client = client
        self.progress = progress or (lambda: None)
        self.wanted = {}  # (sha256, purpose) -> prepared ImageFile
        self.found = {}  # (sha256, purpose) -> url (content) or media_id (cover)
        self.reused = set()  # keys found in `RehostedImage` rather than uploaded by this batch
        self.api_base_url = account.base_url

    @staticmethod
    def prepared(image, purpose):
        """(key, prepared ImageFile) of an `ImageFile`; raises ImageProblem for a non-image."""
        limit = CONTENT_MAX_BYTES if purpose == RehostedImage.Purpose.CONTENT else COVER_MAX_BYTES + 1
        prepared = prepare(image, limit)
        return (hashlib.sha256(prepared.data).hexdigest(), purpose), prepared

    def want(self, key, prepared):
        self.wanted.setdefault(key, prepared)
        return key

    def add(self, image, purpose):
        """Register an `ImageFile`; its key for `url`/`media_id`. Raises ImageProblem for a non-image."""
        return self.want(*self.prepared(image, purpose))

    def resolve(self):
        """Look up, upload and record everything registered since the last call."""
        missing = [key for key in self.wanted if key not in self.found]
        if not missing:
            return
        known = self._remembered().filter(sha256__in={sha256 for sha256, _purpose in missing})
        for sha256, purpose, url, media_id in known.values_list("sha256", "purpose", "url", "media_id"):
            value = url if purpose == RehostedImage.Purpose.CONTENT else media_id
            if value and (sha256, purpose) in self.wanted:
                self.found[sha256, purpose] = value
                self.reused.add((sha256, purpose))
        records = []
        try:
            for key in missing:
                if key in self.found:
                    continue
                sha256, purpose = key
                image = self.wanted[key]
                if purpose == RehostedImage.Purpose.CONTENT:
                    value = self.client.media.upload_content_image(image)
                    fields = {"url": value}
                else:
                    value = self.client.media.add_cover(image)
                    fields = {"media_id": value}
                self.found[key] = value
                self.progress()
                records.append(
                    RehostedImage(
                        account=self.account,
                        api_base_url=self.api_base_url,
                        sha256=sha256,
                        purpose=purpose,
                        size=len(image.data),
                        **fields,
                    )
                )
        finally:
            # What was uploaded is recorded even when a later upload fails, so a retry does not upload it again.
            # Another worker may have recorded the same image meanwhile: theirs stays.
            push_rows.insert_new(records)

    def _remembered(self):
        return RehostedImage.objects.filter(account=self.account, api_base_url=self.api_base_url)

    def forget_reused(self):
        """Drop what this batch took from memory (WeChat may no longer have it); how many entries were dropped.

        The next `resolve()` uploads them again. Only the batch's own reused entries go: one stale cover does not
        cost the account every other image it has.
        """
        reused, self.reused = self.reused, set()
        for key in reused:
            self.found.pop(key, None)
            self._remembered().filter(sha256=key[0], purpose=key[1]).delete()
        return len(reused)

    def url(self, key):
        return self.found.get(key)

    def media_id(self, key):
        return self.found.get(key)
