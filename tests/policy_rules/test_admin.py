"""The Policy pages of the Wagtail admin: edit, validate, dry-run, activate, roll back; who may do what."""

import re

import pytest
from django.urls import reverse

from policy_rules.case_forms import ValidationCases
from policy_rules.models import PolicyEvent, PolicyVersion
from tests.policy_rules.editor_form import editor_post, form_data, url
from tests.policy_rules.governance import (  # noqa: F401  (facts_provider, people_facts_provider are fixtures)
    END,
    START,
    facts_provider,
    people_facts_provider,
    ready,
    validated,
)

ESCALATION_BELOW_WARNING = "报分管领导的错误次数（5）须大于予以警告的错误次数（8）。"


def refused(response):
    """Wagtail turns a PermissionDenied in an admin view into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def v1():
    return PolicyVersion.objects.get(scope="default", number=1)


def test_the_policy_administrator_finds_the_versions(policy_client):
    dashboard = policy_client.get("/admin/").content.decode()
    assert f'"url": "{url("index")}"' in dashboard
    response = policy_client.get(url("index"))
    assert response.status_code == 200
    assert 'data-policy-version="1" data-status="active"' in response.content.decode()
    page = policy_client.get(url("version", v1().pk)).content.decode()
    assert "data-policy-actions" in page and 'data-policy-event="activated"' in page
    assert "政策文档" in page and "一学期错误达到几次对科室负责人予以警告（A20）" in page  # Chinese first
    assert url("rollback", v1().pk) not in page  # nothing retired yet


def test_a_bad_edit_is_shown_at_its_field_and_stores_nothing(policy_client, draft):
    page = policy_client.get(url("edit", draft.pk))
    html = page.content.decode()
    assert 'type="number" name="discipline-escalation_at" value="8"' in html
    assert html.count("<textarea") == 2  # the change note, the comment words one a line: no JSON or YAML
    response = policy_client.post(
        url("edit", draft.pk), editor_post(draft, discipline__warning_at="8", discipline__escalation_at="5")
    )
    assert response.status_code == 200
    editor = response.context["editor"]
    assert editor.discipline.errors["escalation_at"] == [ESCALATION_BELOW_WARNING]
    assert ESCALATION_BELOW_WARNING in response.content.decode()
    draft.refresh_from_db()
    assert draft.document == v1().document and not draft.events.filter(action="edited").exists()

    response = policy_client.post(
        url("edit", draft.pk), editor_post(draft, discipline__warning_at="3", discipline__escalation_at="6")
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.document["discipline"]["warning_at"], draft.document["discipline"]["escalation_at"]) == (3, 6)
    assert draft.events.get(action="edited").actor.username == "policy"


def test_windows_rules_and_prizes_are_edited_without_json(policy_client, draft):
    overlap = editor_post(draft, **{"windows-working-1-start": "17:30"})
    response = policy_client.post(url("edit", draft.pk), overlap)
    day = next(day for day in response.context["editor"].days if day["day_type"] == "working")
    assert day["errors"] == ["两个时段重叠：16:00–18:00 与 17:30–21:00。"]

    rule = {
        "rules-0-id": "no_news_at_night",
        "rules-0-then": "block",
        "rules-0-message": "夜间不推新闻",
        "rules-0-when-0-field": "minute_of_day",
        "rules-0-when-0-op": "ge",
        "rules-0-when-0-value": "22:00",
        "rules-0-when-1-field": "category",
        "rules-0-when-1-op": "eq",
        "rules-0-when-1-value": "news",
    }
    data = editor_post(
        draft,
        **{
            "day-rest-no_fixed_window": "",
            "windows-rest-0-start": "10:00",
            "windows-rest-0-end": "12:00",
            "prizes-2-points": "25",
            **rule,
        },
    )
    data.pop("day-rest-no_fixed_window")
    response = policy_client.post(url("edit", draft.pk), data)
    assert response.status_code == 302, response.context["editor"].general_errors
    draft.refresh_from_db()
    assert draft.document["schedule"]["windows"]["rest"] == [{"start": "10:00", "end": "12:00"}]
    assert draft.document["rewards"]["prizes"][2]["points"] == 25
    assert draft.document["conditions"] == [
        {
            "id": "no_news_at_night",
            "when": [
                {"field": "minute_of_day", "op": "ge", "value": 1320},
                {"field": "category", "op": "eq", "value": "news"},
            ],
            "then": "block",
            "message": "夜间不推新闻",
        }
    ]
    page = policy_client.get(url("edit", draft.pk))
    assert page.context["editor"].rules.forms[0]["id"].value() == "no_news_at_night"  # shown again as fields

    wrong_operator = editor_post(
        draft, **{"rules-0-when-0-field": "breaking", "rules-0-when-0-op": "lt", "rules-0-when-0-value": "yes"}
    )
    response = policy_client.post(url("edit", draft.pk), wrong_operator)
    condition = response.context["editor"].rules.forms[0].conditions.forms[0]
    assert condition.errors["op"] == ["“早于／小于”不适用于实时新闻。"]


@pytest.mark.usefixtures("facts_provider")
def test_the_whole_path_to_activation_and_back(policy_client, draft):
    policy_client.post(
        url("edit", draft.pk), editor_post(draft, discipline__warning_at="3", discipline__escalation_at="6")
    )
    draft.refresh_from_db()

    cases = ValidateCases.post(
        slots=[("2026-03-02", "16:30", "24", "yes"), ("2026-03-02", "15:00", "", "no")], errors=[("6", "escalation")]
    )
    response = policy_client.post(url("validate", draft.pk), cases)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "validated", draft.validation_report
    assert len(draft.validation_report["admin_cases"]) == 3
    assert 'data-policy-report data-ok="true"' in policy_client.get(url("version", draft.pk)).content.decode()

    response = policy_client.post(url("dry_run", draft.pk), {"start": START, "end": END})
    event = draft.events.get(action="dry_run")
    assert response.status_code == 302 and response.url == url("dry_run_report", draft.pk, event.pk)
    report = policy_client.get(response.url).content.decode()
    assert '<li data-kind="discipline">' in report and "学生处" in report and "2026-03-07" in report
    assert 'data-path="discipline.warning_at"><td>一学期错误达到几次对科室负责人予以警告（A20）</td>' in report
    assert "data-policy-diff" in report and "<code>discipline.warning_at</code>" not in report

    confirm = policy_client.get(url("activate", draft.pk))
    assert confirm.status_code == 200 and "2026-03-07" in confirm.content.decode()
    response = policy_client.post(url("activate", draft.pk), {"expected_active": v1().pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "active" and v1().status == "retired"
    assert draft.events.get(action="activated").data["source"] == "admin"

    page = policy_client.get(url("version", draft.pk)).content.decode()
    assert url("rollback", v1().pk) in page
    response = policy_client.post(url("rollback", v1().pk), {"expected_active": draft.pk})
    assert response.status_code == 302 and PolicyVersion.active_for("default") == v1()


@pytest.mark.usefixtures("facts_provider")
def test_an_activation_another_administrator_overtook_changes_nothing(policy_client, people):
    first, second = ready(people["policy"], discipline__warning_at=4), ready(people["policy"], discipline__warning_at=3)
    policy_client.post(url("activate", first.pk), {"expected_active": v1().pk})
    response = policy_client.post(url("activate", second.pk), {"expected_active": v1().pk}, follow=True)
    assert "您确认期间生效版本已变更：现在生效的是 v2。" in response.content.decode()
    assert list(PolicyVersion.objects.filter(status="active")) == [first]


@pytest.mark.usefixtures("people_facts_provider")
def test_the_dry_run_report_lists_changes_by_what_they_affect_naming_each(policy_client, people):
    """Issue 14 item 3: a stricter weekly quota (A8) and more points per submission (A17.1) read as two sections,
    naming 教务科 and 张同学 (of 学生处), and no week listed again as a new violation."""
    version = validated(people["policy"], quotas__min_per_week=2, rewards__points_per_accepted=2)
    response = policy_client.post(url("dry_run", version.pk), {"start": START, "end": END})
    page = policy_client.get(response.url).content.decode()
    assert re.findall(r'data-dry-run-section="(\w+)"', page) == ["departments", "contributors"]
    assert re.findall(r'data-count="(\d+)"', page) == ["2", "1"] and "3 项结果变化" in page
    assert "科室供稿任务（A8） · <span" in page and "投稿人积分与奖项（A17、A18）" in page
    assert "教务科，2026-03-02 当周（供稿 1 篇）：每周供稿任务 达到 → 未达到" in page
    assert "张同学（学生处，学生）：积分 3 → 6" in page
    assert "新增违规" not in page and f"投稿人 {people['student'].pk}" not in page


def test_a_dry_run_stored_before_sections_still_shows(policy_client, draft):
    """A report of the old shape (violations without codes, no coverage, no contributor's department) renders, and its
    level change restated as a violation (A20) counts once, on the report, the version's page and its history."""
    changes = [
        {"kind": "discipline", "subject": "a", "name": "学生处", "old": "warning", "new": "escalation", "on": None},
        {"kind": "violation_added", "rule": "A20", "subject": "a", "message": "学生处: 8 error(s); refer"},
    ]
    event = PolicyEvent.objects.create(
        version=draft,
        action="dry_run",
        data={
            "period": {"start": START, "end": END},
            "changes": changes,
            "totals": {"changes": 2},
            "document_sha256": draft.document_sha256,
        },
    )
    page = policy_client.get(url("dry_run_report", draft.pk, event.pk)).content.decode()
    assert re.findall(r'data-dry-run-section="(\w+)"', page) == ["discipline"]
    assert "学生处：警告 → 上报分管领导" in page and "新增违规" not in page and "1 项结果变化" in page
    version_page = policy_client.get(url("version", draft.pk)).content.decode()
    assert f"最近一次试运行：{START} – {END} 有 1 项结果变化。" in version_page
    assert f"1 项结果变化，{START} – {END}" in version_page


def test_a_dry_run_without_changes_says_so(policy_client, draft):
    event = PolicyEvent.objects.create(version=draft, action="dry_run", data={"changes": [], "totals": {"changes": 0}})
    page = policy_client.get(url("dry_run_report", draft.pk, event.pk)).content.decode()
    assert "data-dry-run-section" not in page and "这段时间的结果都不会变化。" in page


class ValidateCases:
    @staticmethod
    def post(slots=(), errors=()):
        """The validation page as shown (two blank rows of each kind), with the first rows filled in."""
        data = form_data([ValidationCases().slots, ValidationCases().errors])
        for index, (date, time, lead, allowed) in enumerate(slots):
            data.update(
                {
                    f"slot-cases-{index}-date": date,
                    f"slot-cases-{index}-time": time,
                    f"slot-cases-{index}-lead_hours": lead,
                    f"slot-cases-{index}-allowed": allowed,
                }
            )
        for index, (count, level) in enumerate(errors):
            data.update({f"error-cases-{index}-errors": count, f"error-cases-{index}-level": level})
        return data


def test_a_case_that_fails_is_reported_on_the_version(policy_client, draft):
    response = policy_client.post(url("validate", draft.pk), ValidateCases.post(errors=[("6", "escalation")]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
    page = policy_client.get(url("version", draft.pk)).content.decode()
    assert 'data-ok="false"' in page and "本文档得出的是“警告”" in page


def test_office_editors_may_look_but_not_change(client, people, draft):
    client.force_login(people["office"])
    assert client.get(url("index")).status_code == 200
    page = client.get(url("version", draft.pk)).content.decode()
    assert url("edit", draft.pk) not in page and url("validate", draft.pk) not in page
    before = PolicyEvent.objects.count()
    assert refused(client.get(url("edit", draft.pk)))
    assert refused(client.post(url("edit", draft.pk), editor_post(draft, discipline__warning_at="4")))
    assert refused(client.post(url("start_draft"), {"scope": "default"}))
    assert refused(client.post(url("validate", draft.pk), ValidateCases.post()))
    assert refused(client.post(url("dry_run", draft.pk), {"start": START, "end": END}))
    assert refused(client.post(url("activate", draft.pk), {}))
    assert refused(client.post(url("rollback", v1().pk), {}))
    assert PolicyEvent.objects.count() == before and PolicyVersion.active_for("default") == v1()


@pytest.mark.parametrize("username", ["contributor", "head_a", "channel"])
def test_other_roles_do_not_reach_the_policy(client, people, username, draft):
    client.force_login(people[username])
    assert f'"url": "{url("index")}"' not in client.get("/admin/").content.decode()
    for address in (url("index"), url("version", draft.pk), url("edit", draft.pk)):
        assert refused(client.get(address))
    assert refused(client.post(url("activate", draft.pk), {}))
