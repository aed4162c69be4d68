"""Every message of the policy an administrator reads, in Chinese first and complete in English (issue 14 item 1).

One test per kind: a field error (pydantic's bounds), a refusal between fields (overlapping windows), an error named
by what it is about (never a dotted path), the validation report, violation texts, refusals of a step, and the
command line's errors. Each is asserted as the administrator reads it.
"""

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from wagtail.users.models import UserProfile

from policy_rules import texts, versions
from policy_rules.display import document_error_text, dry_run_view, report_view
from policy_rules.models import PolicyVersion
from policy_rules.windows import reason_text
from tests.policy_rules import governance
from tests.policy_rules.editor_form import editor_post, url
from tests.policy_rules.governance import END, START, changed
from tests.policy_rules.test_admin import ValidateCases

DOTTED_PATH = re.compile(r"\b[a-z_]+\.[a-z_]+(\.\w+)*\b")
HAN = re.compile(r"[\u4e00-\u9fff]")


def refused_errors(version, **values):
    with pytest.raises(versions.PolicyInvalid) as refused:
        versions.edit_draft(version, changed(version.document, **values), None)
    return refused.value.errors


def test_a_field_error_is_the_problem_in_words_at_its_field(policy_client, draft, people):
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, quotas__min_per_week="-1"))
    editor = response.context["editor"]
    assert editor.quotas.errors["min_per_week"] == ["请输入不小于 0 的数。"]
    page = response.content.decode()
    assert "Input should be" not in page and "greater than or equal" not in page
    profile = UserProfile.get_for_user(people["policy"])
    profile.preferred_language = "en"  # an administrator who reads English gets it complete
    profile.save()
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, rewards__points_cap="5000"))
    assert response.context["editor"].rewards.errors["points_cap"] == ["Enter at most 1000."]


def test_overlapping_windows_are_refused_at_their_day_in_words(policy_client, draft):
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, **{"windows-working-1-start": "17:00"}))
    day = next(day for day in response.context["editor"].days if day["day_type"] == "working")
    assert day["errors"] == ["两个时段重叠：16:00–18:00 与 17:00–21:00。"]
    assert "windows overlap" not in response.content.decode()


@pytest.mark.django_db
def test_an_error_names_its_subject_as_the_edit_form_labels_it_never_a_dotted_path():
    version = governance.draft()
    window = {**version.document["schedule"]["windows"]["working"][1], "start": "25:00"}
    [error] = refused_errors(
        version, schedule__windows__working=[version.document["schedule"]["windows"]["working"][0], window]
    )
    assert error["path"] == "schedule.windows.working.1.start"  # the record keeps the path
    assert document_error_text(error) == "工作日推送时段 · 第 2 段 · 开始时间：请按“时:分”输入时间，如 20:00。"
    [error] = refused_errors(version, quotas__min_per_week=-3)
    assert document_error_text(error) == "各科室每周至少提供推送材料次数（A8）：请输入不小于 0 的数。"
    [error] = refused_errors(version, schedule__windows__working=[{"start": "18:00", "end": "16:00"}])
    with translation.override("en"):
        assert document_error_text(error) == (
            "Working day push windows · window 1: The window must end after it starts (18:00–16:00)."
        )
    rule = {"id": "Bad Name", "when": [{"field": "weekday", "op": "eq", "value": 9.5}], "then": "block", "message": ""}
    for error in refused_errors(version, conditions=[rule]):
        text = document_error_text(error)
        assert text.startswith("管理员自定规则 · 第 1 条规则") and not DOTTED_PATH.search(text), text


@pytest.mark.django_db
def test_every_wording_is_chinese_and_english_with_its_parameters():
    """Each error code, report step and violation this module words: Chinese with its numbers, English complete."""
    samples = {
        "greater_than_equal": {"ge": 0},
        "greater_than": {"gt": 0},
        "less_than": {"lt": 9},
        "string_too_short": {"min_length": 2},
        "too_short": {"min_length": 2},
        "less_than_equal": {"le": 8},
        "string_too_long": {"max_length": 200},
        "too_long": {"max_length": 20},
        "window_order": {"start": "18:00", "end": "16:00"},
        "windows_missing": {"missing": "rest, holiday"},
        "windows_overlap": {"day_type": "working", "earlier": "16:00–18:00", "later": "17:00–21:00"},
        "escalation_order": {"escalation": 5, "warning": 8},
        "operator_mismatch": {"op": "lt", "field": "breaking"},
        "condition_value": {"field": "minute_of_day"},
        "rule_ids_unique": {"ids": "a"},
        # Sections that contradict each other (contradictions.py)
        "no_working_window": {"minimum": 1},
        "rules_close_working_days": {"rules": ["r"], "weekdays": [1, 5], "minimum": 2},
        "rules_close_swapped_working_days": {"rules": ["r"], "weekdays": [6], "minimum": 2},
        "weekend_without_categories": {"day_types": ["rest"]},
        "weekend_closed": {"day_types": ["rest", "holiday"]},
        "points_never_earned": {"per_accepted": 3},
        "cap_below_one_submission": {"per_accepted": 30, "cap": 20},
        "prize_below_cap": {"prizes": ["third"], "cap": 30},
        "prize_vacant_above_awarded": {"prizes": ["first"]},
        "assessment_without_quota": {"change": 10},
    }
    for code in texts.WORDINGS:
        error = {
            "path": "quotas.min_per_week",
            "message": "ENGLISH RECORD",
            "code": code,
            "params": samples.get(code, {}),
        }
        chinese = texts.problem(error)
        with translation.override("en"):
            english = texts.problem(error)
        assert HAN.search(chinese) and not HAN.search(english) and "ENGLISH RECORD" not in chinese + english, code
        assert all(str(value) in chinese for value in samples.get(code, {}).values() if isinstance(value, int)), code
    missing = texts.problem({"code": "windows_missing", "params": {"missing": "rest, holiday"}})
    assert "rest" not in missing and "holiday" not in missing  # the day types by their names


