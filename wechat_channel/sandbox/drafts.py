"""The draft box (WECHAT.md §3): article validation, content sanitising on store, and per-account storage.

Limits and codes follow §3.1 and §10 item 6; where the docs contradict each other the current API page wins
(§12), and the numbers are the site's own (`wechat_channel.content.limits`), so the two cannot drift apart.
"""

import base64
import secrets
import threading
from dataclasses import dataclass, field

from wechat_channel.content.limits import (
    DEFAULT_DIGEST_CHARS,
    MAX_AUTHOR,
    MAX_CONTENT_BYTES,
    MAX_CONTENT_CHARS,
    MAX_DIGEST,
    MAX_SOURCE_URL_BYTES,
    MAX_TITLE,
)
from wechat_channel.sandbox import errors
from wechat_channel.sandbox.content import plain_text, sanitise
from wechat_channel.sandbox.media import new_media_id

INVALID_ARGUMENT = 40002
INVALID_MEDIA_ID = 40007
INVALID_INDEX = 40114
EMPTY_NEWS = 44003
CONTENT_SIZE = 45002
TITLE_SIZE = 45003
DIGEST_SIZE = 45004
URL_SIZE = 45005
ARTICLE_SIZE = 45008
AUTHOR_SIZE = 45110

ERRMSGS = {
    INVALID_ARGUMENT: "invalid argument",
    INVALID_MEDIA_ID: "invalid media_id",
    INVALID_INDEX: "invalid index value",
    EMPTY_NEWS: "empty news data",
    CONTENT_SIZE: "content size out of limit",
    TITLE_SIZE: "title size out of limit",
    DIGEST_SIZE: "description size out of limit",
    URL_SIZE: "url size out of limit",
    ARTICLE_SIZE: "article size out of limit",
    AUTHOR_SIZE: "author size out of limit",
}


# Limits (§3.1, §12): the current API page's, imported from the site's one list above.
# The author overflow code is unconfirmed; 45110 (`author size out of limit`) is used rather than re-using
# 45003, whose errmsg names the title and would send a site's editor to the wrong field.
MAX_ARTICLES = 8  # legacy add_news limit (§3.1)
MAX_NEWSPIC_IMAGES = 20
COVER_TYPES = ("image", "thumb")


def fail(code):
    return errors.WeChatError(code, ERRMSGS[code])


def _text(article, name):
    value = article.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    return value


def _flag(article, name):
    value = article.get(name, 0)
    return 1 if value in (1, "1", True) else 0


def _permanent(media, media_id, types):
    item = media.get(media_id) if isinstance(media_id, str) and media_id else None
    if item is None or item.type not in types:
        raise fail(INVALID_MEDIA_ID)  # unknown, temporary or wrong-type ids (§2.3)
    return media_id


def clean_article(article, media, is_hosted_image):
    """Validate one article object of `draft/add` or `draft/update` and return it as stored."""
    if not isinstance(article, dict):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    article_type = article.get("article_type") or "news"
    if article_type not in ("news", "newspic"):
        raise fail(INVALID_ARGUMENT)
    title, author, digest = _text(article, "title"), _text(article, "author"), _text(article, "digest")
    content, source_url = _text(article, "content"), _text(article, "content_source_url")
    if not title.strip() or len(title) > MAX_TITLE:
        raise fail(TITLE_SIZE)
    if len(author) > MAX_AUTHOR:
        raise fail(AUTHOR_SIZE)
    if len(digest) > MAX_DIGEST:
        raise fail(DIGEST_SIZE)
    if not content.strip() or len(content) >= MAX_CONTENT_CHARS or len(content.encode()) >= MAX_CONTENT_BYTES:
        raise fail(CONTENT_SIZE)
    if len(source_url.encode()) >= MAX_SOURCE_URL_BYTES:
        raise fail(URL_SIZE)
    stored = {
        "article_type": article_type,
        "title": title,
        "author": author,
        "digest": digest,
        "content": sanitise(content, is_hosted_image),
        "content_source_url": source_url,
        "thumb_media_id": "",
        "need_open_comment": _flag(article, "need_open_comment"),
        "only_fans_can_comment": _flag(article, "only_fans_can_comment"),
    }
    if article_type == "news":
        stored["thumb_media_id"] = _permanent(media, article.get("thumb_media_id"), COVER_TYPES)
    else:
        images = (
            (article.get("image_info") or {}).get("image_list") if isinstance(article.get("image_info"), dict) else None
        )
        if not isinstance(images, list) or not images:
            raise fail(EMPTY_NEWS)
        if len(images) > MAX_NEWSPIC_IMAGES:
            raise fail(ARTICLE_SIZE)
        ids = [_permanent(media, (i or {}).get("image_media_id"), ("image",)) for i in images]
        stored["image_info"] = {"image_list": [{"image_media_id": i} for i in ids]}
    for crop in ("pic_crop_235_1", "pic_crop_1_1"):
        if isinstance(article.get(crop), str):
            stored[crop] = article[crop]
    return stored


