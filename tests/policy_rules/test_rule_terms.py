"""Administrators' rules in human terms (issue 14 item 2): weekdays by name, times as HH:MM, each rule as a sentence.

The stored document keeps weekday 1–7 and minute of the day 0–1439, so a document stored before loads, shows in
words and saves back unchanged; the edit form converts.
"""

import pytest
from django.utils import translation
from pydantic import ValidationError

from policy_rules import rule_terms, texts
from policy_rules.display import document_sections
from policy_rules.document import PolicyDocument
from tests.policy_rules.editor_form import editor_post, url

FRIDAY_NIGHT = {
    "id": "no_friday_night",
    "when": [{"field": "weekday", "op": "eq", "value": 5}, {"field": "minute_of_day", "op": "ge", "value": 1200}],
    "then": "block",
    "message": "周五 20:00 后不推送",
}


def rule_post(draft, **conditions):
    data = editor_post(draft, **{"rules-0-id": "no_friday_night", "rules-0-then": "block"})
    data["rules-0-message"] = "周五 20:00 后不推送"
    data.update({f"rules-0-when-{name.replace('__', '-')}": value for name, value in conditions.items()})
    return data


@pytest.mark.parametrize(
    ("text", "day"),
    [("5", 5), ("周五", 5), ("星期五", 5), ("礼拜五", 5), ("Friday", 5), ("fri", 5), ("周日", 7), ("星期天", 7)],
)
def test_a_weekday_is_entered_by_name_or_number(text, day):
    assert rule_terms.parse("weekday", text) == day


@pytest.mark.parametrize(("text", "minute"), [("20:00", 1200), ("0:00", 0), ("23:59", 1439), ("08：30", 510)])
def test_a_time_is_entered_as_hh_mm(text, minute):
    assert rule_terms.parse("minute_of_day", text) == minute
    assert rule_terms.shown("minute_of_day", minute) == f"{minute // 60:02d}:{minute % 60:02d}"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("weekday", "8", "请选择星期几（周一至周日）。"),
        ("weekday", "周八", "请选择星期几（周一至周日）。"),
        ("weekday", "٥", "请选择星期几（周一至周日）。"),  # an Arabic-Indic five is no weekday
        ("minute_of_day", "1200", "请按“时:分”输入时间，如 20:00。"),  # minutes of the day are not asked any more
        ("minute_of_day", "24:00", "请按“时:分”输入时间，如 20:00。"),
        ("minute_of_day", "20:00:00" * 20, "请按“时:分”输入时间，如 20:00。"),
        ("breaking", "maybe", "请选择“是”或“否”。"),
        ("category", "<script>", "请从给出的选项中选择。"),
        ("lead_hours", "nan", "输入一个数字。"),
        ("lead_hours", "1e999", "输入一个数字。"),
    ],
)
def test_a_hostile_value_is_refused_in_words(field, text, message):
    with pytest.raises(ValueError, match=message):
        rule_terms.parse(field, text)


def test_a_rule_reads_back_as_a_sentence():
    assert rule_terms.rule_sentence(FRIDAY_NIGHT) == "若是周五，且在 20:00 及之后：不允许推送——“周五 20:00 后不推送”"
    with translation.override("en"):
        assert rule_terms.rule_sentence(FRIDAY_NIGHT) == (
            "When on Friday and at 20:00 or later: Refuse the push — “周五 20:00 后不推送”"
        )
    breaking = {**FRIDAY_NIGHT, "when": [{"field": "breaking", "op": "eq", "value": False}], "then": "warn"}
    assert rule_terms.rule_sentence(breaking) == "若不是实时新闻：仅提示——“周五 20:00 后不推送”"


