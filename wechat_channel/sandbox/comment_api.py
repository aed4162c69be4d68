"""Comment endpoints (WECHAT.md §8.1): open/close, list, mark/unmark elected, delete, add/delete replies.

An article is `(msg_data_id, index)` with a 0-based `index` (omitted = 0). The article count of a msg_data_id
comes from `Sandbox.article_count` (publishing and mass send) when the sandbox has it, else from an implicit
registration made by `POST /sandbox/comments`. Choices where WeChat's docs are silent:

- comments are open by default on every article (a per-article flag `comment/open`/`comment/close` flip);
  while closed, every call but open/close answers 88000, and followers cannot comment;
- replies and comments hold 1..600 characters (88007 outside that); 100 elected comments per article (88003);
- `comment/list` returns comments oldest first; `reply` appears only on comments that have one;
- `count` must be 1..49 (88010), `begin` ≥ 0 and `type` 0/1/2 (otherwise 47001).
"""

import threading
from dataclasses import dataclass, field

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.routes import api

NO_PRIVILEGE = 88000
MSG_DATA_MISSING = 88001
ELECTED_LIMIT = 88003
ALREADY_REPLIED = 88005
REPLY_LENGTH = 88007
COMMENT_MISSING = 88008
REPLY_MISSING = 88009
COUNT_RANGE = 88010

ERRMSGS = {
    NO_PRIVILEGE: "without comment privilege",
    MSG_DATA_MISSING: "msg_data is not exists",
    ELECTED_LIMIT: "elected comment upper limit",
    ALREADY_REPLIED: "already reply",
    REPLY_LENGTH: "reply content beyond max len or content len is zero",
    COMMENT_MISSING: "comment is not exists",
    REPLY_MISSING: "reply is not exists",
    COUNT_RANGE: "count range error. cout <= 0 or count > 50",
}

MAX_CONTENT = 600  # characters, for comments and replies alike
MAX_ELECTED = 100  # elected (精选) comments per article
MAX_COUNT = 49  # `comment/list` page size: "< 50"


def fail(code):
    return errors.WeChatError(code, ERRMSGS.get(code))


@dataclass
class Comment:
    user_comment_id: int
    content: str
    create_time: int
    openid: str | None = None
    elected: bool = False
    reply: dict | None = None

    def as_dict(self):
        item = {
            "user_comment_id": self.user_comment_id,
            "create_time": self.create_time,
            "content": self.content,
            "comment_type": 1 if self.elected else 0,
        }
        if self.openid is not None:
            item["openid"] = self.openid
        if self.reply is not None:
            item["reply"] = dict(self.reply)
        return item


@dataclass
class Article:
    """The comment area of one article."""

    open: bool = True
    comments: dict[int, Comment] = field(default_factory=dict)
    next_id: int = 1

    def find(self, user_comment_id):
        comment = self.comments.get(user_comment_id) if isinstance(user_comment_id, int) else None
        if comment is None:
            raise fail(COMMENT_MISSING)
        return comment


class CommentBook:
    """Comment areas by (msg_data_id, index), and the msg_data_ids registered by `POST /sandbox/comments`."""

    def __init__(self):
        self.lock = threading.RLock()
        self.articles: dict[tuple[str, int], Article] = {}
        self.registered: dict[str, tuple[str, int]] = {}  # msg_data_id → (appid, article count)

    def register(self, appid, msg_data_id, article_count):
        with self.lock:
            self.registered.setdefault(str(msg_data_id), (appid, article_count))

    def registered_count(self, appid, msg_data_id):
        with self.lock:
            owner, count = self.registered.get(str(msg_data_id), (None, None))
        return count if owner == appid else None

    def article(self, msg_data_id, index):
        with self.lock:
            return self.articles.setdefault((str(msg_data_id), index), Article())


def _published_count(sandbox, msg_data_id):
    """`Sandbox.article_count` for msg_data_id as sent or in its other JSON form (number vs string)."""
    lookup = getattr(sandbox, "article_count", None)
    if lookup is None:
        return None
    forms = [msg_data_id]
    if isinstance(msg_data_id, int):
        forms.append(str(msg_data_id))
    elif isinstance(msg_data_id, str) and msg_data_id.isdigit():
        forms.append(int(msg_data_id))
    for form in forms:
        count = lookup(form)
        if count is not None:
            return count
    return None


