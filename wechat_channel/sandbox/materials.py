"""Material library and temporary media (WECHAT.md §2.2, §2.3): get, delete, count and list permanent
materials; upload and download temporary media.

Choices where WeChat's docs are silent: thumbs count and list as images (the library has no thumb category,
and `url` is "" for them, as for voices and videos); `news` lists are always empty (the sandbox has no
permanent news materials); `batchget_material` lists newest first and answers 47001 for an offset below 0 or
a count outside 1..20. Downloads answer their errors as `text/plain` JSON, as the live API does.
"""

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.media import media_store
from wechat_channel.sandbox.media_api import (
    INVALID_IMAGE_SIZE,
    INVALID_MEDIA_TYPE,
    INVALID_THUMB_SIZE,
    INVALID_VIDEO_SIZE,
    INVALID_VOICE_SIZE,
    KB,
    MB,
    UploadRule,
    check_upload,
    fail,
    public_url,
    read_media_part,
)
from wechat_channel.sandbox.routes import RawResponse, api

INVALID_MEDIA_ID = 40007
MAX_BATCH = 20
LIST_TYPES = {"image": {"image", "thumb"}, "video": {"video"}, "voice": {"voice"}, "news": set()}

# §2.3 detail text: "image 10M PNG/JPEG/JPG/GIF, voice 2M AMR/MP3, video 10 MB MP4, thumb 64 KB JPG".
TEMPORARY_RULES = {
    "image": UploadRule({"png", "jpeg", "jpg", "gif"}, 10 * MB, INVALID_IMAGE_SIZE),
    "voice": UploadRule({"amr", "mp3"}, 2 * MB, INVALID_VOICE_SIZE),
    "video": UploadRule({"mp4"}, 10 * MB, INVALID_VIDEO_SIZE),
    "thumb": UploadRule({"jpg", "jpeg"}, 64 * KB, INVALID_THUMB_SIZE),
}


def invalid_media_id():
    return errors.WeChatError(INVALID_MEDIA_ID, "invalid media_id")


def _material(sandbox, request):
    media_id = request.data.get("media_id")
    item = media_store(sandbox, request.token.appid).get(media_id) if isinstance(media_id, str) else None
    if item is None:
        raise invalid_media_id()
    return item


@api("material/get_material", plain_errors=True)
def get_material(sandbox, request):
    """Video → `{"title", "description", "down_url"}`; image, thumb, voice → the file itself."""
    item = _material(sandbox, request)
    if item.type == "video":
        return {
            "title": item.title,
            "description": item.introduction,
            "down_url": public_url(request, item.url_path),
        }
    return RawResponse(200, item.content_type, item.data)


@api("material/del_material")
def del_material(sandbox, request):
    media_id = request.data.get("media_id")
    if not isinstance(media_id, str) or not media_store(sandbox, request.token.appid).remove(media_id):
        raise invalid_media_id()
    return errors.envelope(errors.OK)


@api("material/get_materialcount", method="GET")
def get_materialcount(sandbox, request):
    store = media_store(sandbox, request.token.appid)
    return {
        "voice_count": len(store.materials(LIST_TYPES["voice"])),
        "video_count": len(store.materials(LIST_TYPES["video"])),
        "image_count": len(store.materials(LIST_TYPES["image"])),
        "news_count": 0,
    }


@api("material/batchget_material")
def batchget_material(sandbox, request):
    data = request.data
    types = LIST_TYPES.get(data.get("type"))
    if types is None:
        raise fail(INVALID_MEDIA_TYPE)
    offset, count = data.get("offset", 0), data.get("count", MAX_BATCH)
    for value in (offset, count):
        if isinstance(value, bool) or not isinstance(value, int):
            raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    if offset < 0 or not 1 <= count <= MAX_BATCH:
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    items = media_store(sandbox, request.token.appid).materials(types)
    page = [
        {
            "media_id": item.media_id,
            "name": item.filename,
            "update_time": int(item.created_at),
            "url": public_url(request, item.url_path) if item.type == "image" else "",
        }
        for item in items[offset : offset + count]
    ]
    return {"total_count": len(items), "item_count": len(page), "item": page}


@api("media/upload", body="raw")
def upload(sandbox, request):
    """§2.3: a temporary file, usable for three days → `{"type", "media_id", "created_at"}`."""
    media_type = request.query.get("type")
    rule = TEMPORARY_RULES.get(media_type)
    if rule is None:
        raise fail(INVALID_MEDIA_TYPE)
    filename, data = read_media_part(request)
    fmt = check_upload(rule, filename, data)
    media = media_store(sandbox, request.token.appid)
    item = media.add_temporary(media_type, data, fmt, filename, sandbox.state.clock.now())
    return {"type": media_type, "media_id": item.media_id, "created_at": int(item.created_at)}


@api("media/get", method="GET", plain_errors=True)
def download(sandbox, request):
    """The temporary file (video → `{"video_url"}`); 40007 once it has expired, and for permanent ids."""
    store = media_store(sandbox, request.token.appid)
    item = store.get_temporary(request.query.get("media_id") or "", sandbox.state.clock.now())
    if item is None:
        raise invalid_media_id()
    if item.type == "video":
        return {"video_url": public_url(request, item.url_path)}
    return RawResponse(200, item.content_type, item.data)
