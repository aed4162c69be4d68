"""In-memory storage of uploaded media (WECHAT.md §2): permanent materials by media_id, images by URL path.

WeChat answers uploads with `http://mmbiz.qpic.cn/<dir>/<id>/0` URLs. The sandbox keeps that path shape but
puts it on its own host (`http://<sandbox host>/mmbiz/<dir>/<id>/0`), so people and tests can fetch what they
uploaded instead of following a URL to Tencent that cannot exist. `MediaStore.lookup_url` answers such a path
(`media_api.serve_mmbiz` turns it into an HTTP answer).
"""

import secrets
import threading
from dataclasses import dataclass

MMBIZ_PREFIX = "/mmbiz/"

# Formats recognised by their leading bytes, with the Content-Type they are served as.
FORMATS = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "bmp": "image/bmp",
}


def sniff_format(data):
    """The image format of `data` by magic bytes ("jpg", "png", "gif", "bmp"), or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith(b"BM"):
        return "bmp"
    return None


def new_media_id():
    """A permanent media_id shaped like the live ones: 64 base64url characters."""
    return secrets.token_urlsafe(48)


@dataclass
class StoredMedia:
    """One upload. `media_id` is None for `media/uploadimg` images (WeChat gives those a URL only)."""

    media_id: str | None
    type: str  # "image" or "thumb" (materials), "uploadimg" (article content images)
    data: bytes
    format: str  # a FORMATS key
    filename: str
    url_path: str | None  # "/mmbiz/..." for images, None for thumbs (WeChat returns no url for them)
    created_at: float

    @property
    def content_type(self):
        return FORMATS[self.format]


class MediaStore:
    """Thread-safe in-memory uploads: `by_id` maps media_id → StoredMedia, `by_path` maps URL path → StoredMedia."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_id: dict[str, StoredMedia] = {}
        self.by_path: dict[str, StoredMedia] = {}

    def add(self, media_type, data, fmt, filename, now, with_media_id=True, with_url=True):
        """Store an upload and return it; the URL path mimics `mmbiz.qpic.cn/sz_mmbiz_<fmt>/<id>/0`."""
        media_id = new_media_id() if with_media_id else None
        url_path = f"{MMBIZ_PREFIX}sz_mmbiz_{fmt}/{secrets.token_urlsafe(32)}/0" if with_url else None
        item = StoredMedia(media_id, media_type, bytes(data), fmt, filename, url_path, now)
        with self.lock:
            if media_id is not None:
                self.by_id[media_id] = item
            if url_path is not None:
                self.by_path[url_path] = item
        return item

    def get(self, media_id):
        with self.lock:
            return self.by_id.get(media_id)

    def lookup_url(self, path):
        """The stored image served at URL path `path` (`/mmbiz/...`), or None."""
        with self.lock:
            return self.by_path.get(path)

    def clear(self):
        with self.lock:
            self.by_id.clear()
            self.by_path.clear()

    def __len__(self):
        with self.lock:
            return len(self.by_id) + sum(1 for m in self.by_path.values() if m.media_id is None)




def media_store(sandbox):
    """The MediaStore of `sandbox`."""
    return sandbox.media