def _integer(value, default=None):
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    return value


def locate(sandbox, appid, data):
    """The Article that `data` (`msg_data_id`, `index`) names, or 88001."""
    msg_data_id = data.get("msg_data_id")
    if isinstance(msg_data_id, bool) or not isinstance(msg_data_id, (int, str)) or msg_data_id == "":
        raise fail(MSG_DATA_MISSING)
    index = _integer(data.get("index"), default=0)
    count = _published_count(sandbox, msg_data_id)
    if count is None:
        count = sandbox.comments.registered_count(appid, msg_data_id)
    if count is None or not 0 <= index < count:
        raise fail(MSG_DATA_MISSING)
    return sandbox.comments.article(msg_data_id, index)


def open_article(sandbox, request):
    article = locate(sandbox, request.token.appid, request.data)
    if not article.open:
        raise fail(NO_PRIVILEGE)
    return article


@api("comment/open")
def comment_open(sandbox, request):
    locate(sandbox, request.token.appid, request.data).open = True
    return errors.envelope(errors.OK)


@api("comment/close")
def comment_close(sandbox, request):
    locate(sandbox, request.token.appid, request.data).open = False
    return errors.envelope(errors.OK)


@api("comment/list")
def comment_list(sandbox, request):
    article = open_article(sandbox, request)
    data = request.data
    begin = _integer(data.get("begin"), default=0)
    count = data.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise fail(COUNT_RANGE)
    kind = _integer(data.get("type"), default=0)
    if begin < 0 or kind not in (0, 1, 2):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    with sandbox.comments.lock:
        comments = list(article.comments.values())
        if kind == 1:
            comments = [c for c in comments if not c.elected]
        elif kind == 2:
            comments = [c for c in comments if c.elected]
        page = [c.as_dict() for c in comments[begin : begin + count]]
    return {"errcode": 0, "errmsg": "ok", "total": len(comments), "comment": page}


def _comment_call(sandbox, request):
    article = open_article(sandbox, request)
    return article, article.find(request.data.get("user_comment_id"))


@api("comment/markelect")
def markelect(sandbox, request):
    article, comment = _comment_call(sandbox, request)
    with sandbox.comments.lock:
        if not comment.elected and sum(c.elected for c in article.comments.values()) >= MAX_ELECTED:
            raise fail(ELECTED_LIMIT)
        comment.elected = True
    return errors.envelope(errors.OK)


@api("comment/unmarkelect")
def unmarkelect(sandbox, request):
    _, comment = _comment_call(sandbox, request)
    comment.elected = False
    return errors.envelope(errors.OK)


@api("comment/delete")
def delete(sandbox, request):
    article, comment = _comment_call(sandbox, request)
    with sandbox.comments.lock:
        article.comments.pop(comment.user_comment_id, None)
    return errors.envelope(errors.OK)


@api("comment/reply/add")
def reply_add(sandbox, request):
    _, comment = _comment_call(sandbox, request)
    content = request.data.get("content")
    if not isinstance(content, str) or not 1 <= len(content) <= MAX_CONTENT:
        raise fail(REPLY_LENGTH)
    with sandbox.comments.lock:
        if comment.reply is not None:
            raise fail(ALREADY_REPLIED)
        comment.reply = {"content": content, "create_time": int(sandbox.state.clock.now())}
    return errors.envelope(errors.OK)


@api("comment/reply/delete")
def reply_delete(sandbox, request):
    _, comment = _comment_call(sandbox, request)
    with sandbox.comments.lock:
        if comment.reply is None:
            raise fail(REPLY_MISSING)
        comment.reply = None
    return errors.envelope(errors.OK)


