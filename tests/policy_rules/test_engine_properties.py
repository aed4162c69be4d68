"""The engine and the plain-Python reading agree on generated documents and facts of every kind."""

import math

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from policy_rules import engine
from policy_rules.document import OPERATORS, SLOT_FIELDS, Category, DayType, PolicyDocument
from policy_rules.facts import FACT_TYPES, fact_from
from policy_rules.trial_load import builtin_cases

from . import oracle

DOCUMENTS = 150  # × FACTS_PER_DOCUMENT facts, thousands in all
FACTS_PER_DOCUMENT = 50
DAY_TYPES = [day_type.value for day_type in DayType]
CATEGORIES = [category.value for category in Category]


def hh_mm(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def day_windows(draw):
    shape = draw(st.sampled_from(["unrestricted", "none", "windows", "windows"]))
    if shape == "unrestricted":
        return None
    if shape == "none":
        return []
    count = draw(st.integers(1, 4))
    points = sorted(draw(st.lists(st.integers(0, 1439), min_size=2 * count, max_size=2 * count, unique=True)))
    windows, previous_end = [], None
    for i in range(count):
        start, end = points[2 * i], points[2 * i + 1]
        if previous_end is not None and draw(st.booleans()):
            start = previous_end  # touching windows: 16:00–18:00 then 18:00–20:00
        windows.append({"start": hh_mm(start), "end": hh_mm(end)})
        previous_end = end
    return windows


# Numbers a document may hold and the engine reads exactly (the compiler refuses 0 < |x| < 1e-4).
hours = st.one_of(
    st.sampled_from([0, 0.0001, 0.1, 0.5, 1, 2.5, 6, 11.9, 12, 24, 167.99, 168]),
    st.floats(min_value=0.0001, max_value=168),
)
condition_hours = st.one_of(hours, st.floats(min_value=-5, max_value=-0.0001), st.floats(min_value=168, max_value=1e9))


def condition_value(field):
    kind = SLOT_FIELDS[field]
    if kind is DayType:
        return st.sampled_from(DAY_TYPES)
    if kind is Category:
        return st.sampled_from(CATEGORIES)
    if kind is bool:
        return st.booleans()
    # The document refuses a weekday outside 1–7 and a minute outside the day (issue 14): draw the edges inside.
    if field == "weekday":
        return st.integers(1, 7)
    if field == "minute_of_day":
        return st.one_of(st.integers(0, 1439), st.sampled_from([0, 960, 1080, 1439]))
    return condition_hours


@st.composite
def conditions(draw):
    rules = []
    for number in range(draw(st.integers(0, 4))):
        when = []
        for _ in range(draw(st.integers(1, 3))):
            field = draw(st.sampled_from(sorted(SLOT_FIELDS)))
            op = draw(st.sampled_from(OPERATORS[SLOT_FIELDS[field]]))
            when.append({"field": field, "op": op, "value": draw(condition_value(field))})
        then = draw(st.sampled_from(["block", "warn"]))
        rules.append({"id": f"r{number}", "when": when, "then": then, "message": "m"})
    return rules


@st.composite
def documents(draw):
    warning_at = draw(st.integers(1, 40))
    return PolicyDocument.model_validate(
        {
            "schedule": {
                "windows": {day_type: draw(day_windows()) for day_type in DAY_TYPES},
                "breaking_exempt": draw(st.booleans()),
                "lead_hours": draw(hours),
                "min_pushes_per_working_day": draw(st.integers(0, 8)),
                "weekend_day_types": draw(st.lists(st.sampled_from(DAY_TYPES), max_size=3)),
                "weekend_categories": draw(st.lists(st.sampled_from(CATEGORIES), max_size=4, unique=True)),
            },
            "quotas": {"min_per_week": draw(st.integers(0, 12)), "min_per_semester": draw(st.integers(0, 60))},
            "rewards": {"points_per_accepted": draw(st.integers(0, 6)), "points_cap": draw(st.integers(0, 60))},
            "discipline": {"warning_at": warning_at, "escalation_at": warning_at + draw(st.integers(1, 20))},
            "conditions": draw(conditions()),
        }
    )


def near(*values, low=0, high=None):
    """Integers at and next to each of `values`, within [low, high]."""
    return st.sampled_from(sorted({min(max(low, v + step), high or math.inf) for v in values for step in (-1, 0, 1)}))


def counts(*thresholds):
    return st.one_of(near(*thresholds), st.integers(0, 100), st.just(10**12))


def lead_hours(doc):
    interesting = [-1.0, 0.0, 0.2 / 3600, math.inf, 1e16]
    for value in [doc.schedule.lead_hours] + [
        c.value for rule in doc.conditions for c in rule.when if c.field == "lead_hours"
    ]:
        interesting += [value, math.nextafter(value, -math.inf), math.nextafter(value, math.inf), value - 0.1]
    return st.one_of(
        st.sampled_from([v for v in interesting if v >= -1]),
        st.floats(min_value=-1, max_value=500),
        st.floats(min_value=-1, max_value=1e-3),
    )


def minutes(doc):
    edges = [0, 1439]
    for windows in doc.schedule.windows.values():
        for window in windows or []:
            edges += [window.start.hour * 60 + window.start.minute, window.end.hour * 60 + window.end.minute]
    edges += [c.value for rule in doc.conditions for c in rule.when if c.field == "minute_of_day"]
    return st.one_of(st.integers(0, 1439), near(*edges, high=1439))


def facts(doc):
    slot = st.fixed_dictionaries(
        {
            "day_type": st.sampled_from(DAY_TYPES),
            "weekday": st.integers(1, 7),
            "minute_of_day": minutes(doc),
            "breaking": st.booleans(),
            "time_sensitive": st.booleans(),
            "category": st.one_of(st.none(), st.sampled_from(CATEGORIES)),
            "lead_hours": lead_hours(doc),
        }
    )
    rewards = doc.rewards
    at_cap = math.ceil(rewards.points_cap / rewards.points_per_accepted) if rewards.points_per_accepted else 0
    by_kind = {
        "slot": slot,
        "department_errors": st.fixed_dictionaries(
            {"errors": counts(doc.discipline.warning_at, doc.discipline.escalation_at)}
        ),
        "department_week": st.fixed_dictionaries({"count": counts(doc.quotas.min_per_week)}),
        "department_semester": st.fixed_dictionaries({"count": counts(doc.quotas.min_per_semester)}),
        "student_points": st.fixed_dictionaries({"accepted": counts(at_cap)}),
        "day_coverage": st.fixed_dictionaries(
            {
                "day_type": st.sampled_from(DAY_TYPES),
                "pushes": counts(doc.schedule.min_pushes_per_working_day),
            }
        ),
    }
    assert set(by_kind) == set(FACT_TYPES), "every fact kind is generated"
    weighted = ["slot"] * 5 + sorted(set(by_kind) - {"slot"})
    return st.sampled_from(weighted).flatmap(lambda kind: by_kind[kind].map(lambda data: fact_from(kind, data)))


# No shrinking: every shrunk document registers one more ruleset, and shrinking a batch takes
# minutes; the failure message names the fact, both answers and the document instead.
@settings(
    max_examples=DOCUMENTS,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), doc=documents())
def test_engine_and_plain_reading_agree(data, doc):
    batch = data.draw(st.lists(facts(doc), min_size=FACTS_PER_DOCUMENT, max_size=FACTS_PER_DOCUMENT))
    for fact in batch:
        got, expected = engine.classify(doc, fact), oracle.classify(doc, fact)
        assert got == expected, (
            f"{fact!r}: engine {sorted(got)}, plain reading {sorted(expected)}\nunder {doc.as_data()}"
        )


@settings(max_examples=60, deadline=None)
@given(doc=documents())
def test_builtin_cases_state_what_the_plain_reading_says(doc):
    for case in builtin_cases(doc):
        expected = oracle.classify(doc, fact_from(case.kind, case.data))
        kept = {verdict for verdict in expected if not any(verdict.startswith(p) for p in case.ignore)}
        assert set(case.expected) == kept, case
