"""Malformed input to the admin, the API and forms that used to end in a 500 (hole 8), attacked over HTTP.

Out-of-range weeks and dates, ids past 2**63 - 1 or written with "²" (`str.isdigit()` is true for it,
`int()` refuses it), a NUL byte in an API search, and slots and deadlines in the year 9999: each is
answered with a 400/404, the form again with its error, or the plan's refusal message, and nothing changes.
"""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from cms.cases import services as cases
from cms.models import Case, CaseEvent, Department
from tests.security.visitor import assert_no_server_error
from tests.wechat_channel.admin_factories import make_account, make_push
from wechat_channel.models import ArticleComment, Push, PushItem

# Slots in the fixed week of Monday 7 December 2026 are in the future, whatever day the tests run.
pytestmark = pytest.mark.usefixtures("clock_before_plan_week")

PLAN = "/admin/wechat/plan/"
HUGE = "9" * 20  # past 2**63 - 1


def in_chinese(text, **params):
    with translation.override("zh-hans"):
        return gettext(text) % params if params else gettext(text)


def pushes_state():
    return sorted(Push.objects.values_list("pk", "slot", "state")), sorted(PushItem.objects.values_list("pk", "push"))


@pytest.fixture
def planned(people):
    """A planned push with no articles, a day ahead: nothing in it asks the policy about a new slot."""
    return make_push(make_account(), timezone.now() + datetime.timedelta(days=1), titles=())


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "2026-W99"])
def test_a_week_outside_the_calendar_shows_this_week(signed_in, people, week):
    response = signed_in("office").get(f"{PLAN}?week={week}")
    assert_no_server_error(response)
    assert response.status_code == 200


@pytest.mark.parametrize("at", ["0001-01-01T00:00", "9999-12-31T23:59", "2000-01-01T08:00"])
def test_a_slot_in_the_past_or_far_ahead_is_refused(signed_in, planned, at):
    """A12: a push moves to a real future instant at most a year ahead; the planner reads why not."""
    before = pushes_state()

    response = signed_in("office").post(
        f"{PLAN}push/{planned.pk}/reschedule/", {"at": at, "next": PLAN}, form_path=PLAN, allow_redirects=True
    )

    assert_no_server_error(response)
    assert in_chinese("Choose a time in the future, at most a year ahead.") in response.text
    assert pushes_state() == before


@pytest.mark.parametrize("query", ["start=0001-01-01", "end=9999-12-31", "start=0001-01-01&end=9999-12-31"])
@pytest.mark.parametrize("role", ["policy", "office", "channel"])
def test_activity_dates_outside_the_records_range_show_the_form_again(signed_in, people, role, query):
    response = signed_in(role).get(f"/admin/wechat/activity/?{query}", allow_redirects=True)
    assert_no_server_error(response)
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert 'class="error-message"' in response.text or "errorlist" in response.text


@pytest.mark.parametrize("bad", ["²", "１２", HUGE, "-1"])
@pytest.mark.parametrize(
    "path", ["/admin/wechat/comments/", "/admin/wechat/pushes/", "/admin/menu-changes/add/", "/admin/wechat/plan/"]
)
def test_an_account_that_is_not_an_id_is_ignored(signed_in, people, path, bad):
    make_account()
    response = signed_in("office").get(f"{path}?account={bad}")
    assert_no_server_error(response)
    assert response.status_code == 200


@pytest.mark.parametrize("bad", ["²", HUGE])
def test_fetching_comments_of_an_account_that_is_not_an_id_changes_nothing(signed_in, people, bad):
    """With no account named, the first is fetched; its WeChat answers nothing, so nothing is stored."""
    make_account(api_base_url="http://127.0.0.1:9")  # WeChat refuses at once
    response = signed_in("office").post(
        "/admin/wechat/comments/fetch/", {"account": bad}, form_path="/admin/wechat/comments/"
    )
    assert_no_server_error(response)
    assert response.status_code in (302, 400)
    assert not ArticleComment.objects.exists()


@pytest.mark.parametrize("heads", [HUGE, "-" + HUGE])
def test_a_department_head_id_past_the_database_integer_is_a_field_error(signed_in, people, heads):
    before = Department.objects.count()
    response = signed_in("policy").post(
        "/admin/departments/new/", {"name": "新部门", "code": "new", "heads": [heads], "active": "on"}
    )
    assert_no_server_error(response)
    assert response.status_code in (200, 400)
    assert "heads" in response.text and ("error" in response.text)
    assert Department.objects.count() == before


@pytest.mark.parametrize("query", [f"offset={HUGE}", "offset=1000000001", "search=%00", "search=a%00b", "title=%00"])
def test_the_api_answers_a_bad_query_with_its_400(visitor, site_tree, query):
    response = visitor.get(f"/api/v2/pages/?{query}")
    assert_no_server_error(response)
    assert response.status_code == 400
    assert set(response.json()) == {"message"}


@pytest.mark.parametrize("deadline", ["9999-12-31T23:59", "late"])
def test_a_case_deadline_cannot_be_extended_beyond_the_bound(signed_in, people, deadline):
    """A6.5: one extension moves the deadline at most 30 days; a deadline in 9999 would turn escalation off."""
    case = cases.open_report("举报内容", Case.Source.SITE)
    if deadline == "late":
        too_late = case.deadline + cases.MAX_EXTENSION + datetime.timedelta(hours=1)
        deadline = timezone.localtime(too_late).strftime("%Y-%m-%dT%H:%M")
    path, before = f"/admin/cases/{case.pk}/", case.deadline

    response = signed_in("office").post(path, {"action": "extend", "deadline": deadline, "reason": "等待回复"})

    assert_no_server_error(response)
    assert response.status_code == 400
    assert in_chinese("The new deadline may be at most %(days)d days after the current one.", days=30) in response.text
    assert Case.objects.get(pk=case.pk).deadline == before
    assert not CaseEvent.objects.filter(case=case, action=CaseEvent.Action.EXTENDED).exists()


def test_a_case_deadline_within_the_bound_is_extended(signed_in, people):
    case = cases.open_report("举报内容", Case.Source.SITE)
    later = timezone.localtime(case.deadline + datetime.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")

    response = signed_in("office").post(
        f"/admin/cases/{case.pk}/", {"action": "extend", "deadline": later, "reason": "等待回复"}
    )

    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, action=CaseEvent.Action.EXTENDED).exists()


@pytest.mark.parametrize("text", ["²", "１２", HUGE + "9", "-1", ""])
def test_the_policys_readers_take_a_superscript_for_text_not_a_number(text):
    """Report rows sort by id and policy errors are placed by path: "²" passed `.isdigit()` and failed `int()`."""
    from policy_rules.form_errors import _number_or_text
    from policy_rules.params import parse_number
    from policy_rules.reports.rows import id_order

    assert parse_number(text) is None
    assert id_order(text) == (1, 0, text)
    assert _number_or_text(text) == text
    assert id_order("12") == (0, 12, "") and _number_or_text("3") == 3
