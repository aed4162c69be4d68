"""Whom the credentials can be given (A6.6.1, 专人管理): members of staff only, each told apart by department and
login; the site says who is staff (`WECHAT_CHANNEL["PEOPLE"]`, `cms/channel/people.py`)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import Person, PersonKind
from tests.factories import make_user
from wechat_channel.credentials import services as credentials
from wechat_channel.models import CredentialHolder

pytestmark = pytest.mark.django_db


def url(account):
    return f"/admin/credentials/{account.pk}/"


def person(user, name, kind, number, department=None):
    user.first_name = name
    user.save()
    return Person.objects.create(user=user, name=name, kind=kind, number=number, department=department)


@pytest.fixture
def teachers(people):
    """Two 李老师 in two departments (staff, contributors by role), and a student and a bare contributor."""
    li_a = make_user("li_a", "contributor")
    person(li_a, "李老师", PersonKind.STAFF, "T001", people["dept_a"])
    li_b = make_user("li_b", "contributor")
    person(li_b, "李老师", PersonKind.STAFF, "T002", people["dept_b"])
    # A student who is also an office editor (the student newsroom) is still a student.
    student = make_user("student_editor", "office_editor")
    person(student, "王同学", PersonKind.STUDENT, "2026000002", people["dept_a"])
    bare = make_user("bare_contributor", "contributor")
    return {"li_a": li_a, "li_b": li_b, "student": student, "bare": bare}


def options(client, account):
    html = client.get(url(account)).content.decode()
    select = re.search(r'<select name="assign-user".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select))


def test_two_teachers_of_one_name_are_told_apart_by_department_and_login(account, people, client, teachers):
    client.force_login(people["channel"])
    offered = options(client, account)

    assert offered[str(teachers["li_a"].pk)] == "李老师（学生处 · li_a）"
    assert offered[str(teachers["li_b"].pk)] == "李老师（教务科 · li_b）"


def test_students_and_bare_contributors_are_not_offered(account, people, client, teachers):
    client.force_login(people["channel"])
    offered = options(client, account)

    assert str(teachers["student"].pk) not in offered
    assert str(teachers["bare"].pk) not in offered
    assert str(people["contributor"].pk) not in offered  # the student 张同学's account


def test_role_holders_without_a_person_row_are_staff_and_show_the_department_they_head(account, people, client):
    client.force_login(people["channel"])
    offered = options(client, account)

    assert offered[str(people["head_a"].pk)] == "head_a（学生处）"
    assert offered[str(people["leader_b"].pk)] == "leader_b（教务科）"
    assert offered[str(people["channel"].pk)] == "channel"


def test_a_deactivated_member_of_staff_and_a_current_holder_are_not_offered(account, people, client, teachers):
    credentials.assign(account, teachers["li_a"], by=people["channel"])
    teachers["li_b"].is_active = False
    teachers["li_b"].save()
    client.force_login(people["channel"])
    offered = options(client, account)

    assert str(teachers["li_a"].pk) not in offered and str(teachers["li_b"].pk) not in offered


def test_posting_a_students_id_assigns_nothing(account, people, client, teachers):
    client.force_login(people["channel"])
    response = client.post(url(account), {"action": "assign", "assign-user": teachers["student"].pk})

    assert response.status_code == 200
    assert not CredentialHolder.objects.exists()


@pytest.mark.parametrize("bad", ["²", "99999999999999999999", "-1", "", "1 OR 1=1", "<script>"])
def test_a_hostile_person_id_is_a_field_error_not_a_500(account, people, client, bad):
    client.force_login(people["channel"])
    response = client.post(url(account), {"action": "assign", "assign-user": bad})

    assert response.status_code == 200
    assert not CredentialHolder.objects.exists()


def test_the_service_refuses_a_student_whoever_calls_it(account, people, teachers):
    with pytest.raises(credentials.CredentialError, match=r"A6\.6\.1"):
        credentials.assign(account, teachers["student"], by=people["channel"])
    assert not CredentialHolder.objects.exists()
    assert credentials.assign(account, teachers["li_b"], by=people["channel"]).holder_name == "李老师"


def test_without_a_people_adapter_every_active_account_is_offered(account, people, client, teachers, settings):
    settings.WECHAT_CHANNEL = {key: value for key, value in settings.WECHAT_CHANNEL.items() if key != "PEOPLE"}
    client.force_login(people["channel"])
    offered = options(client, account)

    assert str(teachers["student"].pk) in offered
    assert offered[str(teachers["li_a"].pk)] == "李老师（li_a）"


def test_the_picker_costs_the_same_queries_for_few_or_many_staff(account, people, client, teachers):
    client.force_login(people["channel"])
    client.get(url(account))  # warm caches (permissions, site, policy)
    with CaptureQueriesContext(connection) as few:
        client.get(url(account))
    for n in range(30):
        user = make_user(f"staff{n}", "contributor")
        person(user, f"教师{n}", PersonKind.STAFF, f"T1{n:02d}", people["dept_a" if n % 2 else "dept_b"])
    with CaptureQueriesContext(connection) as many:
        offered = options(client, account)
    assert len(offered) >= 30 + 2
    assert len(many) == len(few)
