"""The first-run checklist (cms/onboarding/): on the office head's dashboard until the WeChat account is connected,
this year's and next year's calendar entered, every department has a head and a supervising leader (A6.1), and
the policy has been reviewed and activated (issue 14)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cms.models import Department
from cms.onboarding import checklist
from policy_rules.models import PolicyEvent, PolicyVersion
from tests.factories import make_user
from tests.wechat_channel.admin_factories import make_account

pytestmark = pytest.mark.django_db
WINTER = datetime.date(2026, 12, 6)  # the official calendar package ends with 2026
SUMMER = datetime.date(2025, 6, 1)  # it covers this year and the next


@pytest.fixture
def office_head():
    return make_user("policy", "policy_admin")


def by_key(user, today):
    return {step.key: step for step in checklist.steps(user, today)}


def staffed(name, code):
    department = Department.objects.create(
        name=name, code=code, supervising_leader=make_user(f"leader-{code}", "supervising_leader")
    )
    department.heads.add(make_user(f"head-{code}", "department_head"))
    return department


def everything_set_up(user):
    make_account()
    staffed("学生处", "xsc")
    # As versions.activate records it; its gates are tested in tests/policy_rules.
    PolicyEvent.objects.create(version=PolicyVersion.objects.get(), action=PolicyEvent.Action.ACTIVATED, actor=user)


def test_a_new_institution_has_every_step_still_to_do(office_head):
    steps = by_key(office_head, WINTER)
    assert [key for key, step in steps.items() if not step.done] == [
        "wechat_account",
        "calendar",
        "departments",
        "policy",
    ]
    assert "2027" in steps["calendar"].detail
    assert "还没有科室" in steps["departments"].detail
    assert "渠道管理员" in steps["wechat_account"].detail and steps["wechat_account"].url == ""  # A15: not theirs


def test_departments_without_a_head_or_a_leader_are_named(office_head):
    staffed("学生处", "xsc")
    Department.objects.create(name="宣传科", code="xck")
    Department.objects.create(name="停用科", code="off", active=False)  # an inactive one is not asked for
    step = by_key(office_head, WINTER)["departments"]
    assert not step.done and step.detail == "1 个科室缺少负责人或分管领导：宣传科"


def test_every_step_done(office_head):
    everything_set_up(office_head)
    assert checklist.is_done(checklist.steps(office_head, SUMMER))
    assert not by_key(office_head, WINTER)["calendar"].done  # next year must be entered before it comes


def test_the_checklist_costs_the_same_queries_for_two_departments_or_twenty(office_head):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            checklist.steps(office_head, WINTER)
        return len(captured)

    for n in range(2):
        Department.objects.create(name=f"科室{n}", code=f"d{n}")
    queries()  # the user's permissions are cached on the first call
    few = queries()
    for n in range(2, 20):
        Department.objects.create(name=f"科室{n}", code=f"d{n}")
    assert queries() == few


def dashboard(user):
    client = Client()
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_the_office_head_sees_it_on_the_dashboard_until_done(office_head, monkeypatch):
    page = dashboard(office_head)
    assert "data-onboarding-checklist" in page and "初始设置：已完成 0 / 4 项" in page

    everything_set_up(office_head)
    monkeypatch.setattr(checklist.calendar, "uncovered_years", lambda today=None, ahead=1: [])
    assert "data-onboarding-checklist" not in dashboard(office_head)


def test_only_the_office_head_and_superusers_see_it():
    assert "data-onboarding-checklist" in dashboard(make_user("root", is_superuser=True))
    assert "data-onboarding-checklist" not in dashboard(make_user("office", "office_editor"))
