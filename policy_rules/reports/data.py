"""The periods the reports offer and one cached evaluation of a period under the active policy.

The site supplies its periods (semesters) through POLICY_RULES["PERIODS"], its facts
through POLICY_RULES["FACTS_PROVIDER"] and people's names through
POLICY_RULES["DISPLAY_NAMES"]; the plugin never asks the site's models directly.
"""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..conf import get_conf
from ..evaluation import evaluate
from ..facts_document import FactsDocumentError, key, parse_facts, policy_tz
from ..models import PolicyVersion

VIEW_PERMISSION = "policy_rules.view_policyversion"
# Reports and the dashboard evaluate at most once a minute per period; fresher data is not worth the engine time.
CACHE_SECONDS = 60


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
    """`{id: name}` from POLICY_RULES["DISPLAY_NAMES"]; empty when the site gives none."""
    path = get_conf("DISPLAY_NAMES")
    if not path or not ids:
        return {}
    return {key(i): str(name) for i, name in import_string(path)(kind, sorted(ids)).items()}


def _evaluate(version, period, through, provider):
    try:
        facts = parse_facts(import_string(provider)(period.start, through))
        outcomes = evaluate(version, facts)
    except FactsDocumentError as error:
        raise ReportUnavailable(_("The facts of this period are not valid: %(error)s") % {"error": error}) from None
    document = version.parsed()
    unnamed = {d for d, outcome in outcomes["departments"].items() if not outcome["name"]}
    return {
        "policy_version": outcomes["policy_version"],
        "outcomes": outcomes,
        "min_per_week": document.quotas.min_per_week,
        "min_per_semester": document.quotas.min_per_semester,
        "min_pushes_per_working_day": document.schedule.min_pushes_per_working_day,
        "warning_at": document.discipline.warning_at,
        "escalation_at": document.discipline.escalation_at,
        "assessment_rule": document.quotas.assessment.model_dump(),
        "contributor_departments": {key(c.id): key(c.department) for c in facts.contributors},
        "names": {
            "contributor": display_names("contributor", set(outcomes["contributors"])),
            "department": display_names("department", unnamed),
        },
    }


def outcomes_for(period, scope=None):
    """The period's `PeriodReport` under the scope's active version, evaluated at most once a minute.

    A running period is evaluated up to today. Raises `ReportUnavailable` when
    there is no active version, no facts provider, or the period has not begun.
    """
    scope = scope or get_conf("DEFAULT_SCOPE")
    version = PolicyVersion.active_for(scope)
    if version is None:
        raise ReportUnavailable(_("The scope “%(scope)s” has no active policy version.") % {"scope": scope})
    provider = get_conf("FACTS_PROVIDER")
    if not provider:
        raise ReportUnavailable(_('The site provides no facts (POLICY_RULES["FACTS_PROVIDER"] is not set).'))
    through = min(period.end, today())
    if through < period.start:
        raise ReportUnavailable(_("This period has not begun yet."))
    cache_key = (
        "policy_rules:report:"
        + hashlib.sha256(
            f"{scope}|{version.pk}|{version.document_sha256}|{provider}|{period.start}|{through}".encode()
        ).hexdigest()
    )
    data = cache.get(cache_key)
    if data is None:
        data = _evaluate(version, period, through, provider)
        cache.set(cache_key, data, CACHE_SECONDS)
    return PeriodReport(period=period, through=through, **data)
