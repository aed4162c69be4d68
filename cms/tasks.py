"""Background work, run by django-q2 through each function's dotted path; each task takes primary keys.

Work is queued with `cms.admin.queue.enqueue`, on commit. Every task is safe to run twice: it reads current
state and sends at most one message per call.
"""

from cms.contributions import services
from cms.models import ArticlePage
from cms.people import notifications
from cms.public_forms import ratelimit
from cms.rewards import period_checks
from cms.rewards.discipline import check_department
from cms.rewards.points import award_points


def notify_sent_back(send_back_id):
    return notifications.sent_back(send_back_id)


def notify_stage_started(task_state_id):
    return notifications.stage_started(task_state_id)


def notify_accepted(page_id):
    """Office acceptance: award a student's point (A17.1), then thank or inform the provider."""
    award = award_points(ArticlePage.objects.get(pk=page_id))
    return notifications.accepted(page_id, award)


def check_discipline(department_id):
    return [notice.pk for notice in check_department(department_id)]


def notify_discipline(notice_id):
    return notifications.discipline(notice_id)


def send_contribution_receipt(contribution_id):
    return notifications.contribution_receipt(contribution_id)


def daily_check():
    return period_checks.daily_check()


def weekly_check():
    return period_checks.weekly_check()


def semester_check():
    return period_checks.semester_check()


def purge_held_uploads():
    """Hourly: delete held uploads whose form was never completed, and rate-limit counters of past windows."""
    return {"images": services.purge_stale_pending_images(), "counters": ratelimit.purge_expired_counters()}
