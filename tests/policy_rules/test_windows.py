"""Push slots under the regulation's windows (A11.2, A11.3), lead time (A16) and weekend categories (A10.3)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from policy_rules.document import PolicyDocument
from policy_rules.models import PolicyVersion
from policy_rules.windows import check_slot

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(text):
    """An Asia/Shanghai instant from 'YYYY-MM-DD HH:MM'."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def version(db):
    """The regulation, installed and activated by migration."""
    return PolicyVersion.active_for("default")


def rules(decision):
    return [reason["rule"] for reason in decision.reasons]


# 2026-09-15 is an ordinary Tuesday; 2026-09-12 an ordinary Saturday; 2026-09-13 a Sunday.


@pytest.mark.parametrize(
    ("when", "allowed"),
    [("15:59", False), ("16:00", True), ("17:59", True), ("18:00", False), ("20:00", True), ("21:00", False)],
)
def test_weekday_windows(version, when, allowed):
    decision = check_slot(version, at(f"2026-09-15 {when}"))

    assert decision.allowed is allowed
    assert rules(decision) == ([] if allowed else ["A11.2"])
    assert decision.policy_version == "default@v1"


def test_allowed_slot_is_its_own_next_slot(version):
    assert check_slot(version, at("2026-09-15 16:30")).next_slot == at("2026-09-15 16:30")


def test_refused_at_six_pm_next_slot_is_eight_pm_that_day(version):
    decision = check_slot(version, at("2026-09-15 18:00"))

    assert decision.next_slot == at("2026-09-15 20:00")


def test_refused_before_four_pm_next_slot_is_four_pm(version):
    assert check_slot(version, at("2026-09-15 15:59")).next_slot == at("2026-09-15 16:00")


def test_after_last_window_next_slot_is_next_working_day(version):
    # Friday 2026-09-18 at 21:30: the weekend has no fixed window (A11.3), so Saturday midnight.
    assert check_slot(version, at("2026-09-18 21:30")).next_slot == at("2026-09-19 00:00")
    # Tuesday 21:30: Wednesday 16:00.
    assert check_slot(version, at("2026-09-15 21:30")).next_slot == at("2026-09-16 16:00")


def test_swapped_working_saturday_uses_working_day_windows(version):
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday (调休).
    morning = check_slot(version, at("2026-10-10 10:00"))
    afternoon = check_slot(version, at("2026-10-10 16:30"))

    assert morning.allowed is False
    assert rules(morning) == ["A11.2"]
    assert morning.next_slot == at("2026-10-10 16:00")
    assert afternoon.allowed is True


def test_national_day_holiday_has_no_window(version):
    assert check_slot(version, at("2026-10-02 03:00")).allowed is True


def test_sunday_any_time_allowed(version):
    for when in ("00:00", "03:00", "12:00", "18:30", "23:59"):
        decision = check_slot(version, at(f"2026-09-13 {when}"))
        assert decision.allowed, when
        assert decision.reasons == ()


def test_breaking_news_at_three_am_on_a_weekday(version):
    breaking = check_slot(version, at("2026-09-15 03:00"), breaking=True)
    ordinary = check_slot(version, at("2026-09-15 03:00"))

    assert breaking.allowed is True
    assert ordinary.allowed is False
    assert ordinary.next_slot == at("2026-09-15 16:00")


def test_breaking_news_ignores_lead_time(version):
    decision = check_slot(version, at("2026-09-15 03:00"), entered_office_at=at("2026-09-15 02:50"), breaking=True)

    assert decision.allowed is True


def test_lead_time_short_next_slot_is_when_twelve_hours_have_passed(version):
    # 11.9 h before 17:00 is 05:06; 12 h after that is 17:06, inside the 16:00–18:00 window.
    decision = check_slot(version, at("2026-09-15 17:00"), entered_office_at=at("2026-09-15 05:06"))

    assert decision.allowed is False
    assert rules(decision) == ["A16"]
    assert "11.9 h" in decision.reasons[0]["message"]
    assert decision.next_slot == at("2026-09-15 17:06")


