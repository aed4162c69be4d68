"""Compile a PolicyDocument into a durable-rules ruleset, and facts into engine messages.

Pure functions, no engine import: the ruleset is data that `policy_rules.engine`
registers. The engine has no time operators and compares mixed types
surprisingly, so everything is pre-computed and typed here: the fact kind is the
`t` field tested by every rule, enums travel as their string values, booleans as
0/1, a missing category as "" (and rules on category also test `category != ""`).
Every rule is a plain `$and` (never `$or`, whose overlapping branches fire twice),
and facts are asserted, so all matching rules fire.

The engine's number parser accepts an exponent only after a decimal point
(`1e-05` is "error code: 204", `1.5e-05` is fine), so every number that reaches
it is in a range Python prints without an exponent; see `engine_float`.
"""

import math

from .document import DayType, PolicyDocument
from .facts import FACT_TYPES, Fact

SEEN = "engine:seen"  # a no-op action: every fact is handled, so its state can be deleted safely
CLEANUP_KIND = "engine_cleanup"  # asserted to make an unhandled evaluation's state deletable

# Numbers the compiler emits stay inside these bounds (or are exactly zero), so the
# engine reads them exactly; facts outside are moved to a stand-in on the same side.
_TINY, _HUGE = 1e-4, 1e15
_TINY_STAND_IN, _HUGE_STAND_IN = 5.5e-05, 1.5e15
_INT_BOUND = 2**31  # thresholds are far below; facts above are clamped without changing any comparison
_OPS = {"eq": None, "ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


class CompileError(ValueError):
    """The document cannot be expressed as a ruleset the engine reads exactly."""


def compile_document(doc: PolicyDocument) -> dict:
    """The ruleset body for `doc`: {rule name: {"all": [{"m": test}], "run": verdict}}."""
    rules = {}
    for kind in FACT_TYPES:
        rules[f"seen_{kind}"] = _rule(kind, [], SEEN)
    rules[CLEANUP_KIND] = _rule(CLEANUP_KIND, [], SEEN)
    rules.update(_slot_rules(doc))
    rules.update(_count_rules(doc))
    rules.update(_condition_rules(doc))
    return rules


def _rule(kind, tests, verdict):
    return {"all": [{"m": {"$and": [{"t": kind}, *tests]}}], "run": verdict}


def _test(field, op, value):
    return {field: value} if _OPS[op] is None else {_OPS[op]: {field: value}}


def _minutes(moment):
    return moment.hour * 60 + moment.minute


def _slot_rules(doc):
    schedule = doc.schedule
    rules = {}
    for day_type, windows in schedule.windows.items():
        on_day = _test("day_type", "eq", day_type.value)
        if windows is None:  # no fixed window that day (A11.3)
            rules[f"slot_in_window_{day_type.value}_any"] = _rule("slot", [on_day], "slot:in_window")
            continue
        for window in windows:  # an empty list: no window at all that day (A11.2)
            start, end = _minutes(window.start), _minutes(window.end)
            tests = [on_day, _test("minute_of_day", "ge", start), _test("minute_of_day", "lt", end)]
            rules[f"slot_in_window_{day_type.value}_{start:04d}_{end:04d}"] = _rule("slot", tests, "slot:in_window")

    lead_time = _threshold("lead_hours", schedule.lead_hours)
    lead_tests = [_test("lead_hours", "ge", 0.0), _test("lead_hours", "lt", lead_time)]
    if schedule.breaking_exempt:  # A11.1: breaking news is exempt from windows and lead time
        rules["slot_breaking_exempt"] = _rule("slot", [_test("breaking", "eq", 1)], "slot:breaking_exempt")
        lead_tests.append(_test("breaking", "eq", 0))
    rules["slot_lead_short"] = _rule("slot", lead_tests, "slot:lead_short")  # A16

    # A10.3: on weekend day types only the listed categories are expected (a warning).
    allowed = [_test("category", "ne", category.value) for category in dict.fromkeys(schedule.weekend_categories)]
    for day_type in dict.fromkeys(schedule.weekend_day_types):
        tests = [_test("day_type", "eq", day_type.value), _test("category", "ne", ""), *allowed]
        rules[f"slot_weekend_category_{day_type.value}"] = _rule("slot", tests, "slot:weekend_category")
    return rules


def _count_rules(doc):
    discipline, quotas, rewards = doc.discipline, doc.quotas, doc.rewards
    rules = {
        # A20: errors counted per department per semester.
        "discipline_warning": _rule(
            "department_errors",
            [
                _test("errors", "ge", discipline.warning_at),
                _test("errors", "lt", discipline.escalation_at),
            ],
            "discipline:warning",
        ),
        "discipline_escalation": _rule(
            "department_errors", [_test("errors", "ge", discipline.escalation_at)], "discipline:escalation"
        ),
        # A8: the department quotas.
        "quota_week_met": _rule("department_week", [_test("count", "ge", quotas.min_per_week)], "quota:week_met"),
        "quota_semester_met": _rule(
            "department_semester", [_test("count", "ge", quotas.min_per_semester)], "quota:semester_met"
        ),
    }
    # A17.1: accepted × points ≥ cap  ⇔  accepted ≥ ⌈cap / points⌉ (for whole numbers of submissions).
    if rewards.points_per_accepted > 0:
        at_cap = -(-rewards.points_cap // rewards.points_per_accepted)
        rules["points_capped"] = _rule("student_points", [_test("accepted", "ge", at_cap)], "points:capped")
    elif rewards.points_cap == 0:
        rules["points_capped"] = _rule("student_points", [], "points:capped")
    # A11.1: every working day needs its pushes.
    if min_pushes := doc.schedule.min_pushes_per_working_day:
        working = _test("day_type", "eq", DayType.WORKING.value)
        rules["coverage_required"] = _rule("day_coverage", [working], "coverage:required")
        rules["coverage_met"] = _rule("day_coverage", [working, _test("pushes", "ge", min_pushes)], "coverage:met")
    return rules


def _condition_rules(doc):
    rules = {}
    for rule in doc.conditions:
        tests = [_test(c.field, c.op, _condition_value(c.field, c.value)) for c in rule.when]
        if any(c.field == "category" for c in rule.when):  # never holds for a slot without a category
            tests.append(_test("category", "ne", ""))
        rules[f"condition_{rule.id}"] = _rule("slot", tests, f"rule:{rule.id}:{rule.then}")
    return rules


def _condition_value(field, value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        # Integer slot fields are small (weekday, minute of day), so clamping cannot change a comparison.
        return max(-_INT_BOUND, min(_INT_BOUND, value))
    if isinstance(value, float):
        return _threshold(field, value)
    return value


def _threshold(field, value):
    value = float(value)
    if value == 0:
        return 0.0
    if not (_TINY <= abs(value) < _HUGE):
        raise CompileError(
            f"{field} value {value!r} cannot be compared exactly by the rules engine; "
            f"use 0 or a number between {_TINY} and {_HUGE:.0f}"
        )
    return value


def engine_float(value: float) -> float:
    """`value`, or a stand-in on the same side of every threshold the compiler can emit.

    Thresholds are 0 or have a magnitude in [1e-4, 1e15), so any non-zero value below
    1e-4 compares like 5.5e-05 (which the engine parses) and anything from 1e15 up,
    infinity included, compares like 1.5e15.
    """
    if math.isnan(value):
        raise ValueError("a fact value is not a number (NaN)")
    magnitude = abs(value)
    if magnitude == 0 or _TINY <= magnitude < _HUGE:
        return float(value)
    return math.copysign(_TINY_STAND_IN if magnitude < _TINY else _HUGE_STAND_IN, value)


def encode_fact(fact: Fact) -> dict:
    """The engine message for a validated fact: `t` = kind, enums as strings, booleans as 0/1."""
    message = {"t": fact.kind}
    for name in type(fact).model_fields:
        value = getattr(fact, name)
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = int(value)
        elif isinstance(value, int):
            value = min(value, _INT_BOUND) if value >= 0 else max(value, -_INT_BOUND)
        elif isinstance(value, float):
            value = engine_float(value)
        elif hasattr(value, "value"):  # a StrEnum
            value = value.value
        message[name] = value
    return message
