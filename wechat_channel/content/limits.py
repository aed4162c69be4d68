"""WeChat's draft limits, checked before any call, in words an editor understands (WECHAT.md §3.1, §11)."""

from dataclasses import dataclass

from django.utils.translation import get_language

MAX_TITLE = 64  # the web editor and wechatpy say 64; the API page says 32 (§11): over 32 is only a warning
ADVISED_TITLE = 32
MAX_AUTHOR = 16
MAX_DIGEST = 128  # single-article drafts only; a multi-article draft drops digests
MAX_CONTENT_CHARS = 20_000  # "< 20,000 characters", tags and styles included
MAX_CONTENT_BYTES = 1024 * 1024  # "< 1 MB"
MAX_SOURCE_URL_BYTES = 1024  # "阅读原文" URL "< 1 KB"


@dataclass(frozen=True)
class LimitProblem:
    """One field WeChat would refuse (`blocking`) or that may not show as meant (a warning)."""

    field: str
    message_zh: str
    message_en: str
    blocking: bool = True

    def message(self, language=None):
        language = language or get_language() or "zh-hans"
        return self.message_en if language.lower().startswith("en") else self.message_zh

    def __str__(self):
        return self.message()


def check_article(title, author="", digest="", content="", source_url="", has_cover=True, check_content=True):
    """Every problem of one article with WeChat's limits; `blocking` ones make WeChat refuse the draft."""
    problems = []
    title = title or ""
    if not title.strip():
        problems.append(
            LimitProblem("title", "标题为空：微信要求文章有标题。", "The title is empty: WeChat needs one.")
        )
    elif len(title) > MAX_TITLE:
        problems.append(
            LimitProblem(
                "title",
                f"标题 {len(title)} 字，微信最多 {MAX_TITLE} 字：请缩短标题。",
                f"The title has {len(title)} characters; WeChat allows at most {MAX_TITLE}: shorten it.",
            )
        )
    elif len(title) > ADVISED_TITLE:
        problems.append(
            LimitProblem(
                "title",
                f"标题 {len(title)} 字：微信接口文档写最多 {ADVISED_TITLE} 字，公众平台编辑器允许 {MAX_TITLE} 字；"
                f"建议不超过 {ADVISED_TITLE} 字，以免在消息列表中被截断。",
                f"The title has {len(title)} characters: WeChat's API page says at most {ADVISED_TITLE}, its editor "
                f"allows {MAX_TITLE}; keep it to {ADVISED_TITLE} so chat lists do not cut it.",
                blocking=False,
            )
        )
    if len(author or "") > MAX_AUTHOR:
        problems.append(
            LimitProblem(
                "author",
                f"作者 {len(author)} 字，微信最多 {MAX_AUTHOR} 字：请缩短作者名。",
                f"The author has {len(author)} characters; WeChat allows at most {MAX_AUTHOR}: shorten it.",
            )
        )
    if len(digest or "") > MAX_DIGEST:
        problems.append(
            LimitProblem(
                "digest",
                f"摘要 {len(digest)} 字，微信最多 {MAX_DIGEST} 字：请缩短摘要。",
                f"The digest has {len(digest)} characters; WeChat allows at most {MAX_DIGEST}: shorten it.",
            )
        )
    if check_content:
        problems.extend(content_problems(content))
    if len((source_url or "").encode("utf-8")) >= MAX_SOURCE_URL_BYTES:
        problems.append(
            LimitProblem(
                "source_url",
                "“阅读原文”链接太长：微信要求小于 1 KB。",
                "The 'read the original' link is too long: WeChat needs it under 1 KB.",
            )
        )
    if not has_cover:
        problems.append(
            LimitProblem(
                "cover",
                "没有封面图：微信图文消息必须有封面，请选择一张封面图。",
                "There is no cover image: WeChat articles need one; choose a cover.",
            )
        )
    return problems


def cover_problem(reason):
    """The cover cannot be read as an image."""
    return LimitProblem(
        "cover",
        f"封面图无法读取（{reason}）：请换一张 JPG 或 PNG 封面。",
        f"The cover image cannot be read ({reason}): choose a JPG or PNG cover.",
    )


def content_problems(content):
    """The body's size against WeChat's limits (the HTML WeChat receives, styles included)."""
    content = content or ""
    chars, size = len(content), len(content.encode("utf-8"))
    if chars >= MAX_CONTENT_CHARS:
        return [
            LimitProblem(
                "content",
                f"正文（含排版代码）{chars:,} 字符，微信要求少于 {MAX_CONTENT_CHARS:,} 字符：请删减正文或拆成两篇。",
                f"The body (with its formatting) has {chars:,} characters; WeChat needs fewer than "
                f"{MAX_CONTENT_CHARS:,}: shorten it or split it into two articles.",
            )
        ]
    if size >= MAX_CONTENT_BYTES:
        return [
            LimitProblem(
                "content",
                f"正文 {size / 1024 / 1024:.1f} MB，微信要求小于 1 MB：请删减正文。",
                f"The body is {size / 1024 / 1024:.1f} MB; WeChat needs under 1 MB: shorten it.",
            )
        ]
    return []


def blocking(problems):
    return [problem for problem in problems if problem.blocking]