def settle_digests(articles):
    """Multi-article drafts keep no digest; a single article without one gets the first 54 body characters."""
    if len(articles) > 1:
        for article in articles:
            article["digest"] = ""
    elif articles and not articles[0]["digest"]:
        articles[0]["digest"] = plain_text(articles[0]["content"])[:DEFAULT_DIGEST_CHARS]
    return articles


def clean_articles(articles, media, is_hosted_image):
    """The `articles` list of `draft/add`: 44003 when empty, 45008 above eight."""
    if not isinstance(articles, list) or not articles:
        raise fail(EMPTY_NEWS)
    if len(articles) > MAX_ARTICLES:
        raise fail(ARTICLE_SIZE)
    return settle_digests([clean_article(a, media, is_hosted_image) for a in articles])


@dataclass
class Draft:
    """One draft of one account; `host` is where its links point (the host the client used)."""

    media_id: str
    appid: str
    articles: list[dict]
    host: str
    create_time: int
    update_time: int
    tempkeys: list[str] = field(default_factory=list)

    def preview_url(self, index):
        """The temporary preview link of article `index`, shaped like `mp.weixin.qq.com/s?__biz=…&tempkey=…#rd`."""
        biz = base64.b64encode(self.appid.encode()).decode()
        return f"http://{self.host}/s?__biz={biz}&tempkey={self.tempkeys[index]}&idx={index + 1}#rd"


class DraftStore:
    """Thread-safe drafts of every account, by media_id; temp preview keys map back to (media_id, index)."""

    def __init__(self):
        self.lock = threading.RLock()
        self.drafts: dict[str, Draft] = {}
        self.tempkeys: dict[str, tuple[str, int]] = {}

    def _new_tempkeys(self, draft):
        draft.tempkeys = [secrets.token_urlsafe(24) for _ in draft.articles]
        for index, key in enumerate(draft.tempkeys):
            self.tempkeys[key] = (draft.media_id, index)

    def add(self, appid, articles, host, now):
        draft = Draft(new_media_id(), appid, articles, host, int(now), int(now))
        with self.lock:
            self.drafts[draft.media_id] = draft
            self._new_tempkeys(draft)
        return draft

    def get(self, appid, media_id):
        """The draft, or 40007 when it does not exist for this account."""
        with self.lock:
            draft = self.drafts.get(media_id) if isinstance(media_id, str) else None
        if draft is None or draft.appid != appid:
            raise fail(INVALID_MEDIA_ID)
        return draft

    def replace_article(self, appid, media_id, index, article, now):
        with self.lock:
            draft = self.get(appid, media_id)
            if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(draft.articles):
                raise fail(INVALID_INDEX)
            articles = [dict(a) for a in draft.articles]
            articles[index] = article
            draft.articles = settle_digests(articles)
            draft.update_time = int(now)
            return draft

    def remove(self, appid, media_id):
        """Take the draft out of the box (delete, publish, mass send) and return it."""
        with self.lock:
            draft = self.get(appid, media_id)
            del self.drafts[media_id]
            for key in draft.tempkeys:
                self.tempkeys.pop(key, None)
            return draft

    def of_account(self, appid):
        """The account's drafts, most recently updated first (WeChat does not document an order)."""
        with self.lock:
            mine = [d for d in self.drafts.values() if d.appid == appid]
        return sorted(mine, key=lambda d: (d.update_time, d.create_time), reverse=True)

    def by_tempkey(self, tempkey):
        """(draft, index) behind a temporary preview key, or None once the draft has left the box."""
        with self.lock:
            found = self.tempkeys.get(tempkey)
            if found is None or found[0] not in self.drafts:
                return None
            draft = self.drafts[found[0]]
            return (draft, found[1]) if found[1] < len(draft.articles) else None

    def clear(self):
        with self.lock:
            self.drafts.clear()
            self.tempkeys.clear()
