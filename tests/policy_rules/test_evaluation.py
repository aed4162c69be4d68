"""Evaluating a facts document: quotas (A8), coverage (A11.1), windows and lead time (A11.2, A16),
points and prizes (A17), staff certificates (A18), A19, discipline (A20).

The period 2026-09-07 (Mon) – 2026-09-20 (Sun) has two weeks; on the official calendar
its working days are 7–11, 14–18 and Sunday the 20th (worked for National Day).
Every expected number below is counted by hand from `facts()` (tests/policy_rules/period_facts.py).
"""

import json

import pytest

from policy_rules.document import PolicyDocument
from policy_rules.evaluation import evaluate
from policy_rules.facts_document import FactsDocumentError
from policy_rules.models import PolicyVersion
from tests.policy_rules.period_facts import facts

LABEL = "test@dry-run"


@pytest.fixture
def policy():
    """The regulation, with a small period quota and one winner per prize so the numbers stay countable."""
    return PolicyDocument.model_validate(
        {
            "quotas": {"min_per_week": 1, "min_per_semester": 3},
            "rewards": {
                "prizes": [
                    {"name": "first", "points": 60, "winners": 1},
                    {"name": "second", "points": 40, "winners": 1},
                    {"name": "third", "points": 20, "winners": 1},
                ],
                "staff_certificates": 1,
            },
        }
    )


@pytest.fixture
def outcomes(db, policy):
    return evaluate(policy, facts(), label=LABEL)


def weeks(outcome):
    return [(week["week_start"], week["count"], week["met"]) for week in outcome["weeks"]]


def test_records_the_policy_label(outcomes):
    assert outcomes["policy_version"] == LABEL


def test_active_version_is_named_by_its_label(db):
    assert evaluate(PolicyVersion.active_for("default"), facts())["policy_version"] == "default@v1"


def test_weekly_quota_per_department(outcomes):
    departments = outcomes["departments"]

    assert weeks(departments["1"]) == [("2026-09-07", 27, True), ("2026-09-14", 3, True)]
    # Office material is not a department's (A8): week 2 of department 2 is empty.
    assert weeks(departments["2"]) == [("2026-09-07", 13, True), ("2026-09-14", 0, False)]
    assert weeks(departments["3"]) == [("2026-09-07", 0, False), ("2026-09-14", 11, True)]
    # Counted by the Shanghai date: Sunday 16:30 UTC falls on Monday of week 2.
    assert weeks(departments["4"]) == [("2026-09-07", 0, False), ("2026-09-14", 1, True)]


def test_period_quota(outcomes):
    departments = outcomes["departments"]

    assert {key: (d["submissions"], d["semester_met"]) for key, d in departments.items()} == {
        "1": (30, True),
        "2": (13, True),
        "3": (11, True),
        "4": (1, False),
    }


def test_discipline_counts_only_counted_kinds_in_department_material(outcomes):
    departments = outcomes["departments"]

    assert {key: (d["errors"], d["discipline"]) for key, d in departments.items()} == {
        "1": (0, "none"),  # six errors, all in personal material
        "2": (8, "escalation"),  # three layout errors left out
        "3": (5, "warning"),  # the sixth was found after the period
        "4": (4, "none"),
    }


def test_points_are_capped_at_twenty(outcomes):
    student = outcomes["contributors"]["101"]

    assert (student["accepted"], student["published"], student["points"]) == (25, 2, 20)


def test_prizes_rank_published_then_accepted_then_id(outcomes):
    contributors = outcomes["contributors"]
    prizes = {key: (c["prize"], c["points"], c["prize_points"], c["total_points"]) for key, c in contributors.items()}

    # 9 and 10 tie on 3 published, 3 accepted: the lower id (numerically, 9 < 10) comes first.
    assert prizes["9"] == ("first", 3, 60, 63)
    assert prizes["10"] == ("second", 3, 40, 43)
    # 101 and 104 tie on 2 published; 101 accepted 25 to 104's 5. Prize points on top of the cap.
    assert prizes["101"] == ("third", 20, 20, 40)
    assert prizes["104"] == (None, 5, 0, 5)
    assert contributors["9"]["certificate"] and not contributors["104"]["certificate"]


def test_students_with_nothing_accepted_get_no_points_or_prize(outcomes):
    student = outcomes["contributors"]["105"]

    assert (student["accepted"], student["points"], student["prize"], student["total_points"]) == (0, 0, None, 0)


def test_department_submissions_earn_nothing(outcomes):
    # 106 is named on ten accepted, published department submissions (A19).
    assert outcomes["contributors"]["106"] == {
        "kind": "student",
        "accepted": 0,
        "published": 0,
        "points": 0,
        "prize": None,
        "prize_points": 0,
        "total_points": 0,
        "certificate": False,
    }


def test_staff_certificates_go_to_the_most_published(outcomes):
    contributors = outcomes["contributors"]
    staff = {
        key: (c["published"], c["accepted"], c["points"], c["certificate"])
        for key, c in contributors.items()
        if c["kind"] == "staff"
    }

    # 201 and 202 tie on 2 published; 202 accepted 3 to 201's 2; one certificate. Staff earn no points.
    assert staff == {"201": (2, 2, 0, False), "202": (2, 3, 0, True), "203": (0, 1, 0, False)}


