"""One page as a WeChat draft article, and as a phone would show it (the "WeChat" preview mode)."""

import logging

from django.template.loader import render_to_string
from django.utils import timezone

from wechat_channel.content.html import plain_text, to_wechat_html
from wechat_channel.content.images import ContentImages, cover_media_id
from wechat_channel.content.limits import blocking, check_article, content_problems

logger = logging.getLogger(__name__)


class ContentRejected(Exception):
    """The article breaks WeChat's limits; `problems` are `LimitProblem`s an editor can act on."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(problem.message_en for problem in self.problems))

    def __str__(self):
        return "；".join(problem.message() for problem in self.problems)


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


def problems_of(adapter, content=None):
    """Every `LimitProblem` of the page (warnings included), without uploading anything."""
    fields = _fields(adapter)
    content = render_content(adapter) if content is None else content
    return check_article(content=content, has_cover=adapter.cover() is not None, **fields)


def build_article(account, client, adapter, warnings=None):
    """The `draft/add` article of the page: limits first, then images re-hosted and the cover uploaded once.

    Raises `ContentRejected` before any upload when WeChat would refuse it. Dropped images and other
    non-blocking notes are appended to `warnings` (dicts with message_zh/message_en) when a list is given.
    """
    fields = _fields(adapter)
    problems = blocking(problems_of(adapter))
    if problems:
        raise ContentRejected(problems)
    images = ContentImages(account, client, adapter)
    content = render_content(adapter, image_url=images)
    problems = content_problems(content)  # WeChat's image URLs differ in length from the site's
    if problems:
        raise ContentRejected(problems)
    thumb_media_id = cover_media_id(account, client, adapter)
    if warnings is not None:
        warnings.extend(images.warnings)
    return {
        "title": fields["title"],
        "author": fields["author"],
        "digest": fields["digest"],
        "content": content,
        "content_source_url": fields["source_url"],
        "thumb_media_id": thumb_media_id,
        "need_open_comment": 1,
        "only_fans_can_comment": 0,
    }


def render_phone_preview(adapter, account_name=None, request=None):
    """HTML of the article as a phone shows it in WeChat; no uploads, images keep their site URLs."""
    if account_name is None:
        from wechat_channel.models import WeChatAccount

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
        "digest_shown": fields["digest"] or plain_text(content)[:54],
        "problems": problems_of(adapter, content),
    }
    return render_to_string("wechat_channel/phone_preview.html", context, request=request)
