"""The engine wrapper: every verdict at its boundaries, typed inputs, names, isolation, threads."""

import threading

import pytest
from pydantic import ValidationError

from policy_rules import engine
from policy_rules.compiler import compile_document
from policy_rules.document import PolicyDocument, default_document
from policy_rules.facts import fact_from
from policy_rules.models import PolicyVersion, document_hash

from . import oracle

DEFAULT = default_document()


def tuned(**sections):
    """The default document with some sections replaced (as data, validated)."""
    return PolicyDocument.model_validate({**DEFAULT.as_data(), **sections})


TUNED = tuned(
    schedule={
        "windows": {
            "working": [{"start": "07:30", "end": "08:30"}, {"start": "16:00", "end": "18:00"}],
            "rest": [],  # no window at all
            "holiday": None,  # no fixed window
            "vacation": [{"start": "10:00", "end": "11:00"}],
        },
        "breaking_exempt": False,
        "lead_hours": 6,
        "min_pushes_per_working_day": 2,
        "weekend_day_types": ["rest", "holiday"],
        "weekend_categories": ["news"],
    },
    discipline={"warning_at": 3, "escalation_at": 4},
    quotas={"min_per_week": 3, "min_per_semester": 30},
    rewards={"points_per_accepted": 2, "points_cap": 15},
)


def verdicts(doc, kind, **data):
    fact = fact_from(kind, data)
    answer = engine.classify(doc, fact)
    assert answer == oracle.classify(doc, fact), "the engine and the plain reading disagree"
    return answer


def slot(doc, day_type="working", minute=720, **extra):
    return verdicts(doc, "slot", day_type=day_type, weekday=3, minute_of_day=minute, **extra)


IN, SHORT, EXEMPT, WEEKEND = "slot:in_window", "slot:lead_short", "slot:breaking_exempt", "slot:weekend_category"


@pytest.mark.parametrize(
    ("errors", "expected"),
    [
        (0, set()),
        (4, set()),
        (5, {"discipline:warning"}),
        (7, {"discipline:warning"}),
        (8, {"discipline:escalation"}),
        (500, {"discipline:escalation"}),
    ],
)
def test_discipline_boundaries_of_the_regulation(errors, expected):
    assert verdicts(DEFAULT, "department_errors", errors=errors) == expected


@pytest.mark.parametrize(
    ("errors", "expected"),
    [(2, set()), (3, {"discipline:warning"}), (4, {"discipline:escalation"}), (5, {"discipline:escalation"})],
)
def test_discipline_boundaries_when_tuned_to_three_and_four(errors, expected):
    assert verdicts(TUNED, "department_errors", errors=errors) == expected


@pytest.mark.parametrize(
    ("doc", "kind", "count", "expected"),
    [
        (DEFAULT, "department_week", 0, set()),
        (DEFAULT, "department_week", 1, {"quota:week_met"}),
        (DEFAULT, "department_semester", 19, set()),
        (DEFAULT, "department_semester", 20, {"quota:semester_met"}),
        (TUNED, "department_week", 2, set()),
        (TUNED, "department_week", 3, {"quota:week_met"}),
        (TUNED, "department_semester", 29, set()),
        (TUNED, "department_semester", 30, {"quota:semester_met"}),
    ],
)
def test_quota_boundaries(doc, kind, count, expected):
    assert verdicts(doc, kind, count=count) == expected


@pytest.mark.parametrize(
    ("doc", "accepted", "capped"),
    [
        (DEFAULT, 19, False),
        (DEFAULT, 20, True),
        (DEFAULT, 21, True),
        (TUNED, 7, False),
        (TUNED, 8, True),
        (TUNED, 9, True),
    ],  # tuned: 2 points each, cap 15
)
def test_points_cap(doc, accepted, capped):
    assert verdicts(doc, "student_points", accepted=accepted) == ({"points:capped"} if capped else set())


@pytest.mark.parametrize(
    ("doc", "day_type", "pushes", "expected"),
    [
        (DEFAULT, "working", 0, {"coverage:required"}),
        (DEFAULT, "working", 1, {"coverage:required", "coverage:met"}),
        (DEFAULT, "rest", 0, set()),
        (TUNED, "working", 1, {"coverage:required"}),
        (TUNED, "working", 2, {"coverage:required", "coverage:met"}),
        (tuned(schedule={**DEFAULT.as_data()["schedule"], "min_pushes_per_working_day": 0}), "working", 0, set()),
    ],
)
def test_day_coverage(doc, day_type, pushes, expected):
    assert verdicts(doc, "day_coverage", day_type=day_type, pushes=pushes) == expected


@pytest.mark.parametrize(
    ("minute", "inside"),
    [(959, False), (960, True), (1079, True), (1080, False), (1199, False), (1200, True), (1259, True), (1260, False)],
)
def test_regulation_push_windows_are_half_open(minute, inside):
    assert slot(DEFAULT, minute=minute) == ({IN} if inside else set())


