"""The staff duty report (A21): staff must follow the account; the office sees who has not bound or has left."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.models import Person
from cms.staff_duty import services as staff_duty
from cms.staff_duty.services import DutyStatus
from tests.wechat_channel.admin_factories import make_account
from wechat_channel.models import FollowerBinding

S = FollowerBinding.Subscription
URL = "/admin/staff-duty/"


def staff(name, department, username=None, number=None):
    user = get_user_model().objects.create_user(username=username, password="pw") if username else None
    return Person.objects.create(name=name, kind="staff", number=number or name, department=department, user=user)


def bound(person, account, subscription=S.UNKNOWN, openid=None):
    return FollowerBinding.objects.create(
        user=person.user,
        account=account,
        openid=openid or f"o{person.pk:027d}",
        bound_at=timezone.now(),
        subscription=subscription,
        subscription_at=timezone.now() if subscription != S.UNKNOWN else None,
    )


@pytest.fixture
def duty(people):
    """One account; in department A a follower, a leaver, one unchecked and one unbound; in B one without login."""
    account = make_account(name="新闻中心")
    a, b = people["dept_a"], people["dept_b"]
    rows = {
        "follows": staff("王老师", a, "wang"),
        "left": staff("李老师", a, "li"),
        "unchecked": staff("赵老师", a, "zhao"),
        "unbound": staff("钱老师", a, "qian"),
        "no_login": staff("孙老师", b),
    }
    bound(rows["follows"], account, S.SUBSCRIBED)
    bound(rows["left"], account, S.UNSUBSCRIBED)
    bound(rows["unchecked"], account)
    rows["account"] = account
    return rows


def statuses(rows):
    return {row.person.name: row.status for row in rows}


def test_every_member_of_staff_has_a_row_per_account_with_their_state(duty):
    rows = staff_duty.duty_rows()

    assert statuses(rows) == {
        "王老师": DutyStatus.SUBSCRIBED,
        "李老师": DutyStatus.UNSUBSCRIBED,
        "赵老师": DutyStatus.UNKNOWN,
        "钱老师": DutyStatus.NOT_BOUND,
        "孙老师": DutyStatus.NO_ACCOUNT,
    }
    assert "张同学" not in statuses(rows)  # students have no duty under A21
    assert {row.person.name for row in rows if row.criticised} == {"李老师", "钱老师", "孙老师"}
    assert staff_duty.counts(rows) == {
        "no_account": 1,
        "not_bound": 1,
        "unsubscribed": 1,
        "unknown": 1,
        "subscribed": 1,
    }


def test_a_second_account_gives_each_member_of_staff_a_second_row(duty):
    make_account(name="团委")
    rows = staff_duty.duty_rows()
    assert len(rows) == 10
    assert staff_duty.counts(rows)["not_bound"] == 1 + 4  # nobody with a login bound the new account yet


def test_rows_filter_by_department_status_and_account(duty, people):
    assert set(statuses(staff_duty.duty_rows(department=people["dept_b"]))) == {"孙老师"}
    assert set(statuses(staff_duty.duty_rows(status=DutyStatus.UNSUBSCRIBED))) == {"李老师"}
    other = make_account(name="团委")
    assert {row.account for row in staff_duty.duty_rows(account=other)} == {other}


def test_the_report_takes_three_queries_however_many_staff(duty, people, django_assert_max_num_queries):
    for n in range(60):
        person = staff(f"教师{n}", people["dept_a"], f"teacher{n}")
        if n % 2:
            bound(person, duty["account"], S.SUBSCRIBED)
    make_account(name="团委")

    with django_assert_max_num_queries(3):
        rows = staff_duty.duty_rows()
        assert all(row.person.department.name and (row.person.user is None or row.person.user.username) for row in rows)

    assert len(rows) == 2 * 65


def _page_queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_for_sixty_staff_as_for_five(client, duty, people):
    few = _page_queries(client, people["office"])
    for n in range(60):
        bound(staff(f"教师{n}", people["dept_a"], f"teacher{n}"), duty["account"], S.SUBSCRIBED)
    assert _page_queries(client, people["office"]) == few


@pytest.mark.parametrize(
    ("username", "allowed", "may_check", "may_unbind"),
    [
        ("office", True, True, False),
        ("policy", True, False, False),  # the office head
        ("channel", True, True, True),
        ("contributor", False, False, False),
        ("head_a", False, False, False),
        ("leader_a", False, False, False),
        ("college_leader", False, False, False),
    ],
)
def test_who_may_see_the_report_check_and_unbind(client, duty, people, username, allowed, may_check, may_unbind):
    client.force_login(people[username])
    response = client.get(URL)
    csv_response = client.get(URL, {"format": "csv"})
    assert (URL in client.get("/admin/").content.decode()) is allowed  # the Reports menu item
    if not allowed:
        assert response.status_code == 403 and csv_response.status_code == 403
        return
    html = response.content.decode()
    assert response.status_code == 200 and csv_response.status_code == 200
    assert ("data-duty-check" in html) is may_check
    assert (reverse("wechat_admin:unbind", args=[duty["left"].user.wechat_bindings.get().pk]) in html) is may_unbind


def test_a_superuser_sees_the_report(client, duty):
    admin = get_user_model().objects.create_superuser("root", password="pw")
    client.force_login(admin)
    assert client.get(URL).status_code == 200


def test_the_page_filters_and_its_csv_is_the_criticism_list(client, duty, people):
    client.force_login(people["office"])
    page = client.get(URL, {"department": people["dept_a"].pk, "status": "not_bound"}).content.decode()
    assert 'data-status="not_bound"' in page and "钱老师" in page and "孙老师" not in page and "王老师" not in page

    response = client.get(URL, {"status": "unsubscribed", "format": "csv"})

    assert response["Content-Disposition"].startswith('attachment; filename="staff-duty-')
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(lines) == 2
    assert lines[1][:5] == ["李老师", "李老师", "学生处", "li", "新闻中心"]
    assert lines[1][5] == str(DutyStatus.UNSUBSCRIBED.label)
