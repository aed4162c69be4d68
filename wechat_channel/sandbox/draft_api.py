"""Draft box endpoints `draft/*` (WECHAT.md §3.1, §3.2, §10 item 6); storage and validation live in `drafts.py`."""

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.content import hosted_image_check
from wechat_channel.sandbox.drafts import INVALID_ARGUMENT, clean_article, clean_articles, fail
from wechat_channel.sandbox.media import media_store
from wechat_channel.sandbox.media_api import _header
from wechat_channel.sandbox.routes import api

MAX_PAGE = 20


def request_host(request):
    """The host the client used to reach the sandbox; links and hosted-image checks use it."""
    return _header(request.headers, "Host") or "127.0.0.1"


def thumb_url(sandbox, appid, host, media_id):
    """The served URL of the account's cover material (empty for thumbs, which WeChat gives no URL either)."""
    item = media_store(sandbox, appid).get(media_id) if media_id else None
    path = getattr(item, "url_path", None)
    return f"http://{host}{path}" if path else ""


def news_item(sandbox, appid, host, article, url, **extra):
    """One article as `draft/get` and `freepublish/getarticle` show it."""
    item = {k: v for k, v in article.items() if k != "article_type" or v != "news"}
    item["thumb_url"] = thumb_url(sandbox, appid, host, article.get("thumb_media_id"))
    item["url"] = url
    item.update(extra)
    return item


def draft_items(sandbox, draft, no_content=False):
    items = []
    for index, article in enumerate(draft.articles):
        item = news_item(sandbox, draft.appid, draft.host, article, draft.preview_url(index))
        if no_content:
            item.pop("content")
        items.append(item)
    return items


def page_bounds(data):
    """(offset, count) of a batchget body; count must be 1..20 (§3.2, §4.3)."""
    offset, count = data.get("offset", 0), data.get("count", MAX_PAGE)
    for value in (offset, count):
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail(INVALID_ARGUMENT)
    if offset < 0 or not 1 <= count <= MAX_PAGE:
        raise fail(INVALID_ARGUMENT)
    return offset, count


def _titles(data):
    return "titles=" + "|".join(str(a.get("title", "")) for a in data.get("articles") or [])


def _media_id(data):
    return f"media_id={data.get('media_id')}"


@api("draft/add", fingerprint=_titles)
def draft_add(sandbox, request):
    """§3.1 → `{"media_id"}` (no errcode, as on WeChat)."""
    host = request_host(request)
    media = media_store(sandbox, request.token.appid)
    articles = clean_articles(request.data.get("articles"), media, hosted_image_check(sandbox.media, host))
    draft = sandbox.drafts.add(request.token.appid, articles, host, sandbox.state.clock.now())
    return {"media_id": draft.media_id}


@api("draft/get", fingerprint=_media_id)
def draft_get(sandbox, request):
    draft = sandbox.drafts.get(request.token.appid, request.data.get("media_id"))
    return {"news_item": draft_items(sandbox, draft)}


@api("draft/update", fingerprint=lambda d: f"media_id={d.get('media_id')} index={d.get('index')}")
def draft_update(sandbox, request):
    """§3.2: 0-based `index`, `articles` is one article object."""
    data = request.data
    draft = sandbox.drafts.get(request.token.appid, data.get("media_id"))
    media = media_store(sandbox, request.token.appid)
    article = clean_article(data.get("articles"), media, hosted_image_check(sandbox.media, draft.host))
    sandbox.drafts.replace_article(
        request.token.appid, draft.media_id, data.get("index"), article, sandbox.state.clock.now()
    )
    return errors.envelope(errors.OK)


@api("draft/delete", fingerprint=_media_id)
def draft_delete(sandbox, request):
    sandbox.drafts.remove(request.token.appid, request.data.get("media_id"))
    return errors.envelope(errors.OK)


@api("draft/count", method="GET")
def draft_count(sandbox, request):
    return {"total_count": len(sandbox.drafts.of_account(request.token.appid))}


@api("draft/batchget")
def draft_batchget(sandbox, request):
    offset, count = page_bounds(request.data)
    no_content = request.data.get("no_content") in (1, "1", True)
    drafts = sandbox.drafts.of_account(request.token.appid)
    page = drafts[offset : offset + count]
    items = [
        {
            "media_id": d.media_id,
            "content": {
                "news_item": draft_items(sandbox, d, no_content),
                "create_time": d.create_time,
                "update_time": d.update_time,
            },
            "update_time": d.update_time,
        }
        for d in page
    ]
    return {"total_count": len(drafts), "item_count": len(items), "item": items}
