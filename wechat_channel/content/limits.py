"""WeChat's draft limits, checked before any call, in words an editor understands (WECHAT.md §3.1, §11, §12).

A problem is stored as a code and its numbers; its words are rendered in the reader's language when shown, so
the same failure reads in Chinese to one editor and in English to another (STYLE 11). The limit numbers live
here only: the checklist, the push, the phone preview and the sandbox all read them from this module.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The current draft/add page (developers.weixin.qq.com …/draftbox/draftmanage/api_draft_add): "标题，总长度不超过
# 32个字", "作者，总长度不超过16个字", "摘要，总长度不超过128个字". The mp.weixin editor's 64 (§11) is not the API's.
MAX_TITLE = 32
MAX_AUTHOR = 16
MAX_DIGEST = 128  # single-article drafts only; a multi-article draft drops digests
MAX_CONTENT_CHARS = 20_000  # "< 20,000 characters", tags and styles included
MAX_CONTENT_BYTES = 1024 * 1024  # "< 1 MB"
MAX_SOURCE_URL_BYTES = 1024  # "阅读原文" URL "< 1 KB"
DEFAULT_DIGEST_CHARS = 54  # "如果本字段为没有填写，则默认抓取正文前54个字"

# What is wrong and how to fix it, by code; `%(n)s` is the article's count, `%(limit)s` WeChat's.
MESSAGES = {
    "title_empty": _("The title is empty: WeChat needs a title. Give the article a title."),
    "title_long": _(
        "The title has %(n)s characters; WeChat allows at most %(limit)s: shorten the title to %(limit)s characters."
    ),
    "author_long": _(
        "The author has %(n)s characters; WeChat allows at most %(limit)s: shorten the author (text author) name."
    ),
    "digest_long": _("The digest has %(n)s characters; WeChat allows at most %(limit)s: shorten the digest."),
    "digest_default": _(
        "There is no digest: WeChat shows the body's first %(limit)s characters under the title. Write one if "
        "they do not read well alone."
    ),
    "content_chars": _(
        "The body (with its formatting) has %(n)s characters; WeChat needs fewer than %(limit)s: shorten it or split "
        "it into two articles."
    ),
    "content_bytes": _("The body is %(n)s MB; WeChat needs under 1 MB: shorten it or use fewer pictures."),
    "source_url_long": _("The 'read the original' (阅读原文) link is too long: WeChat needs it under 1 KB."),
    "no_cover": _("There is no cover image: a WeChat article needs one. Choose a cover image."),
    "cover_unreadable": _("The cover image cannot be read (%(reason)s): choose a JPG or PNG cover image."),
}


@dataclass(frozen=True)
class LimitProblem:
    """One field WeChat would refuse (`blocking`) or that may not show as meant (a warning)."""

    field: str
    code: str
    params: dict = dataclass_field(default_factory=dict, hash=False)
    blocking: bool = True

    def message(self, language=None):
        """The problem and its fix in `language` (default: the active language)."""
        with translation.override(language or translation.get_language()):
            return str(MESSAGES[self.code]) % self.params

    @property
    def message_zh(self):
        return self.message("zh-hans")

    @property
    def message_en(self):
        return self.message("en")

    def as_data(self):
        """A JSON-safe record (codes and numbers, no words), for storing with a failed push article."""
        return {"field": self.field, "code": self.code, "params": dict(self.params), "blocking": self.blocking}

    @classmethod
    def from_data(cls, data):
        """The problem stored by `as_data`; None for anything else (an older or hand-edited record)."""
        if not isinstance(data, dict) or data.get("code") not in MESSAGES:
            return None
        params = data.get("params") if isinstance(data.get("params"), dict) else {}
        return cls(str(data.get("field", "")), data["code"], params, bool(data.get("blocking", True)))

    def __str__(self):
        return self.message()


def _long(field_name, code, value, limit):
    return LimitProblem(field_name, code, {"n": len(value), "limit": limit})


def check_article(title, author="", digest="", content="", source_url="", has_cover=True, check_content=True):
    """Every problem of one article with WeChat's limits; `blocking` ones make WeChat refuse the draft."""
    problems = []
    title, author, digest = title or "", author or "", digest or ""
    if not title.strip():
        problems.append(LimitProblem("title", "title_empty"))
    elif len(title) > MAX_TITLE:
        problems.append(_long("title", "title_long", title, MAX_TITLE))
    if len(author) > MAX_AUTHOR:
        problems.append(_long("author", "author_long", author, MAX_AUTHOR))
    if len(digest) > MAX_DIGEST:
        problems.append(_long("digest", "digest_long", digest, MAX_DIGEST))
    elif not digest.strip():
        problems.append(LimitProblem("digest", "digest_default", {"limit": DEFAULT_DIGEST_CHARS}, blocking=False))
    if check_content:
        problems.extend(content_problems(content))
    if len((source_url or "").encode("utf-8")) >= MAX_SOURCE_URL_BYTES:
        problems.append(LimitProblem("source_url", "source_url_long"))
    if not has_cover:
        problems.append(LimitProblem("cover", "no_cover"))
    return problems


def cover_problem(reason):
    """The cover cannot be read as an image."""
    return LimitProblem("cover", "cover_unreadable", {"reason": str(reason)})


def content_problems(content):
    """The body's size against WeChat's limits (the HTML WeChat receives, styles included)."""
    content = content or ""
    chars, size = len(content), len(content.encode("utf-8"))
    if chars >= MAX_CONTENT_CHARS:
        return [LimitProblem("content", "content_chars", {"n": f"{chars:,}", "limit": f"{MAX_CONTENT_CHARS:,}"})]
    if size >= MAX_CONTENT_BYTES:
        return [LimitProblem("content", "content_bytes", {"n": f"{size / 1024 / 1024:.1f}"})]
    return []


def blocking(problems):
    return [problem for problem in problems if problem.blocking]