def test_a_stored_error_without_a_code_shows_as_written():
    old = {"path": "discipline", "message": "escalation threshold (5) must be greater than warning threshold (8)"}
    assert texts.problem(old) == old["message"]
    assert texts.problem({"path": "x", "message": "m", "code": "window_order", "params": {}}) == "m"  # tampered


@pytest.mark.django_db
def test_the_validation_report_reads_in_chinese_and_names_the_failing_case():
    version = governance.draft()
    report = versions.validate(
        version,
        None,
        [
            {"kind": "department_errors", "errors": 6, "level": "escalation"},
            {"kind": "slot", "date": "2026-03-02", "time": "15:00", "allowed": True},
            {"kind": "department_errors", "errors": 9, "level": "escalation"},
        ],
    )
    shown = report_view(report)
    assert shown["message"] == "3 个管理员用例中有 2 个与本文档的结论不符。"
    assert [step["text"] for step in shown["step_texts"]][:3] == [
        "政策文档有效。",
        "各部分之间没有矛盾。",
        "政策已编译为规则集。",
    ]
    assert shown["failure_texts"][0] == (
        "您的第 1 个用例（一学期 6 次错误 → 上报分管领导）："
        "本文档得出的是“警告”（5 次错误予以警告，8 次上报分管领导）。"
    )
    assert shown["failure_texts"][1].startswith("您的第 2 个用例（2026-03-02 15:00 推送（送达办公室时间未知）→ 允许）")
    assert "A11.2" in shown["failure_texts"][1]
    with translation.override("en"):
        english = report_view(report)
    assert english["message"] == "2 of 3 administrator cases do not hold under this document."
    assert english["failure_texts"][0].startswith("Your case 1 (6 error(s) in a semester → Escalation)")


@pytest.mark.django_db
def test_an_invalid_stored_document_is_reported_with_subjects():
    version = governance.draft()
    bad = changed(version.document, quotas__min_per_week=-1)
    version.document = bad  # as if stored before a check existed
    version.save()
    shown = report_view(versions.validate(version, None))
    assert shown["message"] == "政策文档有 1 处错误，见下。"
    assert shown["error_texts"] == ["各科室每周至少提供推送材料次数（A8）：请输入不小于 0 的数。"]


def test_violations_read_in_chinese_with_their_article():
    week = {
        "rule": "A8",
        "subject": "a",
        "message": "学生处: 1 submission(s) in the week of 2026-03-02; at least 2 a week",
        "code": "week_quota",
        "params": {"name": "学生处", "count": 1, "week": "2026-03-02", "minimum": 2},
    }
    assert texts.violation_text(week) == "学生处：2026-03-02 这一周供稿 1 篇，每周供稿任务为 2 篇（A8）"
    discipline = {"code": "discipline", "params": {"name": "学生处", "errors": 6, "level": "warning"}}
    assert texts.violation_text(discipline) == "学生处：科室材料出错 6 次，对科室负责人予以警告（A20）"
    coverage = {"code": "coverage", "params": {"count": 0, "day": "2026-03-04", "minimum": 1}}
    assert texts.violation_text(coverage) == "工作日 2026-03-04：推送 0 次，至少须推送 1 次（A11.1）"
    reason = {"rule": "A16", "message": "…", "params": {"lead_hours": 2.0, "needed_hours": 12}}
    push = {"code": "push", "params": {"at": "2026-03-04 16:00", "article": "7", "reason": reason}}
    assert texts.violation_text(push) == f"2026-03-04 16:00 的推送（稿件 7）：{reason_text(reason)}"
    with translation.override("en"):
        assert texts.violation_text(week) == (
            "学生处: 1 submission(s) in the week of 2026-03-02; the weekly quota is 2 (A8)"
        )
    assert texts.violation_text({"message": "an older record"}) == "an older record"


