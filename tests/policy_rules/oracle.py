"""A plain-Python reading of a PolicyDocument: the verdicts of one fact, independent of the compiler.

The engine's tests compare `policy_rules.engine.classify` with this, fact by fact.
"""

import operator

from policy_rules.document import DayType, PolicyDocument
from policy_rules.facts import Fact

_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def classify(doc: PolicyDocument, fact: Fact) -> frozenset[str]:
    return frozenset(_READERS[fact.kind](doc, fact))


def _minutes(moment):
    return moment.hour * 60 + moment.minute


def _slot(doc, fact):
    schedule = doc.schedule
    windows = schedule.windows[fact.day_type]
    if windows is None or any(_minutes(w.start) <= fact.minute_of_day < _minutes(w.end) for w in windows):
        yield "slot:in_window"
    exempt = fact.breaking and schedule.breaking_exempt
    if exempt:
        yield "slot:breaking_exempt"
    if 0 <= fact.lead_hours < schedule.lead_hours and not exempt:
        yield "slot:lead_short"
    if (
        fact.day_type in schedule.weekend_day_types
        and fact.category is not None
        and fact.category not in schedule.weekend_categories
    ):
        yield "slot:weekend_category"
    for rule in doc.conditions:
        if all(_holds(fact, condition) for condition in rule.when):
            yield f"rule:{rule.id}:{rule.then}"


def _holds(fact, condition):
    value = getattr(fact, condition.field)
    if value is None:  # a slot without a category meets no condition on it
        return False
    if hasattr(value, "value"):  # an enum member against the condition's string
        value = value.value
    return _COMPARE[condition.op](value, condition.value)


def _department_errors(doc, fact):
    if fact.errors >= doc.discipline.escalation_at:
        yield "discipline:escalation"
    elif fact.errors >= doc.discipline.warning_at:
        yield "discipline:warning"


def _department_week(doc, fact):
    if fact.count >= doc.quotas.min_per_week:
        yield "quota:week_met"


def _department_semester(doc, fact):
    if fact.count >= doc.quotas.min_per_semester:
        yield "quota:semester_met"


def _student_points(doc, fact):
    if fact.accepted * doc.rewards.points_per_accepted >= doc.rewards.points_cap:
        yield "points:capped"


def _day_coverage(doc, fact):
    minimum = doc.schedule.min_pushes_per_working_day
    if fact.day_type == DayType.WORKING and minimum > 0:
        yield "coverage:required"
        if fact.pushes >= minimum:
            yield "coverage:met"


_READERS = {
    "slot": _slot,
    "department_errors": _department_errors,
    "department_week": _department_week,
    "department_semester": _department_semester,
    "student_points": _student_points,
    "day_coverage": _day_coverage,
}
