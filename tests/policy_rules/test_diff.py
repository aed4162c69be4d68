"""The document diff shown next to a dry run and stored with every edit."""

from policy_rules.diff import diff, summary
from policy_rules.document import default_document


def regulation():
    return default_document().as_data()


def test_identical_documents_have_no_difference():
    assert diff(regulation(), regulation()) == []


def test_a_changed_threshold_is_one_dotted_path():
    new = regulation()
    new["discipline"]["warning_at"] = 4
    assert diff(regulation(), new) == [{"path": "discipline.warning_at", "old": 5, "new": 4, "change": "changed"}]


def test_list_items_are_addressed_by_index():
    new = regulation()
    new["rewards"]["prizes"][1]["points"] = 35
    new["schedule"]["windows"]["working"][0]["end"] = "17:30"
    paths = {change["path"]: (change["old"], change["new"]) for change in diff(regulation(), new)}
    assert paths == {
        "schedule.windows.working.0.end": ("18:00", "17:30"),
        "rewards.prizes.1.points": (40, 35),
    }


def test_added_and_removed_items_carry_the_whole_value():
    new = regulation()
    removed = new["rewards"]["prizes"].pop()
    new["schedule"]["weekend_categories"].append("news")
    changes = diff(regulation(), new)
    assert {"path": "rewards.prizes.2", "old": removed, "new": None, "change": "removed"} in changes
    assert {"path": "schedule.weekend_categories.3", "old": None, "new": "news", "change": "added"} in changes
    assert len(changes) == 2


def test_a_value_that_changes_shape_is_reported_whole():
    """No fixed window on rest days (A11.3) → one window: one change at the day type's path."""
    new = regulation()
    new["schedule"]["windows"]["rest"] = [{"start": "10:00", "end": "12:00"}]
    assert diff(regulation(), new) == [
        {
            "path": "schedule.windows.rest",
            "old": None,
            "new": [{"start": "10:00", "end": "12:00"}],
            "change": "changed",
        }
    ]


def test_new_keys_follow_old_ones_and_equal_numbers_are_equal():
    assert diff({"a": 1, "b": 2.0}, {"b": 2, "c": 3, "a": 1}) == [
        {"path": "c", "old": None, "new": 3, "change": "added"}
    ]


def test_true_is_not_one():
    assert diff({"flag": 1}, {"flag": True}) == [{"path": "flag", "old": 1, "new": True, "change": "changed"}]


def test_summary_keeps_the_count_and_truncates():
    changes = diff({"n": list(range(60))}, {"n": [value + 1 for value in range(60)]})
    stored = summary(changes, limit=50)
    assert stored["count"] == 60 and len(stored["changes"]) == 50 and stored["truncated"] is True
    assert summary(changes[:3])["truncated"] is False