@pytest.mark.django_db
def test_a_refused_step_says_why_in_chinese():
    version = governance.draft()
    versions.validate(version, None)
    with pytest.raises(versions.WrongStatus) as refused:
        versions.edit_draft(version, version.document, None)
    assert refused.value.message == "v2 的状态是“已校验”：只有草稿才能编辑，请以它为基础新建草稿。"
    with translation.override("en"), pytest.raises(versions.DryRunRequired) as refused:
        versions.activate(version, None)
    assert refused.value.message.startswith("v2 has no dry run")
    with pytest.raises(versions.WrongStatus) as refused:  # not "validate it first": it is the version in force
        versions.dry_run(PolicyVersion.active_for("default"), START, END, None)
    assert refused.value.message.startswith("v1 是当前生效的版本：试运行是拿另一个版本与它比较。")


def test_a_rejection_reads_in_chinese_in_the_history_and_a_bad_case_at_its_field(policy_client, draft):
    policy_client.post(url("validate", draft.pk), ValidateCases.post(errors=[("6", "escalation")]))
    page = policy_client.get(url("version", draft.pk)).content.decode()
    history = page[page.index('data-policy-event="rejected"') :].split("</tr>")[0]
    assert "1 个管理员用例中有 1 个与本文档的结论不符。 · 在后台" in history
    assert "administrator cases" not in page

    too_late = ValidateCases.post(slots=[("2026-03-02", "16:00", "20000", "yes")])
    response = policy_client.post(url("validate", draft.pk), too_late)
    form = response.context["cases"].slots.forms[0]
    assert form.errors["lead_hours"] == ["请输入不大于 10000 的数。"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_dry_runs_document_changes_are_named_as_the_edit_form_names_them():
    rule = {"id": "r", "when": [{"field": "weekday", "op": "eq", "value": 5}], "then": "warn", "message": "周五提示"}
    diff = [
        {"path": "schedule.windows.rest", "old": None, "new": [{"start": "10:00", "end": "12:00"}], "change": "set"},
        {"path": "schedule.windows.holiday", "old": None, "new": [], "change": "set"},
        {"path": "quotas.min_per_week", "old": 1, "new": 2, "change": "changed"},
        {"path": "conditions.0", "old": None, "new": rule, "change": "added"},
    ]
    rows = [(row["label"], row["old"], row["new"]) for row in dry_run_view({"document_diff": diff})["diff_rows"]]
    assert rows == [  # windows as the document's page words them, not "[]"
        ("周末（休息日）推送时段", "不设固定时段：随时可推送", "10:00–12:00"),
        ("法定节假日推送时段", "不设固定时段：随时可推送", "无时段：不推送"),
        ("各科室每周至少提供推送材料次数（A8）", "1", "2"),
        ("管理员自定规则 · 第 1 条规则", "—", "若是周五：仅提示——“周五提示”"),
    ]


@pytest.mark.django_db
def test_the_command_lines_errors_read_in_chinese(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("quotas: [1, 2\n")
    with pytest.raises(CommandError) as refused:
        call_command("policy", "import", str(broken))
    assert "不是有效的 YAML：第 2 行第 1 列" in str(refused.value) and refused.value.returncode == 2
    with pytest.raises(CommandError, match="不是日期（YYYY-MM-DD）：“2026-13-01”"):
        call_command("policy", "dry-run", "--version", "1", "--from", "2026-13-01", "--to", "2026-03-01")
    with pytest.raises(CommandError, match=r"无法读取 .*missing\.json：文件不存在$"):  # not "No such file or directory"
        call_command("policy", "evaluate", "--facts", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match=r"：这是文件夹，不是文件$"):
        call_command("policy", "import", str(tmp_path))
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("说明: 政策".encode("gb18030"))
    with pytest.raises(CommandError, match=r"：不是 UTF-8 编码的文本$"):  # not "'utf-8' codec can't decode byte"
        call_command("policy", "import", str(latin))
    not_json = tmp_path / "facts.json"
    not_json.write_text("{")
    with pytest.raises(CommandError, match="不是有效的 JSON"):
        call_command("policy", "evaluate", "--facts", str(not_json))


def test_the_history_says_when_who_by_name_and_where_in_chinese(policy_client, people, draft):
    """The column is 时间 (not 当, the rule form's "When"), the actor by name, the origin in words (not "migration")."""
    people["policy"].first_name = "刘芳"
    people["policy"].save()
    policy_client.post(url("edit", draft.pk), editor_post(draft))
    page = policy_client.get(url("version", draft.pk)).content.decode()
    assert "<th>时间</th><th>操作</th><th>操作人</th>" in page
    edited = page[page.index('data-policy-event="edited"') :].split("</tr>")[0]
    assert "<td>刘芳</td>" in edited and "在后台" in edited
    installed = policy_client.get(url("version", draft.parent.pk)).content.decode()
    created = installed[installed.index('data-policy-event="created"') :].split("</tr>")[0]
    assert "网站安装时" in created and "migration" not in created
