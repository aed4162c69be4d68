"""Sections that contradict each other (policy_rules/contradictions.py, issue 14 item 4): each check refuses or
warns about the contradictory document and lets its sound neighbour pass, in the admin's words."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from policy_rules import contradictions, forms, versions
from policy_rules.document import PolicyDocument, default_document
from policy_rules.models import PolicyVersion
from tests.policy_rules.editor_form import editor_post, url
from tests.policy_rules.governance import changed, facts_provider, ready, v1  # noqa: F401

REGULATION = default_document().as_data()
BLOCK_WORKING_DAYS = [
    {"id": "no_weekdays", "when": [{"field": "weekday", "op": "le", "value": 5}], "then": "block", "message": "不推送"}
]
BLOCK_EVENINGS = [
    {
        "id": "no_evenings",
        "when": [{"field": "minute_of_day", "op": "ge", "value": 1200}],
        "then": "block",
        "message": "晚上不推送",
    }
]
MONDAY_ONLY = [
    {"id": "no_monday", "when": [{"field": "weekday", "op": "eq", "value": 1}], "then": "block", "message": "周一不推"}
]
# A11.1 asks a push of every working day, and a Saturday worked for a holiday (调休上班) is one (A11.3).
NO_SATURDAYS = [
    {
        "id": "no_saturday",
        "when": [{"field": "weekday", "op": "eq", "value": 6}],
        "then": "block",
        "message": "周六不推",
    }
]
NO_REST_DAYS = [
    {
        "id": "no_rest_days",
        "when": [{"field": "day_type", "op": "eq", "value": "rest"}],
        "then": "block",
        "message": "周末不推",
    }
]
# (code, severity, the contradictory document's changes, a sound neighbour's changes)
CHECKS = [
    (
        "no_working_window",
        "error",
        {"schedule__windows__working": []},
        {"schedule__windows__working": [], "schedule__min_pushes_per_working_day": 0},
    ),
    ("rules_close_working_days", "error", {"conditions": BLOCK_WORKING_DAYS}, {"conditions": BLOCK_EVENINGS}),
    (
        "rules_close_working_days",
        "error",
        {"conditions": MONDAY_ONLY},
        {"conditions": [{**MONDAY_ONLY[0], "then": "warn"}]},
    ),
    ("rules_close_swapped_working_days", "error", {"conditions": NO_SATURDAYS}, {"conditions": NO_REST_DAYS}),
    (
        "weekend_without_categories",
        "error",
        {"schedule__weekend_categories": []},
        {"schedule__weekend_categories": [], "schedule__weekend_day_types": []},
    ),
    (
        "weekend_closed",
        "warning",
        {"schedule__windows__rest": []},
        {"schedule__windows__rest": [], "schedule__weekend_day_types": []},
    ),
    ("working_day_as_weekend", "warning", {"schedule__weekend_day_types": ["rest", "working"]}, {}),
    (
        "points_never_earned",
        "error",
        {"rewards__points_cap": 0},
        {"rewards__points_cap": 0, "rewards__points_per_accepted": 0},
    ),
    (
        "cap_below_one_submission",
        "warning",
        {"rewards__points_per_accepted": 30},
        {"rewards__points_per_accepted": 20},
    ),
    ("prize_below_cap", "warning", {"rewards__points_cap": 30}, {"rewards__points_cap": 20}),
    (
        "prize_vacant_above_awarded",
        "warning",
        {
            "rewards__prizes": [
                {"name": "first", "points": 60, "winners": 0},
                {"name": "second", "points": 40, "winners": 2},
            ]
        },
        {
            "rewards__prizes": [
                {"name": "first", "points": 60, "winners": 1},
                {"name": "second", "points": 40, "winners": 0},
            ]
        },
    ),
    (
        "assessment_without_quota",
        "warning",
        {"quotas__min_per_semester": 0},
        {"quotas__min_per_semester": 0, "quotas__assessment__surplus_share_change": 0},
    ),
    ("no_error_kinds_counted", "warning", {"discipline__counted_kinds": []}, {"discipline__counted_kinds": ["typo"]}),
]
DOTTED_PATH = re.compile(r"\b[a-z_]+\.[a-z_]+(\.\w+)*\b")


def codes(changes):
    return {
        (f.code, f.severity)
        for f in contradictions.check(PolicyDocument.model_validate(changed(REGULATION, **changes)))
    }


def test_the_regulation_contradicts_nothing():
    assert contradictions.check(default_document()) == []


@pytest.mark.parametrize(("code", "severity", "contradictory", "sound"), CHECKS, ids=[c[0] for c in CHECKS])
def test_each_check_finds_its_contradiction_and_passes_the_sound_neighbour(code, severity, contradictory, sound):
    assert (code, severity) in codes(contradictory)
    assert code not in {found for found, _severity in codes(sound)}


@pytest.mark.parametrize(("code", "severity", "contradictory", "sound"), CHECKS, ids=[c[0] for c in CHECKS])
def test_each_finding_reads_in_chinese_with_the_forms_words(code, severity, contradictory, sound):
    document = PolicyDocument.model_validate(changed(REGULATION, **contradictory))
    (finding,) = [f for f in contradictions.check(document) if f.code == code]
    with translation.override("zh-hans"):
        text = contradictions.text(finding)
    for rule_id in finding.params.get("rules", []):  # the administrator's own names for their rules
        text = text.replace(rule_id, "")
    assert re.search(r"[\u4e00-\u9fff]{4}", text) and not re.search(r"[A-Za-z]{4}", text), text
    assert not DOTTED_PATH.search(text), text


def test_the_messages_name_fields_as_the_edit_form_labels_them():
    form_classes = (forms.ScheduleForm, forms.QuotasForm, forms.RewardsForm, forms.DisciplineForm)
    labels = {name: field.label for form in form_classes for name, field in form.base_fields.items()}
    for name, label in contradictions.FIELDS.items():
        assert str(label) == str(labels[name]), name
    template = Path(forms.__file__).parent / "templates" / "policy_rules" / "edit.html"
    with translation.override("en"):
        assert f'{{% trans "{contradictions.SCHEDULE}" %}}' in template.read_text()
    with translation.override("zh-hans"):
        text = contradictions.text(
            contradictions.check(PolicyDocument.model_validate(changed(REGULATION, schedule__windows__working=[])))[0]
        )
    assert "“每个工作日至少推送次数（A11.1）”" in text and "A11.1" in text


# Working Saturdays and Sundays (调休上班, A11.1, A11.3) ------------------------------------------------------------


def findings(conditions):
    document = PolicyDocument.model_validate(changed(REGULATION, conditions=conditions))
    return {finding.code: finding for finding in contradictions.check(document)}


def test_a_rule_closing_the_weekend_by_weekday_closes_the_swapped_working_saturday_and_sunday():
    weekend = [{**NO_SATURDAYS[0], "when": [{"field": "weekday", "op": "ge", "value": 6}]}]

    found = findings(weekend)

    assert set(found) == {"rules_close_swapped_working_days"}  # Monday to Friday keep their windows
    assert found["rules_close_swapped_working_days"].params == {
        "weekdays": [6, 7],
        "rules": ["no_saturday"],
        "minimum": 1,
    }
    with translation.override("zh-hans"):
        text = contradictions.text(found["rules_close_swapped_working_days"])
    assert "调休上班的周六、周日没有任何时间可以推送普通稿件" in text
    assert "日期类型“周末（休息日）”" in text  # what to do instead


def test_a_saturday_rule_that_leaves_a_window_open_is_not_flagged():
    # Blocking Saturday mornings leaves 16:00–18:00 on a working Saturday (A11.2's windows apply to its day type).
    mornings = [
        {**NO_SATURDAYS[0], "when": [*NO_SATURDAYS[0]["when"], {"field": "minute_of_day", "op": "lt", "value": 600}]}
    ]

    assert findings(mornings) == {}


def test_closing_monday_to_friday_is_not_reported_as_a_weekend_problem():
    assert set(findings(BLOCK_WORKING_DAYS)) == {"rules_close_working_days"}
    assert findings(BLOCK_WORKING_DAYS)["rules_close_working_days"].params["weekdays"] == [1, 2, 3, 4, 5]


def test_a_draft_closing_working_saturdays_is_not_saved(db):
    version = versions.start_draft("default", None)
    with pytest.raises(versions.PolicyInvalid) as refused:
        versions.edit_draft(version, changed(version.document, conditions=NO_SATURDAYS), None)

    assert [error["code"] for error in refused.value.errors] == ["rules_close_swapped_working_days"]


# Through the lifecycle ---------------------------------------------------------------------------------------


def test_a_contradictory_draft_is_not_saved(db):
    version = versions.start_draft("default", None)
    before = version.document
    with pytest.raises(versions.PolicyInvalid) as refused:
        versions.edit_draft(version, changed(before, schedule__windows__working=[]), None)
    (error,) = refused.value.errors
    assert (error["path"], error["code"]) == ("schedule.windows.working", "no_working_window")
    version.refresh_from_db()
    assert version.document == before


def test_a_contradictory_draft_stored_before_the_check_is_refused_at_validation(db):
    version = versions.start_draft("default", None)
    version.document = changed(version.document, rewards__points_cap=0)
    version.save()
    report = versions.validate(version, None)
    version.refresh_from_db()
    assert not report["ok"] and version.status == "draft"
    assert [step["name"] for step in report["steps"]] == ["schema", "contradictions"]
    assert [error["code"] for error in report["errors"]] == ["points_never_earned"]


@pytest.mark.usefixtures("facts_provider")
def test_warnings_pass_validation_and_are_acknowledged_before_activation(db):
    version = ready(discipline__counted_kinds=[])
    assert [warning["code"] for warning in version.validation_report["warnings"]] == ["no_error_kinds_counted"]
    with pytest.raises(versions.WarningsNotAcknowledged, match="A20"):
        versions.activate(version, None)
    assert v1().status == "active"
    activated, _previous = versions.activate(version, None, acknowledge_warnings=True)
    event = activated.events.get(action="activated")
    assert activated.status == "active" and event.data["acknowledged_warnings"] == ["no_error_kinds_counted"]


@pytest.mark.usefixtures("facts_provider")
def test_a_validated_contradictory_version_is_never_activated(db):
    version = ready(discipline__warning_at=4)
    PolicyVersion.objects.filter(pk=version.pk).update(
        document=changed(version.document, schedule__windows__working=[])
    )
    version.refresh_from_db()
    PolicyVersion.objects.filter(pk=version.pk).update(document_sha256=version.document_sha256)
    version.events.filter(action="dry_run").update(
        data={**version.events.get(action="dry_run").data, "document_sha256": version.document_sha256}
    )
    with pytest.raises(versions.PolicyInvalid):
        versions.activate(version, None, acknowledge_warnings=True)
    assert v1().status == "active"


# The admin and the command line --------------------------------------------------------------------------------


def test_the_edit_form_refuses_a_contradictory_policy_in_chinese(policy_client, draft):
    before = draft.document
    post = editor_post(draft, **{"day-working-no_fixed_window": ""})
    post = {name: value for name, value in post.items() if not name.startswith("windows-working-")}
    post.update({"windows-working-TOTAL_FORMS": "0", "windows-working-INITIAL_FORMS": "0"})
    response = policy_client.post(url("edit", draft.pk), post, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    day = next(day for day in response.context["editor"].days if day["day_type"] == "working")
    (message,) = day["errors"]
    assert "工作日没有推送时段" in message and "“每个工作日至少推送次数（A11.1）”" in message
    assert "schedule." not in response.content.decode()
    draft.refresh_from_db()
    assert draft.document == before


def test_the_command_line_refuses_a_contradictory_import(db, tmp_path):
    document = tmp_path / "policy.yaml"
    document.write_text("rewards:\n  points_cap: 0\n")
    with pytest.raises(CommandError) as refused, translation.override("zh-hans"):
        call_command("policy", "import", str(document), stdout=io.StringIO())
    assert refused.value.returncode == 2
    assert "没有学生能得到积分" in str(refused.value) and "[rewards.points_cap]" in str(refused.value)
    assert PolicyVersion.objects.count() == 1


@pytest.mark.usefixtures("facts_provider")
def test_the_command_line_asks_for_warnings_to_be_acknowledged(db):
    version = ready(discipline__counted_kinds=[])
    out = io.StringIO()
    with pytest.raises(CommandError) as refused, translation.override("zh-hans"):
        call_command("policy", "activate", "--version", str(version.number), stdout=out)
    assert refused.value.returncode == 1 and "--acknowledge-warnings" in str(refused.value)
    assert "不会有科室被警告" in str(refused.value)
    call_command("policy", "activate", "--version", str(version.number), "--acknowledge-warnings", stdout=out)
    version.refresh_from_db()
    assert version.status == "active"
