"""In-memory storage of uploaded media (WECHAT.md §2): permanent materials by media_id, images by URL path.

WeChat answers uploads with `http://mmbiz.qpic.cn/<dir>/<id>/0` URLs. The sandbox keeps that path shape but
puts it on its own host (`http://<sandbox host>/mmbiz/<dir>/<id>/0`), so people and tests can fetch what they
uploaded instead of following a URL to Tencent that cannot exist. `MediaStore.lookup_url` answers such a path
(`media_api.serve_mmbiz` turns it into an HTTP answer).

Media ids belong to the account that uploaded them: another account's id is 40007, and listing, counting and
deleting see one account's materials only (WECHAT.md §12; the official 素材管理 pages describe every call on one
account's access_token). Every API handler reaches the store through `media_store(sandbox, appid)`, an
`AccountMedia` view; only the CDN-like `/mmbiz/` URLs are public, as WeChat's image URLs are.

Temporary media (`media/upload`, §2.3) live in a separate table: `MediaStore.get` answers permanent materials
only, so a temporary media_id is never mistaken for a permanent one (drafts answer 40007 for it, as WeChat does);
`MediaStore.get_temporary` and `MediaStore.kind_of` tell the two apart.
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
    "mp3": "audio/mpeg",
    "wav": "audio/x-wav",
    "amr": "audio/amr",
    "wma": "audio/x-ms-wma",
    "mp4": "video/mp4",
}

TEMPORARY_LIFETIME = 3 * 86400  # seconds a `media/upload` media_id stays usable (§2.3)
ASF_HEADER = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")  # the ASF container of .wma files


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
    return sniff_audio_video(data)


def sniff_audio_video(data):
    """The audio/video format of `data`: mp3 (ID3 tag or frame sync), wav, amr, wma (ASF), mp4 (`ftyp`), or None."""
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    if data.startswith(b"RIFF") and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith(b"#!AMR"):
        return "amr"
    if data.startswith(ASF_HEADER):
        return "wma"
    if data[4:8] == b"ftyp":
        return "mp4"
    return None


def new_media_id():
    """A permanent media_id shaped like the live ones: 64 base64url characters."""
    return secrets.token_urlsafe(48)


@dataclass
class StoredMedia:
    """One upload. `media_id` is None for `media/uploadimg` images (WeChat gives those a URL only)."""

    media_id: str | None
    type: str  # "image", "thumb", "voice" or "video"; "uploadimg" for article content images
    data: bytes
    format: str  # a FORMATS key
    filename: str
    url_path: str | None  # "/mmbiz/..." for images (and the down_url of videos), None for thumbs and voices
    created_at: float
    expires_at: float | None = None  # set for temporary media only
    title: str = ""  # videos: from the `description` JSON
    introduction: str = ""
    appid: str = ""  # the account that uploaded it

    @property
    def temporary(self):
        return self.expires_at is not None

    @property
    def content_type(self):
        return FORMATS[self.format]


class MediaStore:
    """Thread-safe in-memory uploads: `by_id` maps media_id → StoredMedia, `by_path` maps URL path → StoredMedia."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_id: dict[str, StoredMedia] = {}
        self.by_path: dict[str, StoredMedia] = {}
        self.temporary: dict[str, StoredMedia] = {}

    def add(self, media_type, data, fmt, filename, now, with_media_id=True, with_url=True, appid="", **details):
        """Store an upload and return it; the URL path mimics `mmbiz.qpic.cn/sz_mmbiz_<fmt>/<id>/0`."""
        media_id = new_media_id() if with_media_id else None
        url_path = f"{MMBIZ_PREFIX}sz_mmbiz_{fmt}/{secrets.token_urlsafe(32)}/0" if with_url else None
        item = StoredMedia(media_id, media_type, bytes(data), fmt, filename, url_path, now, appid=appid, **details)
        with self.lock:
            if media_id is not None:
                self.by_id[media_id] = item
            if url_path is not None:
                self.by_path[url_path] = item
        return item

    def add_temporary(self, media_type, data, fmt, filename, now, appid=""):
        """Store a `media/upload` file, usable for TEMPORARY_LIFETIME seconds from `now`; videos get a URL."""
        url_path = f"{MMBIZ_PREFIX}sz_mmbiz_{fmt}/{secrets.token_urlsafe(32)}/0" if media_type == "video" else None
        expires_at = now + TEMPORARY_LIFETIME
        item = StoredMedia(
            new_media_id(), media_type, bytes(data), fmt, filename, url_path, now, expires_at, appid=appid
        )
        with self.lock:
            self.temporary[item.media_id] = item
            if url_path is not None:
                self.by_path[url_path] = item
        return item

    def get(self, media_id):
        """The permanent material `media_id`, or None (temporary media_ids are not permanent ones)."""
        with self.lock:
            return self.by_id.get(media_id)

    def get_temporary(self, media_id, now):
        """The temporary media `media_id` if it has not expired at `now`, or None."""
        with self.lock:
            item = self.temporary.get(media_id)
        return item if item is not None and now < item.expires_at else None

    def kind_of(self, media_id, now):
        """What `media_id` names: "permanent", "temporary" (unexpired) or None; for checks like draft thumbs."""
        if self.get(media_id) is not None:
            return "permanent"
        return "temporary" if self.get_temporary(media_id, now) is not None else None

    def remove(self, media_id):
        """Delete the permanent material `media_id` (and its URL); return whether it existed."""
        with self.lock:
            item = self.by_id.pop(media_id, None)
            if item is not None and item.url_path is not None:
                self.by_path.pop(item.url_path, None)
        return item is not None

    def materials(self, types):
        """Permanent materials whose type is in `types`, newest first (the order of `batchget_material`)."""
        with self.lock:
            items = [m for m in self.by_id.values() if m.type in types]
        return items[::-1]  # insertion order is upload order, even on a frozen clock

    def lookup_url(self, path):
        """The stored image served at URL path `path` (`/mmbiz/...`), or None."""
        with self.lock:
            return self.by_path.get(path)

    def clear(self):
        with self.lock:
            self.by_id.clear()
            self.by_path.clear()
            self.temporary.clear()

    def __len__(self):
        with self.lock:
            uploadimg = sum(1 for m in self.by_path.values() if m.media_id is None)
            return len(self.by_id) + uploadimg + len(self.temporary)


class AccountMedia:
    """The media of one account (`appid`) in a `MediaStore`: another account's ids are unknown here (40007)."""

    def __init__(self, store, appid):
        self.store = store
        self.appid = appid

    def _mine(self, item):
        return item if item is not None and item.appid == self.appid else None

    def add(self, *args, **kwargs):
        return self.store.add(*args, appid=self.appid, **kwargs)

    def add_temporary(self, *args, **kwargs):
        return self.store.add_temporary(*args, appid=self.appid, **kwargs)

    def get(self, media_id):
        return self._mine(self.store.get(media_id))

    def get_temporary(self, media_id, now):
        return self._mine(self.store.get_temporary(media_id, now))

    def kind_of(self, media_id, now):
        if self.get(media_id) is not None:
            return "permanent"
        return "temporary" if self.get_temporary(media_id, now) is not None else None

    def remove(self, media_id):
        return self.get(media_id) is not None and self.store.remove(media_id)

    def materials(self, types):
        return [item for item in self.store.materials(types) if item.appid == self.appid]

    def lookup_url(self, path):
        return self.store.lookup_url(path)  # image URLs are public, whoever uploaded them


def media_store(sandbox, appid):
    """`sandbox`'s media as the account `appid` sees them."""
    return AccountMedia(sandbox.media, appid)