@pytest.mark.parametrize(
    ("day_type", "minute", "inside"),
    [
        ("working", 449, False),
        ("working", 450, True),
        ("working", 509, True),
        ("working", 510, False),
        ("working", 960, True),
        ("working", 1079, True),
        ("working", 1080, False),
        ("rest", 0, False),
        ("rest", 720, False),  # an empty list: never in a window
        ("holiday", 0, True),
        ("holiday", 1439, True),  # None: no fixed window
        ("vacation", 599, False),
        ("vacation", 600, True),
        ("vacation", 660, False),
    ],
)
def test_tuned_windows_unrestricted_and_empty_days(day_type, minute, inside):
    assert (IN in slot(TUNED, day_type, minute)) is inside


def test_lead_time_just_below_and_at_the_limit():
    assert slot(DEFAULT, minute=960, lead_hours=11.99) == {IN, SHORT}
    assert slot(DEFAULT, minute=960, lead_hours=12) == {IN}
    assert slot(DEFAULT, minute=960, lead_hours=0) == {IN, SHORT}
    assert slot(DEFAULT, minute=960, lead_hours=-1) == {IN}  # not known yet: not judged


def test_lead_time_of_a_fraction_of_a_second_reaches_the_engine():
    # 0.2 s in hours is 5.6e-05, which Python writes with an exponent the engine's parser rejects.
    assert slot(DEFAULT, minute=960, lead_hours=0.2 / 3600) == {IN, SHORT}
    assert slot(DEFAULT, minute=960, lead_hours=float("inf")) == {IN}


def test_breaking_news_at_three_in_the_morning():
    assert slot(DEFAULT, minute=180, breaking=True, lead_hours=1) == {EXEMPT}
    assert slot(TUNED, minute=180, breaking=True, lead_hours=1) == {SHORT}  # not exempt when tuned so


def test_weekend_categories_are_a_warning_on_weekend_day_types_only():
    assert slot(DEFAULT, "rest", category="light") == {IN}
    assert slot(DEFAULT, "rest", category="news") == {IN, WEEKEND}
    assert slot(DEFAULT, "rest") == {IN}  # no category: nothing to say
    assert slot(DEFAULT, "holiday", category="news") == {IN}
    assert slot(TUNED, "holiday", category="light") == {IN, WEEKEND}
    assert slot(TUNED, "holiday", category="news") == {IN}


CONDITIONS = tuned(
    conditions=[
        {
            "id": "late_breaking",
            "then": "block",
            "message": "m",
            "when": [
                {"field": "breaking", "op": "eq", "value": True},
                {"field": "minute_of_day", "op": "ge", "value": 1320},
            ],
        },
        {
            "id": "not_sunday_night",
            "then": "warn",
            "message": "m",
            "when": [{"field": "weekday", "op": "ne", "value": 7}, {"field": "minute_of_day", "op": "lt", "value": 60}],
        },
        {"id": "lead_le", "then": "warn", "message": "m", "when": [{"field": "lead_hours", "op": "le", "value": 2.5}]},
        {"id": "lead_gt", "then": "warn", "message": "m", "when": [{"field": "lead_hours", "op": "gt", "value": 100}]},
        {"id": "news", "then": "block", "message": "m", "when": [{"field": "category", "op": "eq", "value": "news"}]},
        {
            "id": "not_news",
            "then": "warn",
            "message": "m",
            "when": [{"field": "category", "op": "ne", "value": "news"}],
        },
        {
            "id": "holiday",
            "then": "block",
            "message": "m",
            "when": [{"field": "day_type", "op": "eq", "value": "holiday"}],
        },
        {
            "id": "sensitive",
            "then": "warn",
            "message": "m",
            "when": [
                {"field": "time_sensitive", "op": "eq", "value": False},
                {"field": "weekday", "op": "le", "value": 2},
            ],
        },
    ]
)


def rules_of(answer):
    return {verdict for verdict in answer if verdict.startswith("rule:")}


def test_condition_rules_with_each_operator():
    answer = verdicts(CONDITIONS, "slot", day_type="working", weekday=3, minute_of_day=1330, breaking=True)
    assert rules_of(answer) == {"rule:late_breaking:block", "rule:lead_le:warn"}  # lead -1 ≤ 2.5
    answer = verdicts(CONDITIONS, "slot", day_type="working", weekday=3, minute_of_day=1319, breaking=True)
    assert rules_of(answer) == {"rule:lead_le:warn"}
    answer = verdicts(CONDITIONS, "slot", day_type="holiday", weekday=7, minute_of_day=30, lead_hours=2.5)
    assert rules_of(answer) == {"rule:holiday:block", "rule:lead_le:warn"}
    answer = verdicts(CONDITIONS, "slot", day_type="working", weekday=6, minute_of_day=30, lead_hours=2.51)
    assert rules_of(answer) == {"rule:not_sunday_night:warn"}
    answer = verdicts(CONDITIONS, "slot", day_type="working", weekday=2, minute_of_day=600, lead_hours=100.5)
    assert rules_of(answer) == {"rule:lead_gt:warn", "rule:sensitive:warn"}
    answer = verdicts(
        CONDITIONS,
        "slot",
        day_type="working",
        weekday=3,
        minute_of_day=600,
        lead_hours=50,
        time_sensitive=True,
        category="news",
    )
    assert rules_of(answer) == {"rule:news:block"}
    answer = verdicts(
        CONDITIONS, "slot", day_type="working", weekday=3, minute_of_day=600, lead_hours=50, category="study"
    )
    assert rules_of(answer) == {"rule:not_news:warn"}


