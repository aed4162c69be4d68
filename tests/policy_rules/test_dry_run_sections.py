"""The dry run as an office head reads it (issue 14 item 3): changes in sections by what they affect, each once."""

import pytest
from django.utils import translation

from policy_rules import impact
from policy_rules.display import dry_run_view
from policy_rules.dry_run_sections import fold, sections
from tests.policy_rules.governance import fortnight_facts, v1, validated

PUSH_VIOLATION = {
    "rule": "A16",
    "subject": "p3",
    "message": "push at 2026-03-04 20:30 (article 7): 10.5 h after reaching the office; at least 24 h",
    "code": "push",
    "params": {
        "at": "2026-03-04 20:30",
        "article": "7",
        "reason": {"rule": "A16", "message": "10.5 h after reaching the office; at least 24 h"},
    },
}


def texts(report, language="en"):
    with translation.override(language):
        return {section["key"]: [item["text"] for item in section["items"]] for section in sections(report)}


def test_a_week_below_a_stricter_quota_is_one_change_not_also_a_new_violation(db):
    """教务科 gives one item a week; under a quota of 2 (A8) its two weeks were listed as quota changes and again as
    two new violations. Each week is listed once, and the totals count what is listed."""
    report = impact.compare(v1(), validated(quotas__min_per_week=2), fortnight_facts(None, None))
    assert [change["kind"] for change in report["changes"]] == ["week", "week"]
    assert report["totals"]["changes"] == 2 and report["totals"]["by_kind"] == {"week": 2}
    assert texts(report) == {
        "departments": [
            "教务科, week of 2026-03-02 (1 submitted): weekly quota met → not met",
            "教务科, week of 2026-03-09 (1 submitted): weekly quota met → not met",
        ]
    }


def test_a_level_no_longer_reached_is_one_change_not_also_a_violation_gone(db):
    """学生处's six typos reach a warning at 5 (A20), not at 7: one change of level, no "violation no longer found"."""
    report = impact.compare(v1(), validated(discipline__warning_at=7), fortnight_facts(None, None))
    assert [change["kind"] for change in report["changes"]] == ["discipline"]
    assert texts(report, "zh-hans") == {"discipline": ["学生处：警告 → 不处理（2026-03-06 起）"]}


def test_a_violation_both_versions_find_is_no_change_and_a_repeated_change_is_listed_once():
    points = {"kind": "points", "subject": "s1", "contributor_kind": "student", "old": 3, "new": 6}
    assert fold([{"kind": "violation_removed", **PUSH_VIOLATION}, {"kind": "violation_added", **PUSH_VIOLATION}]) == []
    assert fold([points, dict(points)]) == [points]


def test_violations_worded_alike_are_listed_once(db):
    """Two pushes the reader cannot tell apart (the same words) are one line, and the count says one."""
    night = {"kind": "violation_added", "rule": "no_news_at_night", "message": "夜间不推新闻"}
    shown = sections({"changes": [{**night, "subject": "p8"}, {**night, "subject": "p9"}]})
    assert [(section["key"], section["count"]) for section in shown] == [("violations", 1)]


def test_sections_come_in_order_each_with_its_count_and_only_when_something_changed(db, settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "DISPLAY_NAMES": None}  # no names: this test is the grouping
    report = {
        "changes": [
            {"kind": "working_day", "subject": "2026-03-04", "pushes": 0, "old": True, "new": False},
            {"kind": "violation_added", **PUSH_VIOLATION},
            {"kind": "violation_added", "rule": "no_news_at_night", "subject": "p9", "message": "夜间不推新闻"},
            {"kind": "discipline", "subject": "a", "name": "学生处", "old": "none", "new": "warning", "on": None},
            {"kind": "semester", "subject": "b", "name": "教务科", "count": 2, "old": True, "new": False},
        ]
    }
    with translation.override("zh-hans"):
        shown = sections(report)
    assert [(section["key"], section["title"], section["count"]) for section in shown] == [
        ("departments", "科室供稿任务（A8）", 1),
        ("discipline", "差错处理级别（A20）", 1),
        ("pushes", "工作日推送与推送时段（A11、A16）", 2),
        ("violations", "其他违规记录", 1),
    ]
    assert shown[2]["items"][0]["text"] == "工作日 2026-03-04（推送 0 次）：推送要求 达到 → 未达到"
    assert sections({"changes": []}) == []


@pytest.mark.usefixtures("db")
def test_a_report_stored_before_still_reads_in_sections():
    """A report stored before codes and the contributor's department: its week violation is still folded into the
    week's change, and the contributor is named without a department."""
    old = {
        "period": {"start": "2026-03-02", "end": "2026-03-15"},
        "baseline": "default v1",
        "candidate": "default v2",
        "changes": [
            {"kind": "week", "subject": "b", "name": "教务科", "week_start": "2026-03-02", "count": 1, "old": True,
             "new": False},
            {"kind": "points", "subject": "s1", "contributor_kind": "student", "old": 3, "new": 6},
            {"kind": "violation_added", "rule": "A8", "subject": "b",
             "message": "教务科: 1 submission(s) in the week of 2026-03-02; at least 2 a week"},
        ],
        "totals": {"changes": 3, "by_kind": {"week": 1, "points": 1, "violation_added": 1}},
        "document_diff": [],
    }  # fmt: skip
    with translation.override("zh-hans"):
        view = dry_run_view(old)
    assert view["change_count"] == 2 and view["coverage_summary"] is None
    assert [(section["key"], [item["text"] for item in section["items"]]) for section in view["sections"]] == [
        ("departments", ["教务科，2026-03-02 当周（供稿 1 篇）：每周供稿任务 达到 → 未达到"]),
        ("contributors", ["已删除的投稿人（学生）：积分 3 → 6"]),
    ]
