"""Builders for pushes of real article pages, shared by the delivery, comment and happy-path tests."""

import datetime
import io
import time

from django.core.files.images import ImageFile as DjangoImageFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from tests.publishing import publish_approved
from wechat_channel.models import Push, PushItem


def wagtail_image(title, color, size=(320, 180)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=DjangoImageFile(buffer, name=f"{title}.png"))


def due_push(account, article_factory, department, n=2, mode=Push.Mode.MASS_SEND):
    """A push due a minute ago with `n` live articles sharing one cover."""
    push = Push.objects.create(account=account, slot=timezone.now() - datetime.timedelta(minutes=1), mode=mode)
    cover = wagtail_image("cover", (30, 60, 90))
    for position in range(n):
        page = publish_approved(article_factory(title=f"新闻 {position}", department=department, cover_image=cover))
        PushItem.objects.create(push=push, account=account, page=page, title=page.title, position=position)
    return push


def due_push_with_photo(account, article_factory, department, title, mode=Push.Mode.MASS_SEND):
    """A push due a minute ago with one live article: the same cover and body photo every time, so the channel
    remembers their WeChat ids after the first push (a stale id is then WeChat's 40007)."""
    push = Push.objects.create(account=account, slot=timezone.now() - datetime.timedelta(minutes=1), mode=mode)
    page = article_factory(
        title=title,
        department=department,
        cover_image=wagtail_image("cover", (200, 10, 10)),
        body=[{"type": "image", "value": {"image": wagtail_image("photo", (10, 200, 10)).pk, "caption": "入场式"}}],
        live=True,
    )
    PushItem.objects.create(push=push, account=account, page=page, title=page.title, position=0)
    return push


def settled(push, seconds=15):
    """The push once it is done or failed (WeChat's result event or polling settled it), or as it is after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        push.refresh_from_db()
        if push.state in (Push.State.DONE, Push.State.FAILED):
            return push
        time.sleep(0.05)
    return push
