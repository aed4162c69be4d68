"""A push's articles and its one draft on WeChat (WECHAT.md §3.1), surviving media ids that went stale; and
finding what an earlier attempt whose answer was lost left on WeChat (a draft, a publication).

WeChat keeps permanent materials until someone deletes them on mp.weixin.qq.com; the sandbox forgets them
when it restarts (it simulates that deletion). Either way `draft/add` answers 40007 (invalid media_id) for a
cover the site remembered (`RehostedImage`). Then the images this draft took from memory are forgotten,
uploaded again once, and the draft is asked for again; a second 40007 is a real failure with its own advice.
"""

from wechat_channel.content.article import build_articles
from wechat_channel.content.images import ImageBatch
from wechat_channel.models import PushItem
from wechat_channel.wechat import errors
from wechat_channel.wechat.errors import WeChatCallError

MEDIA_ID_INVALID = 40007


class Draft:
    """The articles of some pages for one account, built once, and the draft made of them."""

    def __init__(self, account, client, adapters, progress=None):
        self.account = account
        self.client = client
        self.adapters = list(adapters)
        self.progress = progress
        self.images = None

    def build(self):
        """One `draft/add` article or `ContentRejected` per adapter, in order."""
        self.images = ImageBatch(self.account, self.client, progress=self.progress)
        return build_articles(self.account, self.client, self.adapters, progress=self.progress, images=self.images)

    def add(self, articles, kept, on_refresh=None):
        """The media_id of a draft of `articles` (built from the adapters at indexes `kept`).

        On 40007 for a draft that used remembered images, those are uploaded again and the draft rebuilt once;
        `on_refresh(count)` is told how many were dropped. A second 40007 raises with `errors.STALE_MEDIA_AGAIN`.
        """
        try:
            return self.client.drafts.add(articles)
        except WeChatCallError as error:
            if error.code != MEDIA_ID_INVALID or self.images is None:
                raise
            dropped = self.images.forget_reused()
            if not dropped:
                raise
        if on_refresh is not None:
            on_refresh(dropped)
        self.adapters = [self.adapters[index] for index in kept]
        rebuilt = self.build()
        if any(isinstance(article, Exception) for article in rebuilt):
            raise WeChatCallError(MEDIA_ID_INVALID, "draft/add", "invalid media_id", reason=errors.STALE_MEDIA_AGAIN)
        try:
            return self.client.drafts.add(rebuilt)
        except WeChatCallError as error:
            if error.code != MEDIA_ID_INVALID:
                raise
            raise WeChatCallError(
                MEDIA_ID_INVALID, error.path, error.errmsg, reason=errors.STALE_MEDIA_AGAIN
            ) from error


def find_draft(client, titles):
    """The media_id of a draft with exactly these titles (one an earlier attempt created), or None."""
    for offset in range(0, 100, 20):
        page = client.drafts.batchget(offset, 20, no_content=1)
        for entry in page.get("item", []):
            news = entry.get("content", {}).get("news_item", [])
            if [article.get("title") for article in news] == titles:
                return entry.get("media_id")
        if offset + 20 >= page.get("total_count", 0):
            return None
    return None


def remove_drafts(client, titles):
    """Delete the drafts with exactly these titles (the backup WeChat keeps of a failed publish); their media_ids.

    WeChat's 草稿箱功能说明 (section 五) says the draft box keeps a backup when publishing fails; a retry makes its
    draft again from the pages as they are now, so the backup would be a stray (or, sent, the old text).
    """
    removed = []
    for offset in range(0, 100, 20):
        page = client.drafts.batchget(offset, 20, no_content=1)
        for entry in page.get("item", []):
            news = entry.get("content", {}).get("news_item", [])
            if [article.get("title") for article in news] == titles:
                removed.append(entry.get("media_id"))
        if offset + 20 >= page.get("total_count", 0):
            break
    for media_id in removed:
        client.drafts.delete(media_id)
    return removed


def find_published(client, push):
    """The article_id and URLs of the push's articles among WeChat's publications (same titles), or None."""
    titles = list(push.items.exclude(state=PushItem.State.FAILED).order_by("position").values_list("title", flat=True))
    for offset in range(0, 100, 20):
        page = client.publishing.batchget(offset, 20)
        for entry in page.get("item", []):
            news = entry.get("content", {}).get("news_item", [])
            if [article.get("title") for article in news] == titles:
                urls = {index + 1: article.get("url", "") for index, article in enumerate(news)}
                return {"article_id": entry.get("article_id", ""), "urls": urls}
        if offset + 20 >= page.get("total_count", 0):
            return None
    return None
