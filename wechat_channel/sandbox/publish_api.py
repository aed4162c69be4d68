"""Publishing endpoints `freepublish/*` (WECHAT.md §4.1–§4.3, §10 item 7); job state lives in `publish.py`."""

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.draft_api import news_item, page_bounds
from wechat_channel.sandbox.drafts import INVALID_ARGUMENT, INVALID_INDEX
from wechat_channel.sandbox.drafts import fail as draft_fail
from wechat_channel.sandbox.routes import api

PUBLISH_ID_INVALID = 53502
ARTICLE_ID_INVALID = 53600


def account_of(sandbox, request):
    return sandbox.state.accounts[request.token.appid]


def require_publishing_rights(account):
    """§4.1: subscription accounts publish through the API only when verified; service accounts always."""
    if account.kind == "subscription" and not account.verified:
        raise errors.WeChatError(errors.API_UNAUTHORIZED)


def _publication(sandbox, request):
    job = sandbox.publisher.by_article_id(request.token.appid, request.data.get("article_id"))
    if job is None:
        raise errors.WeChatError(ARTICLE_ID_INVALID, "Article ID 无效")
    return job


def published_items(sandbox, job, no_content=False):
    items = []
    for page in job.pages:
        item = news_item(sandbox, job.appid, job.host, page.article, page.url, is_deleted=page.deleted)
        if no_content:
            item.pop("content")
        items.append(item)
    return items


@api("freepublish/submit", fingerprint=lambda d: f"media_id={d.get('media_id')}")
def submit(sandbox, request):
    """§4.1: the draft leaves the draft box; the job finishes in the background."""
    require_publishing_rights(account_of(sandbox, request))
    draft = sandbox.drafts.remove(request.token.appid, request.data.get("media_id"))
    job = sandbox.publisher.submit(request.token.appid, draft, sandbox.state.clock.now())
    return {"errcode": 0, "errmsg": "ok", "publish_id": job.publish_id, "msg_data_id": job.msg_data_id}


@api("freepublish/get", fingerprint=lambda d: f"publish_id={d.get('publish_id')}")
def get(sandbox, request):
    """§4.2: `publish_id` as number or string (docs say string, live answers use numbers)."""
    publish_id = request.data.get("publish_id")
    if publish_id is None or isinstance(publish_id, bool):
        raise draft_fail(INVALID_ARGUMENT)
    job = sandbox.publisher.get(request.token.appid, publish_id)
    if job is None:
        raise errors.WeChatError(PUBLISH_ID_INVALID, "Publish ID 无效")
    return job.status_body()


@api("freepublish/delete", fingerprint=lambda d: f"article_id={d.get('article_id')} index={d.get('index', 0)}")
def delete(sandbox, request):
    """§4.3: 1-based `index`, 0 or omitted deletes every article."""
    job = _publication(sandbox, request)
    index = request.data.get("index", 0)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= len(job.pages):
        raise draft_fail(INVALID_INDEX)
    sandbox.publisher.delete(job, index)
    return errors.envelope(errors.OK)


@api("freepublish/getarticle", fingerprint=lambda d: f"article_id={d.get('article_id')}")
def getarticle(sandbox, request):
    return {"news_item": published_items(sandbox, _publication(sandbox, request))}


@api("freepublish/batchget")
def batchget(sandbox, request):
    """§4.3: successful publications only, newest first."""
    offset, count = page_bounds(request.data)
    no_content = request.data.get("no_content") in (1, "1", True)
    jobs = sandbox.publisher.published(request.token.appid)
    items = [
        {
            "article_id": job.article_id,
            "content": {
                "news_item": published_items(sandbox, job, no_content),
                "create_time": int(job.submitted_at),
                "update_time": job.update_time,
            },
            "update_time": job.update_time,
        }
        for job in jobs[offset : offset + count]
    ]
    return {"total_count": len(jobs), "item_count": len(items), "item": items}
