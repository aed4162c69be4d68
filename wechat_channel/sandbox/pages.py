"""Article pages: what published and previewed articles look like to someone clicking their link (WECHAT.md §4.2, §5).

WeChat links are `http://mp.weixin.qq.com/s/<id>` (published) and `http://mp.weixin.qq.com/s?__biz=…&tempkey=…`
(draft previews). The sandbox keeps the path shapes on its own host and serves a plain readable page.
"""

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from html import escape

from wechat_channel.sandbox.quota import SHANGHAI

PAGE_PREFIX = "/s"
HTML = "text/html; charset=utf-8"


@dataclass
class ArticlePage:
    """One published article (freepublish or mass send); `deleted` after freepublish/delete or mass/delete."""

    key: str
    appid: str
    article: dict
    host: str
    published_at: float
    deleted: bool = False

    @property
    def url(self):
        return f"http://{self.host}{PAGE_PREFIX}/{self.key}"


class ArticlePages:
    """Thread-safe registry of published article pages by key."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pages: dict[str, ArticlePage] = {}

    def publish(self, appid, article, host, now):
        # 22 url-safe characters, like `8yzT20EvmDg37Jso9nsIIw` in live article URLs
        page = ArticlePage(secrets.token_urlsafe(16), appid, dict(article), host, now)
        with self.lock:
            self.pages[page.key] = page
        return page

    def get(self, key):
        with self.lock:
            return self.pages.get(key)

    def clear(self):
        with self.lock:
            self.pages.clear()


def render(article, published_at=None, note=""):
    """A simple readable page: title, author and date, the stored content HTML, a 阅读原文 link."""
    title = escape(article.get("title", ""))
    byline = [escape(article.get("author") or "")]
    if published_at is not None:
        byline.append(datetime.fromtimestamp(published_at, SHANGHAI).strftime("%Y-%m-%d %H:%M"))
    source = article.get("content_source_url")
    source_link = f'<p><a href="{escape(source, quote=True)}">阅读原文</a></p>' if source else ""
    banner = f'<p style="color:#b00">{escape(note)}</p>' if note else ""
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="max-width:40em;margin:2em auto;padding:0 1em;font-family:sans-serif;line-height:1.6">'
        f'{banner}<h1 style="font-size:1.4em">{title}</h1>'
        f'<p style="color:#888">{" · ".join(b for b in byline if b)} · WeChat sandbox</p>'
        f'<div id="js_content">{article.get("content", "")}</div>{source_link}</body></html>'
    )


def _gone(message):
    body = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body><p>{message}</p></body></html>'
    return 404, HTML, body.encode()


def serve_page(sandbox, path, query):
    """(status, content_type, body) for a GET of `/s/<key>` or `/s?tempkey=…`."""
    if path.rstrip("/") == PAGE_PREFIX:
        found = sandbox.drafts.by_tempkey(query.get("tempkey", ""))
        if found is None:
            return _gone("链接已过期 (the draft preview link has expired or the draft left the draft box)")
        draft, index = found
        return 200, HTML, render(draft.articles[index], note="预览 (draft preview)").encode()
    page = sandbox.pages.get(path[len(PAGE_PREFIX) + 1 :].strip("/"))
    if page is None:
        return _gone("该内容不存在 (no such article in the sandbox)")
    if page.deleted:
        return _gone("该内容已被发布者删除")
    return 200, HTML, render(page.article, page.published_at).encode()


def is_page_path(path):
    return path == PAGE_PREFIX or path.startswith(PAGE_PREFIX + "/")
