"""A push article that failed, in words for the editor who planned it: what is wrong and where to fix it.

The reasons are stored as codes (`PushItem.problems`); each reader gets them in their own language (STYLE 11),
by e-mail when it happens (`notify.planner_told`) and on their dashboard until the push is retried.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from wechat_channel import history
from wechat_channel.adapters import adapter_for
from wechat_channel.content.limits import LimitProblem
from wechat_channel.models import Push, PushItem

SHOWN_FOR = datetime.timedelta(days=14)  # a failure older than two weeks has been dealt with or forgotten


@dataclass(frozen=True)
class Fix:
    """One reason and, when known, the page where it is fixed and whether that needs a new review."""

    reason: str
    url: str = ""
    reviewed_again: bool = False


def language_of(user):
    """The language the user chose in their Wagtail profile, else the site's."""
    if user is None or not user.pk:
        return settings.LANGUAGE_CODE
    return UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE


def fixes(item, message=""):
    """The reasons `item` failed and how to fix each, in the active language; `message` when it has no codes."""
    adapter = adapter_for(item.page) if item.page_id else None
    problems = [p for p in map(LimitProblem.from_data, item.problems or []) if p is not None]
    if not problems:
        reason = (
            str(message or "")
            or history.text_of(item.error_note, item.error_message)
            or history.text_of(item.push.error_note, item.push.error_message)
        )
        return [Fix(reason or _("WeChat did not take the push."))]
    wechat_only = set(adapter.wechat_only_fields()) if adapter else set()
    result = []
    for problem in problems:
        if adapter is None:
            result.append(Fix(str(problem)))
        elif problem.field in wechat_only:
            result.append(Fix(str(problem), adapter.wechat_fields_url()))
        else:
            result.append(Fix(str(problem), adapter.edit_url(), reviewed_again=True))
    return result


def push_url(item):
    return reverse("wechat_admin:push", args=[item.push_id])


def failed_for(user, now=None):
    """The failed articles `user` planned, newest first, while they can still be acted on."""
    now = now or timezone.now()
    return (
        PushItem.objects.filter(planned_by=user, state=PushItem.State.FAILED, push__slot__gte=now - SHOWN_FOR)
        .exclude(push__state=Push.State.CANCELLED)
        .select_related("push__account", "page")
        .order_by("-push__slot", "position")
    )