def test_the_rule_is_entered_with_a_weekday_name_and_a_time_and_stored_as_before(policy_client, draft):
    data = rule_post(
        draft,
        **{"0__field": "weekday", "0__op": "eq", "0__value": "5", "1__field": "minute_of_day", "1__op": "ge"},
        **{"1__value": "20:00"},
    )
    response = policy_client.post(url("edit", draft.pk), data)
    assert response.status_code == 302, response.context["editor"].general_errors
    draft.refresh_from_db()
    assert draft.document["conditions"] == [FRIDAY_NIGHT]  # the stored format did not change
    page = policy_client.get(url("version", draft.pk)).content.decode()
    assert "若是周五，且在 20:00 及之后：不允许推送——“周五 20:00 后不推送”" in page

    edit = policy_client.get(url("edit", draft.pk))
    rule = edit.context["editor"].rules.forms[0]
    assert rule.sentence.startswith("若是周五，且在 20:00 及之后")
    html = edit.content.decode()
    assert '<option value="5" selected>周五</option>' in html
    assert 'type="time" name="rules-0-when-1-value" value="20:00"' in html


def test_a_document_stored_before_loads_and_saves_back_unchanged(policy_client, draft):
    document = {**draft.document, "conditions": [FRIDAY_NIGHT]}
    assert PolicyDocument.model_validate(document).as_data()["conditions"] == [FRIDAY_NIGHT]
    draft.document = document
    draft.save()
    response = policy_client.post(url("edit", draft.pk), editor_post(draft))  # the form as shown, unchanged
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document["conditions"] == [FRIDAY_NIGHT]
    sections = {section["title"]: section["rows"] for section in document_sections(draft.document)}
    assert sections["管理员自定规则"][0]["value"].startswith("若是周五，且在 20:00 及之后")


def test_a_bad_time_is_refused_at_its_field_and_nothing_is_stored(policy_client, draft):
    before = draft.document
    data = rule_post(draft, **{"0__field": "minute_of_day", "0__op": "ge", "0__value": "25:61"})
    response = policy_client.post(url("edit", draft.pk), data)
    condition = response.context["editor"].rules.forms[0].conditions.forms[0]
    assert condition.errors["value"] == ["请按“时:分”输入时间，如 20:00。"]
    draft.refresh_from_db()
    assert draft.document == before


@pytest.mark.parametrize(
    ("field", "value"), [("weekday", 0), ("weekday", 8), ("minute_of_day", 1440), ("minute_of_day", -1)]
)
def test_an_imported_rule_outside_the_week_or_the_day_is_refused_in_words(field, value):
    """The form offers only 周一…周日 and HH:MM; a file could say weekday 8, which would never match."""
    rule = {**FRIDAY_NIGHT, "when": [{"field": field, "op": "eq", "value": value}]}
    with pytest.raises(ValidationError) as refused:
        PolicyDocument.model_validate({"conditions": [rule]})
    [error] = texts.validation_errors(refused.value)
    assert error["path"] == "conditions.0.when.0"
    assert texts.problem(error) in ("请选择星期几（周一至周日）。", "请按“时:分”输入时间，如 20:00。")


def test_a_condition_on_the_first_subject_is_kept_and_blank_rows_show_no_condition(policy_client, draft):
    """A blank row shows "——", not 日期类型 是 工作日: such a row looked like a condition, yet was dropped on save as
    unchanged, so "工作日 21:00 后不推送" held every day."""
    html = policy_client.get(url("edit", draft.pk)).content.decode()
    assert '<select name="rules-0-when-0-field" id="id_rules-0-when-0-field">\n  <option value="" selected>——' in html
    data = rule_post(
        draft,
        **{"0__field": "day_type", "0__op": "eq", "0__value": "working", "1__field": "minute_of_day"},
        **{"1__op": "gt", "1__value": "21:00"},
    )
    response = policy_client.post(url("edit", draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document["conditions"][0]["when"] == [
        {"field": "day_type", "op": "eq", "value": "working"},
        {"field": "minute_of_day", "op": "gt", "value": 1260},
    ]


def test_a_changed_row_without_a_subject_says_to_choose_one(policy_client, draft):
    before = draft.document
    data = rule_post(draft, **{"0__op": "gt", "0__value": ""})
    response = policy_client.post(url("edit", draft.pk), data)
    condition = response.context["editor"].rules.forms[0].conditions.forms[0]
    assert condition.errors["field"] == ["请选择条件针对的内容。"]
    draft.refresh_from_db()
    assert draft.document == before