def test_lead_time_short_next_slot_is_next_window_after_twelve_hours(version):
    # 11.9 h before 20:59 is 09:05; 12 h after that is 21:05, past the last window: Wednesday 16:00.
    decision = check_slot(version, at("2026-09-15 20:59"), entered_office_at=at("2026-09-15 09:05"))

    assert rules(decision) == ["A16"]
    assert decision.next_slot == at("2026-09-16 16:00")


def test_exactly_twelve_hours_is_enough(version):
    assert check_slot(version, at("2026-09-15 17:00"), entered_office_at=at("2026-09-15 05:00")).allowed


def test_outside_window_and_lead_short_give_both_reasons(version):
    decision = check_slot(version, at("2026-09-15 19:00"), entered_office_at=at("2026-09-15 18:00"))

    assert rules(decision) == ["A11.2", "A16"]
    assert decision.next_slot == at("2026-09-16 16:00")


def test_weekend_category_is_a_warning_not_a_refusal(version):
    study = check_slot(version, at("2026-09-12 10:00"), category="study")
    light = check_slot(version, at("2026-09-12 10:00"), category="light")
    weekday = check_slot(version, at("2026-09-15 16:30"), category="study")

    assert study.allowed is True
    assert [warning["rule"] for warning in study.warnings] == ["A10.3"]
    assert light.warnings == ()
    assert weekday.warnings == ()


def test_naive_and_other_time_zones_are_read_as_instants(version):
    naive = check_slot(version, datetime.datetime(2026, 9, 15, 16, 30))  # noqa: DTZ001 - naive on purpose
    utc = check_slot(version, datetime.datetime(2026, 9, 15, 8, 30, tzinfo=datetime.UTC))  # 16:30 in Shanghai

    assert naive.allowed and utc.allowed
    assert utc.next_slot == at("2026-09-15 16:30")
    assert utc.next_slot.utcoffset() == datetime.timedelta(hours=8)


def _document_with(*conditions):
    return PolicyDocument.model_validate({"conditions": list(conditions)})


def test_administrator_block_rule_refuses_and_next_slot_skips_it(db):
    document = _document_with(
        {
            "id": "saturday_morning",
            "when": [
                {"field": "weekday", "op": "eq", "value": 6},
                {"field": "minute_of_day", "op": "lt", "value": 600},
            ],
            "then": "block",
            "message": "no pushes before 10:00 on Saturdays",
        }
    )

    decision = check_slot(document, at("2026-09-12 08:00"), label="default@draft-test")

    assert decision.allowed is False
    assert decision.reasons == ({"rule": "rule:saturday_morning", "message": "no pushes before 10:00 on Saturdays"},)
    assert decision.next_slot == at("2026-09-12 10:00")
    assert decision.policy_version == "default@draft-test"


def test_administrator_warn_rule_is_a_warning(db):
    document = _document_with(
        {
            "id": "late_sunday",
            "when": [
                {"field": "weekday", "op": "eq", "value": 7},
                {"field": "minute_of_day", "op": "ge", "value": 1320},
            ],
            "then": "warn",
            "message": "late on Sunday: few readers",
        }
    )

    decision = check_slot(document, at("2026-09-13 22:30"))

    assert decision.allowed is True
    assert decision.warnings == ({"rule": "rule:late_sunday", "message": "late on Sunday: few readers"},)
    assert decision.policy_version == "default@draft"


def test_no_allowed_slot_within_the_horizon_gives_no_next_slot(db):
    document = _document_with(
        {
            "id": "freeze",
            "when": [{"field": "minute_of_day", "op": "ge", "value": 0}],
            "then": "block",
            "message": "frozen",
        }
    )

    decision = check_slot(document, at("2026-09-15 16:30"))

    assert decision.allowed is False
    assert decision.next_slot is None


def test_as_data_is_the_json_shape(version):
    data = check_slot(version, at("2026-09-15 18:00")).as_data()

    assert set(data) == {"allowed", "reasons", "warnings", "next_slot", "policy_version"}
    assert data["next_slot"] == "2026-09-15T20:00:00+08:00"