def test_a_string_count_is_validated_before_it_reaches_the_engine():
    with pytest.raises(ValidationError):
        fact_from("department_errors", {"errors": "abc"})
    # The engine alone compares "10" with 8 as text; the typed fact makes it the number 10.
    assert verdicts(DEFAULT, "department_errors", errors="10") == {"discipline:escalation"}


def test_ruleset_named_by_the_document_hash():
    equal = PolicyDocument.model_validate(DEFAULT.as_data())
    name = engine.ruleset_name(DEFAULT)
    assert name == f"policy_{document_hash(DEFAULT.as_data())[:16]}"
    assert engine.ruleset_name(equal) == name
    assert engine.ruleset_name(TUNED) != name
    edited = tuned(discipline={"warning_at": 5, "escalation_at": 9})
    assert engine.ruleset_name(edited) not in (name, engine.ruleset_name(TUNED))


def test_load_registers_once():
    doc = tuned(discipline={"warning_at": 2, "escalation_at": 11})
    name = engine.load(doc)
    assert engine.load(PolicyDocument.model_validate(doc.as_data())) == name
    assert engine.classify(doc, fact_from("department_errors", {"errors": 2})) == {"discipline:warning"}


@pytest.mark.django_db
def test_a_saved_version_classifies_under_its_own_ruleset_name():
    data = tuned(discipline={"warning_at": 6, "escalation_at": 7}).as_data()
    version = PolicyVersion.objects.create(scope="engine-test", number=1, document=data)
    assert engine.load(version) == version.ruleset_name == engine.ruleset_name(PolicyDocument.model_validate(data))
    assert engine.classify(version, fact_from("department_errors", {"errors": 6})) == {"discipline:warning"}
    assert engine.classify(version, fact_from("department_errors", {"errors": 7})) == {"discipline:escalation"}


def test_two_documents_classify_independently_in_one_process():
    fact = fact_from("department_errors", {"errors": 4})
    for _ in range(3):
        assert engine.classify(DEFAULT, fact) == set()
        assert engine.classify(TUNED, fact) == {"discipline:escalation"}


def test_a_document_the_engine_cannot_read_exactly_is_an_engine_error():
    doc = tuned(schedule={**DEFAULT.as_data()["schedule"], "lead_hours": 0.00001})
    for _ in range(2):  # and it is not half-registered by the first attempt
        with pytest.raises(engine.EngineError, match="cannot be compared exactly"):
            engine.classify(doc, fact_from("department_errors", {"errors": 1}))


def test_an_unknown_verdict_name_is_refused_when_the_ruleset_loads():
    host = engine.PolicyHost()
    ruleset = {"r": {"all": [{"m": {"$and": [{"t": "slot"}]}}], "run": "publish_anyway"}}
    with pytest.raises(engine.EngineError, match="unknown verdict 'publish_anyway'"):
        host.register("policy_unknown_verdict", ruleset)


def test_unhandled_facts_leave_no_state_behind():
    # Without the per-kind "seen" rule nothing handles these facts; their states must still be
    # deleted (safely: deleting an unhandled state directly segfaults), past the 1,024-sid limit.
    host = engine.PolicyHost()
    ruleset = {name: rule for name, rule in compile_document(DEFAULT).items() if name != "seen_department_errors"}
    host.register("policy_without_seen", ruleset)
    for errors in range(1500):
        expected = {"discipline:escalation"} if errors >= 8 else {"discipline:warning"} if errors >= 5 else set()
        assert host.evaluate("policy_without_seen", {"t": "department_errors", "errors": errors}) == expected


def test_threads_get_the_same_answers_as_one_thread():
    facts = [fact_from("department_errors", {"errors": n}) for n in range(10)] + [
        fact_from("slot", {"day_type": day_type, "weekday": 3, "minute_of_day": minute, "lead_hours": lead})
        for day_type in ("working", "rest")
        for minute in (959, 960, 1259, 1260)
        for lead in (-1, 3, 12)
    ]
    docs = [DEFAULT, TUNED]
    expected = [[engine.classify(doc, fact) for fact in facts] for doc in docs]
    mismatches, errors = [], []

    def work(offset):
        try:
            for i in range(2000):
                d, f = (i + offset) % len(docs), (i * 7 + offset) % len(facts)
                if engine.classify(docs[d], facts[f]) != expected[d][f]:
                    mismatches.append((d, f))
        except Exception as error:  # noqa: BLE001 - a failure in a thread must fail the test, not vanish
            errors.append(error)

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert mismatches == []
