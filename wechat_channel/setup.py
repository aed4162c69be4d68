"""After migrate: the django-q2 schedules — the push sweep every minute, comments every 15 minutes (A13), the
activity purge daily (A14), the bound staff's subscription check daily (A21)."""

from django_q.models import Schedule

SWEEP = "wechat_channel: push sweep"
PURGE = "wechat_channel: follower activity retention"
COMMENTS = "wechat_channel: fetch comments"
BINDINGS = "wechat_channel: bound staff subscription check"


def ensure_schedules(sender=None, **kwargs):
    """Create the schedules once; an administrator's later changes to them stand."""
    Schedule.objects.get_or_create(
        name=SWEEP,
        defaults={"func": "wechat_channel.tasks.sweep", "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )
    Schedule.objects.get_or_create(
        name=PURGE,
        defaults={"func": "wechat_channel.activity.purge_expired", "schedule_type": Schedule.DAILY, "repeats": -1},
    )
    Schedule.objects.get_or_create(
        name=COMMENTS,
        defaults={
            "func": "wechat_channel.comments.fetch_all",
            "schedule_type": Schedule.MINUTES,
            "minutes": 15,
            "repeats": -1,
        },
    )
    Schedule.objects.get_or_create(
        name=BINDINGS,
        defaults={"func": "wechat_channel.bindings.check_all", "schedule_type": Schedule.DAILY, "repeats": -1},
    )