def test_working_days_follow_the_site_calendar(outcomes):
    days = {date: (day["pushes"], day["met"]) for date, day in outcomes["working_days"].items()}

    assert days == {
        "2026-09-07": (1, True),
        "2026-09-08": (1, True),  # outside the windows, but a push all the same
        "2026-09-09": (1, True),
        "2026-09-10": (1, True),  # breaking news at 03:00
        "2026-09-11": (0, False),
        "2026-09-14": (1, True),
        "2026-09-15": (1, True),
        "2026-09-16": (0, False),
        "2026-09-17": (0, False),
        "2026-09-18": (0, False),
        "2026-09-20": (0, False),  # a Sunday worked for National Day; Saturday the 12th is not listed
    }


def test_violations(outcomes):
    found = sorted((v["rule"], v["subject"]) for v in outcomes["violations"])

    assert found == sorted(
        [
            ("A8", "2"),
            ("A8", "3"),
            ("A8", "4"),
            ("A8", "4"),  # week 1 and the period
            ("A11.1", "2026-09-11"),
            ("A11.1", "2026-09-16"),
            ("A11.1", "2026-09-17"),
            ("A11.1", "2026-09-18"),
            ("A11.1", "2026-09-20"),
            ("A11.2", "p2"),
            ("A16", "p3"),
            ("A16", "p7"),
            ("A20", "2"),
            ("A20", "3"),
        ]
    )
    assert all(v["message"] for v in outcomes["violations"])


def test_a16_names_the_article_that_came_last(outcomes):
    (p7,) = [v for v in outcomes["violations"] if v["subject"] == "p7"]

    assert "10.0 h" in p7["message"]
    assert str(facts()["submissions"][-1]["id"]) in p7["message"]


def test_outcomes_are_json_ready(outcomes):
    assert json.loads(json.dumps(outcomes)) == outcomes


def test_string_ids_are_kept_as_given(db, policy):
    data = {
        "period": {"start": "2026-09-07", "end": "2026-09-13"},
        "departments": [{"id": "xsc", "name": "学生处"}],
        "contributors": [{"id": "s-1", "kind": "student", "department": "xsc"}],
        "submissions": [
            {
                "id": "a",
                "provider": "personal",
                "contributor": "s-1",
                "department": "xsc",
                "submitted_at": "2026-09-08T10:00:00",
                "accepted": True,
                "published_at": None,
            }
        ],
    }

    result = evaluate(policy, data, label=LABEL)

    assert result["departments"]["xsc"]["submissions"] == 1
    assert result["contributors"]["s-1"]["points"] == 1


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["submissions"][0].update(accepted="maybe"), "submissions.0.accepted"),
        (lambda d: d["submissions"][0].update(submitted_at="yesterday"), "submissions.0.submitted_at"),
        (lambda d: d["submissions"][0].update(department=99), "submissions.0.department"),
        (lambda d: d["submissions"][0].update(contributor=99), "submissions.0.contributor"),
        (lambda d: d["submissions"][0].update(colour="red"), "submissions.0.colour"),
        (lambda d: d["errors"][0].update(submission=99), "errors.0.submission"),
        (lambda d: d["pushes"][0].update(articles=[1000, 99]), "pushes.0.articles.1"),
        (lambda d: d["contributors"][0].update(kind="alumnus"), "contributors.0.kind"),
        (lambda d: d["departments"].append({"id": 1, "name": "again"}), "departments.4.id"),
        (lambda d: d["period"].update(end="2026-09-01"), "period"),
    ],
)
def test_invalid_facts_name_the_offending_path(db, policy, change, path):
    data = facts()
    change(data)

    with pytest.raises(FactsDocumentError) as raised:
        evaluate(policy, data, label=LABEL)

    assert path in [error["path"] for error in raised.value.errors]
    assert all(error["message"] for error in raised.value.errors)


def test_unknown_top_level_key_is_refused(db, policy):
    data = {**facts(), "colour": "red"}

    with pytest.raises(FactsDocumentError) as raised:
        evaluate(policy, data, label=LABEL)

    assert [error["path"] for error in raised.value.errors] == ["colour"]


def test_a_policy_requiring_no_daily_push_leaves_every_working_day_covered(db, policy):
    relaxed = policy.model_copy(
        update={"schedule": policy.schedule.model_copy(update={"min_pushes_per_working_day": 0})}
    )
    result = evaluate(relaxed, facts(), label=LABEL)
    assert result["working_days"] and all(day["met"] for day in result["working_days"].values())
    assert not [v for v in result["violations"] if v["rule"] == "A11.1"]


def test_assessment_suggestion_follows_a22(db, policy):
    # min_per_semester is 3 in this policy; the regulation's surplus ratio is 1.5 (so ≥ 4.5 counts as "more").
    rows = evaluate(policy, facts(), label=LABEL)["departments"]
    for row in rows.values():
        expected = (
            ("short", -10) if not row["semester_met"] else ("more", 10) if row["submissions"] >= 4.5 else ("met", 0)
        )
        assert (row["assessment"]["standing"], row["assessment"]["share_change"]) == expected
    assert {row["assessment"]["standing"] for row in rows.values()} >= {"short"}
