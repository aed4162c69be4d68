"""The reports' schedules and signal handlers, wired from `PolicyRulesConfig.ready()`.

The worker recomputes the stored outcomes every hour (what no signal tells: a bulk change, the calendar) and
just after midnight on the policy's calendar, when "through" = today moves to the new day.
"""

import datetime

from django_q.models import Schedule

from ..facts_document import policy_tz
from ..versions import version_activated
from . import recompute

HOURLY = "policy: recompute the reports' outcomes (hourly)"
AFTER_MIDNIGHT = "policy: recompute the reports' outcomes (after midnight)"


def ensure_schedules(**kwargs):
    """post_migrate: create the django-q2 schedules once; an administrator's later changes to them stand."""
    tomorrow = datetime.datetime.now(policy_tz()).date() + datetime.timedelta(days=1)
    Schedule.objects.get_or_create(
        name=HOURLY, defaults={"func": recompute.TASK, "schedule_type": Schedule.HOURLY, "repeats": -1}
    )
    Schedule.objects.get_or_create(
        name=AFTER_MIDNIGHT,
        defaults={
            "func": recompute.TASK,
            "schedule_type": Schedule.DAILY,
            "next_run": datetime.datetime.combine(tomorrow, datetime.time(0, 5), tzinfo=policy_tz()),
            "repeats": -1,
        },
    )


def version_was_activated(sender, version, **kwargs):
    """Another version is active (or rolled back to): every period counts under it now."""
    recompute.request_recomputation(scope=version.scope)


def register_signal_handlers():
    version_activated.connect(version_was_activated, dispatch_uid="policy_rules_recompute_outcomes")
