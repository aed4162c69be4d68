"""Background work, queued on commit through django-q2; each task takes primary keys.

Every task is safe to run twice: it reads current state and sends at most one
message per call.
"""

from django.db import transaction
from django_q.tasks import async_task

from cms.people import notifications


def enqueue(func_path, *args):
    """Queue `func_path(*args)` once the current transaction commits."""
    transaction.on_commit(lambda: async_task(func_path, *args))


def notify_sent_back(send_back_id):
    return notifications.sent_back(send_back_id)


def notify_stage_started(task_state_id):
    return notifications.stage_started(task_state_id)


def notify_accepted(page_id):
    """Office acceptance: award a student's point (A17.1), then thank or inform the provider."""
    from cms.models import ArticlePage
    from cms.rewards.points import award_points

    award = award_points(ArticlePage.objects.get(pk=page_id))
    return notifications.accepted(page_id, award)


def check_discipline(department_id):
    from cms.rewards.discipline import check_department

    return [notice.pk for notice in check_department(department_id)]


def notify_discipline(notice_id):
    return notifications.discipline(notice_id)


def send_contribution_receipt(contribution_id):
    return notifications.contribution_receipt(contribution_id)


def daily_check():
    from cms.rewards.period_checks import daily_check

    return daily_check()


def weekly_check():
    from cms.rewards.period_checks import weekly_check

    return weekly_check()


def semester_check():
    from cms.rewards.period_checks import semester_check

    return semester_check()


def purge_held_uploads():
    """Hourly: delete held uploads whose form was never completed, and rate-limit counters of past windows."""
    from cms.contributions import ratelimit, services

    return {"images": services.purge_stale_pending_images(), "counters": ratelimit.purge_expired_counters()}
