"""What a review action did, in words the reviewer reads after it (instead of Wagtail's "page updated")."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from wechat_channel.models import PushItem, WeChatAccount


def planned_push(article):
    """The first WeChat push the channel has planned `article` into, or None (asked of wechat_channel's records)."""
    item = (
        PushItem.objects.filter(page_id=article.pk)
        .exclude(state=PushItem.State.FAILED)
        .select_related("push__account")
        .order_by("push__slot")
        .first()
    )
    return item.push if item else None


def stage_label(task):
    """A review stage as the reader's language names it (department head review, office review...)."""
    return str(task.specific._meta.verbose_name)


def review_outcome(article, stage, action):
    """One sentence on what `action` ("approve" or "reject") at `stage` did to `article` (A6.2, A6.3.1)."""
    title = article.get_admin_display_title()
    if action == "reject":
        return _("Sent “%(title)s” back from %(stage)s for changes; the provider has been told why.") % {
            "title": title,
            "stage": stage,
        }
    next_task = article.current_workflow_task
    if next_task is not None:
        return _("Approved “%(title)s” at %(stage)s; it moves on to %(next)s.") % {
            "title": title,
            "stage": stage,
            "next": stage_label(next_task),
        }
    if not article.live:
        if article.go_live_at:
            return _("Approved “%(title)s” at %(stage)s; it will be published at %(when)s.") % {
                "title": title,
                "stage": stage,
                "when": formats.date_format(timezone.localtime(article.go_live_at), "DATETIME_FORMAT"),
            }
        return _("Approved “%(title)s” at %(stage)s.") % {"title": title, "stage": stage}
    message = _("Approved “%(title)s” at %(stage)s: it is published.") % {"title": title, "stage": stage}
    push = planned_push(article)
    if push is not None:
        message += " " + _("Planned for the %(account)s push at %(slot)s.") % {
            "account": push.account.name,
            "slot": formats.date_format(timezone.localtime(push.slot), "DATETIME_FORMAT"),
        }
    elif pushed_to_wechat():
        # The channel plans it from the task queue, just after this request: say where to look (A12).
        message += " " + _("It is being planned into the next push the policy allows: see WeChat → Weekly plan.")
    return message


def pushed_to_wechat():
    """Whether an active WeChat account takes approved articles (then the channel plans each one, A12)."""
    return WeChatAccount.objects.filter(is_active=True, push_approved=True).exists()
