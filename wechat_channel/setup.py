"""After migrate: the django-q2 schedule that sweeps due and stuck pushes every minute."""

SWEEP = "wechat_channel: push sweep"


def ensure_schedules(sender=None, **kwargs):
    """Create the sweep once; an administrator's later changes to it stand."""
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name=SWEEP,
        defaults={"func": "wechat_channel.tasks.sweep", "schedule_type": Schedule.MINUTES, "minutes": 1, "repeats": -1},
    )
