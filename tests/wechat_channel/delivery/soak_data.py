"""Synthetic articles (see soak_adapter.py) and pushes of them whose slot has come: the soak's, the call-count
test's and bench/wechat_push.py's data, written straight into the push tables (planning is tested elsewhere)."""

import datetime

from django.utils import timezone

from cms.models import ArticlePage, Department, ProviderKind
from tests.factories import COMPLETE_CREDITS
from tests.wechat_channel.delivery.soak_adapter import NO_COVER
from wechat_channel.models import Push, PushItem


def articles(index, prefix, count, refused=()):
    """`count` draft article pages under `index` (delivery reads the push tables); those in `refused` have no cover."""
    department, _created = Department.objects.get_or_create(code="soak", defaults={"name": "记者团"})
    return [
        index.add_child(
            instance=ArticlePage(
                title=f"{prefix} 第 {n} 篇" + (NO_COVER if n in refused else ""),
                slug=f"{prefix}-{n}",
                provider_kind=ProviderKind.DEPARTMENT,
                department=department,
                body=[{"type": "paragraph", "value": "<p>正文</p>"}],
                **COMPLETE_CREDITS,
            )
        )
        for n in range(count)
    ]


def plan(account, pages, per_push, mode):
    """The pages in pushes of `per_push` articles for `account`, all due now."""
    now = timezone.now()
    pushes = []
    starts = range(0, len(pages), per_push)
    for n, start in enumerate(starts):
        # One account never has two live pushes at one instant (A12): a millisecond apart, in order, all due.
        slot = now - datetime.timedelta(milliseconds=len(starts) - n)
        push = Push.objects.create(account=account, slot=slot, mode=mode)
        for position, page in enumerate(pages[start : start + per_push]):
            PushItem.objects.create(push=push, account=account, page=page, position=position, title=page.title)
        pushes.append(push)
    return pushes
