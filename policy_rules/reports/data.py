"""The periods the reports offer and what they read of a period: the outcome the worker stored.

The site supplies its periods (semesters) through POLICY_RULES["PERIODS"], its facts
through POLICY_RULES["FACTS_PROVIDER"] and people's names through
POLICY_RULES["DISPLAY_NAMES"]; the plugin never asks the site's models directly.
Nothing here evaluates: `outcomes.py` computes and stores, in the worker.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..conf import get_conf
from ..facts_document import key, policy_tz
from ..models import PeriodOutcome, PolicyVersion
from . import recompute

VIEW_PERMISSION = "policy_rules.view_policyversion"
# The site's DISPLAY_NAMES is asked for this many ids at a time: one long IN list is slow (19.6k ids: 0.46 s).
NAMES_CHUNK = 1000


def can_view(user):
    """Whether `user` may read the reports (office editors and policy administrators)."""
    return bool(user.is_active and user.has_perm(VIEW_PERMISSION))


def today():
    """Today on the policy's calendar (Asia/Shanghai)."""
    return datetime.datetime.now(policy_tz()).date()


@dataclass(frozen=True)
class Period:
    """A period a report covers, both days included."""

    key: str
    name: str
    start: datetime.date
    end: datetime.date

    def __contains__(self, date):
        return self.start <= date <= self.end


def _month(first):
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return Period(key=f"{first:%Y-%m}", name=f"{first:%Y-%m}", start=first, end=last)


def month_periods(on=None):
    """The current calendar month and the previous one: the periods when the site configures none."""
    first = (on or today()).replace(day=1)
    return [_month(first), _month((first - datetime.timedelta(days=1)).replace(day=1))]


def periods():
    """The periods to choose from, newest first: the site's (POLICY_RULES["PERIODS"]) or the last two months."""
    path = get_conf("PERIODS")
    configured = import_string(path)() if path else []
    return [
        Period(key=str(p["key"]), name=str(p["name"]), start=p["start"], end=p["end"]) for p in configured
    ] or month_periods()


def choose_period(period_key=None, choices=None):
    """The period named `period_key`; otherwise the one containing today, else the newest."""
    choices = choices if choices is not None else periods()
    for period in choices:
        if period.key == period_key:
            return period
    on = today()
    return next((period for period in choices if on in period), choices[0])


class ReportUnavailable(Exception):
    """Nothing can be reported for the period; `message` says why."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class PeriodReport:
    """A period's outcomes (docs/facts-document.md) and what the reports need beside them."""

    period: Period
    through: datetime.date  # the last day evaluated: today while the period runs
    policy_version: str
    outcomes: dict
    min_per_week: int
    min_per_semester: int
    min_pushes_per_working_day: int
    warning_at: int
    escalation_at: int
    contributor_departments: dict = field(default_factory=dict)
    assessment_rule: dict = field(default_factory=dict)  # quotas.assessment (A22): the suggestion's numbers
    names: dict = field(default_factory=dict)  # {"contributor": {id: name}, "department": {id: name}}
    computed_at: datetime.datetime | None = None  # when the worker computed it (None: just now, on demand)
    version_number: int | None = None
    pending: bool = False  # a recomputation is queued or running: newer figures are on their way

    @property
    def running(self):
        """Whether the period has days still to come (its counts are not final)."""
        return self.through < self.period.end

    def department_name(self, department_id):
        if department_id is None:
            return ""
        outcome = self.outcomes["departments"].get(department_id) or {}
        return outcome.get("name") or self.names.get("department", {}).get(department_id) or department_id

    def contributor_name(self, contributor_id):
        return self.names.get("contributor", {}).get(contributor_id, "")


def display_names(kind, ids):
    """`{id: name}` from POLICY_RULES["DISPLAY_NAMES"], asked `NAMES_CHUNK` ids at a time; empty when the site
    gives none."""
    path = get_conf("DISPLAY_NAMES")
    if not path or not ids:
        return {}
    provider, ids, names = import_string(path), sorted(ids), {}
    for first in range(0, len(ids), NAMES_CHUNK):
        names.update({key(i): str(name) for i, name in provider(kind, ids[first : first + NAMES_CHUNK]).items()})
    return names


class NotComputedYet(ReportUnavailable):
    """No outcome is stored for the period yet; its computation has been asked for."""


def unavailable_reason(scope):
    """Why nothing can be computed for `scope` (no active version, no facts provider), or None."""
    if PolicyVersion.active_for(scope) is None:
        return _("The scope “%(scope)s” has no active policy version.") % {"scope": scope}
    if not get_conf("FACTS_PROVIDER"):
        return _('The site provides no facts (POLICY_RULES["FACTS_PROVIDER"] is not set).')
    return None


def not_begun():
    return ReportUnavailable(_("This period has not begun yet."))


def invalid_facts(error):
    return ReportUnavailable(_("The facts of this period are not valid: %(error)s") % {"error": error})


def outcomes_for(period, scope=None):
    """The period's `PeriodReport` as the worker last stored it: one query, nothing evaluated.

    Raises `ReportUnavailable` when the period has not begun or nothing can be counted, and `NotComputedYet`
    (after asking the worker) when no outcome is stored for it yet.
    """
    return _stored(period, scope or get_conf("DEFAULT_SCOPE"), "report")


def glance_for(period, scope=None):
    """The period's `PeriodReport` without the violations and with the contributors cut to the points top ten:
    what the dashboard and every report but the people's lists read (a few kilobytes at any size)."""
    return _stored(period, scope or get_conf("DEFAULT_SCOPE"), "glance")


def _stored(period, scope, column):
    if today() < period.start:
        raise not_begun()
    row = (
        PeriodOutcome.objects.filter(scope=scope, period_key=period.key, start=period.start, end=period.end)
        .annotate(version_number=F("version__number"), pending=Exists(recompute.pending(scope)))
        .values(column, "through", "problem", "computed_at", "version_number", "pending")
        .first()
    )
    if row is None:
        reason = unavailable_reason(scope)
        if reason:
            raise ReportUnavailable(reason)
        recompute.ask(scope=scope)
        raise NotComputedYet(
            _(
                "The figures of %(period)s have not been computed yet: the task queue has been asked to compute "
                "them. Reload this page in a minute."
            )
            % {"period": period.name}
        )
    if row["problem"]:
        raise invalid_facts(row["problem"])
    return PeriodReport(
        period=period,
        through=row["through"],
        computed_at=row["computed_at"],
        version_number=row["version_number"],
        pending=row["pending"],
        **row[column],
    )
