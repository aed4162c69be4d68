"""The cases admin (A6.5): who sees and does what, on the server; filters, actions, the dashboard panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.cases import services as cases
from cms.models import Case, CaseEvent

# Who sees each kind, and who handles it (A6.5.1, A6.5.2).
SEES = {
    Case.Kind.REPORT: {"office", "policy"},
    Case.Kind.SYSTEM_ERROR: {"channel", "policy"},
}
HANDLES = {
    Case.Kind.REPORT: {"office", "policy"},
    Case.Kind.SYSTEM_ERROR: {"channel"},
}
ROLES = ("office", "policy", "channel", "contributor", "head_a", "leader_a", "college_leader")


@pytest.fixture
def report(db):
    return cases.open_report(
        "举报：评论区有赌博广告", Case.Source.WECHAT, summary="评论区有赌博广告", openid="o_secret_reporter"
    )


@pytest.fixture
def system_error(db):
    return cases.open_system_error("errcode 45009: quota", key="push:1")[0]


def detail(case):
    return reverse("cases_admin:detail", args=[case.pk])


def as_user(client, people, role):
    client.force_login(people[role])
    return client


# The permission matrix


@pytest.mark.parametrize("role", ROLES)
def test_the_index_is_for_those_who_see_some_kind(client, people, report, system_error, role):
    response = as_user(client, people, role).get(reverse("cases_admin:index"))
    visible = {kind for kind, roles in SEES.items() if role in roles}
    if not visible:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert (report.number in html) == (Case.Kind.REPORT in visible)
    assert (system_error.number in html) == (Case.Kind.SYSTEM_ERROR in visible)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", [Case.Kind.REPORT, Case.Kind.SYSTEM_ERROR])
def test_the_detail_page_is_for_those_who_see_its_kind(client, people, report, system_error, role, kind):
    case = report if kind == Case.Kind.REPORT else system_error
    response = as_user(client, people, role).get(detail(case))
    assert response.status_code == (200 if role in SEES[kind] else 403)
    if response.status_code == 200:
        html = response.content.decode()
        assert ("data-case-actions" in html) == (role in HANDLES[kind])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", [Case.Kind.REPORT, Case.Kind.SYSTEM_ERROR])
def test_only_handlers_act(client, people, report, system_error, role, kind):
    case = report if kind == Case.Kind.REPORT else system_error
    response = as_user(client, people, role).post(detail(case), {"action": "start"})
    case.refresh_from_db()
    if role in HANDLES[kind]:
        assert response.status_code == 302
        assert (case.status, case.owner) == (Case.Status.IN_PROGRESS, people[role])
    else:
        assert response.status_code == 403
        assert (case.status, case.owner) == (Case.Status.NEW, None)


def test_the_reporters_openid_is_shown_to_handlers(client, people, report):
    assert "o_secret_reporter" in as_user(client, people, "office").get(detail(report)).content.decode()
    assert as_user(client, people, "channel").get(detail(report)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, report):
    response = client.get(detail(report))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_item_is_shown_to_those_who_see_cases(client, people, role):
    html = as_user(client, people, role).get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("cases_admin:index") in html) == any(role in roles for roles in SEES.values())


# Actions through the page


def test_handling_a_report_through_the_page(client, people, report):
    office = as_user(client, people, "office")
    office.post(detail(report), {"action": "assign_me"})
    office.post(detail(report), {"action": "start"})
    office.post(detail(report), {"action": "note", "note": "已联系评论作者。"})
    later = timezone.localtime(report.deadline + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    office.post(detail(report), {"action": "extend", "deadline": later, "reason": "等待保卫处回复"})
    response = office.post(detail(report), {"action": "resolve", "note": "评论已删除，作者已拉黑（A13）。"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.owner) == (Case.Status.RESOLVED, people["office"])
    assert list(report.events.values_list("action", flat=True)) == [
        "opened",
        "assigned",
        "started",
        "note",
        "extended",
        "resolved",
    ]
    page = office.get(detail(report)).content.decode()
    assert "评论已删除" in page and "等待保卫处回复" in page and "data-case-actions" not in page


def test_assigning_to_another_handler(client, people, report):
    response = as_user(client, people, "policy").post(
        detail(report), {"action": "assign", "owner": people["office"].pk}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.owner == people["office"]


def test_assigning_to_someone_who_may_not_handle_is_refused(client, people, report):
    response = as_user(client, people, "office").post(
        detail(report), {"action": "assign", "owner": people["channel"].pk}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.owner is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "resolve", "note": ""}, "resolve_form"),
        ({"action": "dismiss", "reason": "  "}, "dismiss_form"),
        ({"action": "extend", "deadline": "tomorrow", "reason": "x"}, "extend_form"),
        ({"action": "note", "note": ""}, "note_form"),
    ],
)
def test_a_step_without_its_text_is_refused_at_the_field(client, people, report, data, field):
    response = as_user(client, people, "office").post(detail(report), data)
    assert response.status_code == 400
    assert response.context[field].errors
    report.refresh_from_db()
    assert report.status == Case.Status.NEW
    assert list(report.events.values_list("action", flat=True)) == ["opened"]


def test_an_earlier_deadline_is_refused_with_a_message(client, people, report):
    earlier = timezone.localtime(report.deadline - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(client, people, "office").post(
        detail(report), {"action": "extend", "deadline": earlier, "reason": "x"}, follow=True
    )
    assert "later than now" in response.content.decode() or "晚于" in response.content.decode()
    assert not report.events.filter(action=CaseEvent.Action.EXTENDED).exists()


def test_acting_on_a_closed_case_is_refused_with_a_message(client, people, report):
    cases.dismiss(report, people["office"], "Spam.")
    response = as_user(client, people, "office").post(detail(report), {"action": "start"}, follow=True)
    assert report.number in response.content.decode()
    report.refresh_from_db()
    assert report.status == Case.Status.DISMISSED


def test_an_unknown_action_is_refused(client, people, report):
    assert as_user(client, people, "office").post(detail(report), {"action": "delete"}).status_code == 403


# Filters and lateness


def test_filters_kind_status_late_and_mine(client, people, db):
    late = cases.open_report("迟到的举报", Case.Source.SITE, now=timezone.now() - datetime.timedelta(days=3))
    fresh = cases.open_report("新的举报", Case.Source.SITE)
    closed = cases.dismiss(cases.open_report("已处理", Case.Source.SITE), people["office"], "Spam.")
    error = cases.open_system_error("boom", key="push:5")[0]
    cases.assign(fresh, people["office"], people["office"])
    policy = as_user(client, people, "policy")

    def listed(**query):
        html = policy.get(reverse("cases_admin:index"), query).content.decode()
        return {case.number for case in (late, fresh, closed, error) if case.number in html}

    assert listed() == {late.number, fresh.number, error.number}  # open by default
    assert listed(status="") == {late.number, fresh.number, closed.number, error.number}
    assert listed(status="open", kind="system_error") == {error.number}
    assert listed(status="open", late="on") == {late.number}
    assert listed(status="dismissed") == {closed.number}
    assert listed(status="open", mine="on") == set()  # the policy administrator owns none
    client.force_login(people["office"])
    assert listed(status="open", mine="on") == {fresh.number}


def test_a_late_case_is_marked(client, people, db):
    late = cases.open_report("迟到的举报", Case.Source.SITE, now=timezone.now() - datetime.timedelta(days=3))
    office = as_user(client, people, "office")
    assert "data-late" in office.get(reverse("cases_admin:index")).content.decode()
    assert "data-late" in office.get(detail(late)).content.decode()


# The dashboard panel


def test_the_dashboard_lists_open_cases_for_their_handlers(client, people, report, system_error):
    def panel(role):
        html = as_user(client, people, role).get(reverse("wagtailadmin_home")).content.decode()
        return {case.number for case in (report, system_error) if case.number in html}

    assert panel("office") == {report.number}
    assert panel("channel") == {system_error.number}
    assert panel("policy") == {report.number}  # handles reports; sees system errors in the index only
    assert panel("head_a") == set()


def test_the_index_costs_the_same_queries_for_one_case_or_many(client, people, report):
    """Owners and accounts come with the cases: the list does not grow a query per case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_user(client, people, "office")
    cases.assign(report, people["office"], people["office"])
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("cases_admin:index")).status_code == 200

    for n in range(30):
        case = cases.open_report(f"举报 第{n}条", Case.Source.SITE, summary=f"第{n}条")
        cases.assign(case, people["office"], people["policy"] if n % 2 else people["office"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases_admin:index"))

    assert response.content.decode().count("<tr data-case=") == 31
    assert len(many) == len(one)