def seed_comment(sandbox, data, default_openid):
    """`POST /sandbox/comments`: a follower comments on an article; returns `{"user_comment_id"}`.

    Raises ValueError (HTTP 400) for a bad request. `article_count` registers an unknown msg_data_id;
    `create_time` (Unix seconds, not later than the sandbox's now) dates a comment made earlier, default now.
    """
    appid, msg_data_id, content = data.get("appid"), data.get("msg_data_id"), data.get("content")
    if appid not in sandbox.state.accounts:
        raise ValueError("appid must name a sandbox account")
    if isinstance(msg_data_id, bool) or not isinstance(msg_data_id, (int, str)) or msg_data_id == "":
        raise ValueError("msg_data_id must be a number or a non-empty string")
    if not isinstance(content, str) or not 1 <= len(content) <= MAX_CONTENT:
        raise ValueError(f"content must be 1..{MAX_CONTENT} characters")
    openid = data.get("openid") or default_openid
    if not isinstance(openid, str):
        raise ValueError("openid must be a string")
    article_count = data.get("article_count")
    if article_count is not None:
        if isinstance(article_count, bool) or not isinstance(article_count, int) or not 1 <= article_count <= 8:
            raise ValueError("article_count must be 1..8")
        if _published_count(sandbox, msg_data_id) is None:
            sandbox.comments.register(appid, msg_data_id, article_count)
    now = int(sandbox.state.clock.now())
    create_time = data.get("create_time", now)
    if isinstance(create_time, bool) or not isinstance(create_time, int) or not 0 < create_time <= now:
        raise ValueError("create_time must be Unix seconds, not later than now")
    try:
        article = locate(sandbox, appid, {"msg_data_id": msg_data_id, "index": data.get("index")})
    except errors.WeChatError as exc:
        raise ValueError("no such article (give article_count to register an unknown msg_data_id)") from exc
    with sandbox.comments.lock:
        if not article.open:
            raise ValueError("comments are closed on this article")
        comment = Comment(article.next_id, content, create_time, openid)
        article.comments[comment.user_comment_id] = comment
        article.next_id += 1
    return {"user_comment_id": comment.user_comment_id}


def seed_comments(sandbox, data, default_openid_of):
    """What the sandbox starts with (`wechat_sandbox --comments`): `{"articles": [...], "comments": [...]}`.

    Each article (`appid`, `msg_data_id`, `article_count`) registers a msg_data_id the sandbox did not publish itself
    (pushes that went out before it ran), so its comments can be listed, none yet; each comment is a
    `POST /sandbox/comments` body. Raises ValueError naming the first bad entry; `default_openid_of(appid)` is the
    author when none is given. Returns the number of comments.
    """
    if not isinstance(data, dict) or set(data) - {"articles", "comments"}:
        raise ValueError('the comments file must hold {"articles": [...], "comments": [...]}')
    articles, comments = data.get("articles", []), data.get("comments", [])
    if not isinstance(articles, list) or not isinstance(comments, list):
        raise ValueError("articles and comments must be lists")
    for number, entry in enumerate(articles, start=1):
        try:
            _register(sandbox, entry)
        except ValueError as exc:
            raise ValueError(f"article {number}: {exc}") from exc
    for number, entry in enumerate(comments, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"comment {number}: a JSON object is required")
        try:
            seed_comment(sandbox, entry, default_openid_of(entry.get("appid")))
        except ValueError as exc:
            raise ValueError(f"comment {number}: {exc}") from exc
    return len(comments)


def _register(sandbox, entry):
    if not isinstance(entry, dict) or entry.get("appid") not in sandbox.state.accounts:
        raise ValueError("appid must name a sandbox account")
    msg_data_id, article_count = entry.get("msg_data_id"), entry.get("article_count")
    if isinstance(msg_data_id, bool) or not isinstance(msg_data_id, (int, str)) or msg_data_id == "":
        raise ValueError("msg_data_id must be a number or a non-empty string")
    if isinstance(article_count, bool) or not isinstance(article_count, int) or not 1 <= article_count <= 8:
        raise ValueError("article_count must be 1..8")
    if _published_count(sandbox, msg_data_id) is None:
        sandbox.comments.register(entry["appid"], msg_data_id, article_count)
