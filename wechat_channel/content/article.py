"""One page as a WeChat draft article, and as a phone would show it (the "WeChat" preview mode)."""

import logging

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wechat_channel.content.html import plain_text, to_wechat_html
from wechat_channel.content.images import ImageBatch, ImageProblem
from wechat_channel.content.limits import (
    DEFAULT_DIGEST_CHARS,
    blocking,
    check_article,
    content_problems,
    cover_problem,
)
from wechat_channel.models import RehostedImage, WeChatAccount

logger = logging.getLogger(__name__)

# Images left out of an article (it still goes out), by code; stored with the image's address and parameters.
IMAGE_WARNINGS = {
    "image_missing": _("image not found; left out of the WeChat version"),
    "image_unreadable": _("image unreadable (%(reason)s); left out"),
}


def warning_text(warning):
    """A stored image warning (`{"src", "code", "params"}`) in the active language."""
    return str(IMAGE_WARNINGS[warning["code"]]) % warning["params"]


class ContentRejected(Exception):
    """The article breaks WeChat's limits; `problems` are `LimitProblem`s an editor can act on."""

    def __init__(self, problems):
        self.problems = list(problems)
        with translation.override("en"):
            super().__init__(str(self))

    def __str__(self):
        return gettext("; ").join(problem.message() for problem in self.problems)


def _base_url(adapter):
    return adapter.source_url() or ""


def render_content(adapter, image_url=None):
    """The WeChat HTML of the adapter's page; images keep their site URLs unless `image_url` maps them."""
    return to_wechat_html(
        adapter.body_html(),
        credits=adapter.credits(),
        repost_source=adapter.repost_source(),
        image_url=image_url,
        base_url=_base_url(adapter),
    )


def _fields(adapter):
    return {
        "title": (adapter.title() or "").strip(),
        "author": (adapter.author() or "").strip(),
        "digest": (adapter.digest() or "").strip(),
        "source_url": adapter.source_url() or "",
    }


def problems_of(adapter, content=None, body=True):
    """Every `LimitProblem` of the page (warnings included), without uploading anything.

    `body=False` leaves the body unrendered and unchecked (the weekly plan: rendering costs queries per article).
    """
    fields = _fields(adapter)
    if not body:
        return check_article(has_cover=adapter.has_cover(), check_content=False, **fields)
    content = render_content(adapter) if content is None else content
    return check_article(content=content, has_cover=adapter.has_cover(), **fields)


class _Planned:
    """One article of a batch between the two passes: its fields, images and warnings."""

    def __init__(self, adapter):
        self.adapter = adapter
        self.fields = _fields(adapter)
        self.sources = {}  # placeholder in the content -> image key
        self.content = ""
        self.cover = None
        self.warnings = []

    def warn(self, src, code, **params):
        warning = {"src": src, "code": code, "params": params}
        with translation.override("en"):
            logger.warning("WeChat content image %s: %s", src, warning_text(warning))
        self.warnings.append(warning)


def _placeholder(key):
    return f"\x00{key[0]}:{key[1]}\x00"  # NUL cannot occur in HTML text: replaced by the WeChat URL later


def _plan(adapter, images):
    """First pass: the content rendered once with placeholders for its images, and WeChat's limits checked.

    Only an article that passes has its images registered with the batch: nothing is uploaded for one
    WeChat would refuse.
    """
    planned = _Planned(adapter)
    pending = {}

    def register(src):
        image = adapter.open_image(src)
        if image is None:
            planned.warn(src, "image_missing")
            return None
        try:
            key, prepared = images.prepared(image, RehostedImage.Purpose.CONTENT)
        except ImageProblem as exc:
            planned.warn(src, "image_unreadable", reason=str(exc))
            return None
        pending[_placeholder(key)] = (key, prepared)
        return _placeholder(key)

    cover = adapter.cover()
    planned.content = render_content(adapter, image_url=register)
    problems = blocking(check_article(content=planned.content, has_cover=cover is not None, **planned.fields))
    if problems:
        raise ContentRejected(problems)
    try:
        planned.cover = images.add(cover, RehostedImage.Purpose.COVER)
    except ImageProblem as exc:
        raise ContentRejected([cover_problem(str(exc))]) from exc
    for placeholder, (key, prepared) in pending.items():
        planned.sources[placeholder] = images.want(key, prepared)
    return planned


def _finish(planned, images):
    """Second pass: WeChat's image URLs in place, and the content's size checked (it is final only now)."""
    content = planned.content
    for placeholder, key in planned.sources.items():
        content = content.replace(placeholder, images.url(key) or "")
    problems = content_problems(content)
    if problems:
        raise ContentRejected(problems)
    fields = planned.fields
    return {
        "title": fields["title"],
        "author": fields["author"],
        "digest": fields["digest"],
        "content": content,
        "content_source_url": fields["source_url"],
        "thumb_media_id": images.media_id(planned.cover),
        "need_open_comment": 1,
        "only_fans_can_comment": 0,
    }


def build_articles(account, client, adapters, warnings=None, progress=None, images=None):
    """The `draft/add` article of each adapter's page, or the `ContentRejected` that keeps it out.

    Limits are checked before any upload; then the images of all the articles are re-hosted together
    (`ImageBatch`: one lookup, each distinct image uploaded once, one write). Dropped images and other
    non-blocking notes are appended to `warnings` when a list is given; `progress()` is called after each
    upload (a worker renews its claim there). Pass `images` (an `ImageBatch`) to see what was reused.
    """
    images = images or ImageBatch(account, client, progress=progress)
    planned = []
    for adapter in adapters:
        try:
            planned.append(_plan(adapter, images))
        except ContentRejected as rejected:
            planned.append(rejected)
    images.resolve()
    results = []
    for entry in planned:
        if isinstance(entry, ContentRejected):
            results.append(entry)
            continue
        try:
            results.append(_finish(entry, images))
        except ContentRejected as rejected:
            results.append(rejected)
            continue
        if warnings is not None:
            warnings.extend(entry.warnings)
    return results


def build_article(account, client, adapter, warnings=None):
    """The `draft/add` article of one page; raises `ContentRejected` before any upload when WeChat would refuse it."""
    [result] = build_articles(account, client, [adapter], warnings=warnings)
    if isinstance(result, ContentRejected):
        raise result
    return result


def render_phone_preview(adapter, account_name=None, request=None):
    """HTML of the article as a phone shows it in WeChat; no uploads, images keep their site URLs."""
    if account_name is None:
        account = WeChatAccount.objects.filter(is_active=True).first()
        account_name = account.name if account else ""
    content = render_content(adapter)
    fields = _fields(adapter)
    published = getattr(adapter.page, "last_published_at", None) or timezone.now()
    context = {
        **fields,
        "account_name": account_name,
        "content": content,
        "date": timezone.localtime(published),
        "digest_shown": fields["digest"] or plain_text(content)[:DEFAULT_DIGEST_CHARS],
        "problems": problems_of(adapter, content),
    }
    return render_to_string("wechat_channel/phone_preview.html", context, request=request)
