"""Scheduled checks: daily coverage (A11.1), weekly quotas (A8), semester close — and their schedules."""

import datetime

import pytest
from django.core import mail
from django_q.models import Schedule

from cms.models import Semester, Submission
from cms.rewards.period_checks import SCHEDULES, daily_check, semester_check, weekly_check
from tests.review_steps import submit

TUESDAY = datetime.date(2026, 11, 24)  # the Monday before is a working day
LAST_WEEK_WEDNESDAY = datetime.datetime(2026, 11, 18, 10, tzinfo=datetime.UTC)


def test_the_checks_are_scheduled_after_migrate(db):
    assert set(Schedule.objects.values_list("func", flat=True)) >= {func for _n, func, _t, _h in SCHEDULES}


def test_daily_check_tells_the_office_about_a_working_day_without_push(people):
    mail.outbox.clear()
    assert daily_check(today=TUESDAY) == 1
    message = mail.outbox[0]
    assert message.to == ["office@example.edu.cn"]
    assert "2026-11-23" in message.body


def test_daily_check_is_quiet_after_a_rest_day(people):
    mail.outbox.clear()
    assert daily_check(today=datetime.date(2026, 11, 23)) == 0  # Sunday before
    assert mail.outbox == []


def test_weekly_check_names_departments_below_quota(article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_b"]), people["contributor"])
    Submission.objects.filter(page=page).update(submitted_at=LAST_WEEK_WEDNESDAY)
    mail.outbox.clear()
    assert weekly_check(today=TUESDAY) == 1
    message = mail.outbox[0]
    assert "学生处" in message.body and "教务科" not in message.body
    assert {"office@example.edu.cn", "head_a@example.edu.cn"} <= set(message.to)
    assert "head_b@example.edu.cn" not in message.to


@pytest.mark.parametrize(("ended", "sent"), [(TUESDAY - datetime.timedelta(days=1), 1), (TUESDAY, 0)])
def test_semester_check_runs_the_day_after_the_semester(people, ended, sent):
    Semester.objects.create(name="秋季学期", start=datetime.date(2026, 9, 1), end=ended)
    mail.outbox.clear()
    assert semester_check(today=TUESDAY) == sent
    if sent:
        assert "秋季学期" in mail.outbox[0].subject and "学生处" in mail.outbox[0].body


def test_the_admin_lists_the_schedules(client, django_user_model, db):
    admin = django_user_model.objects.create_superuser("root", "root@example.edu.cn", "pw")
    client.force_login(admin)
    response = client.get("/admin/scheduled_checks/")
    assert response.status_code == 200
    assert "cms.tasks.weekly_check" in response.content.decode()


def test_channel_administrators_read_why_a_task_failed_and_others_may_not(client, people):
    """A6.5.1: the cause of a system error is readable in the admin, by those who handle system errors."""
    import uuid

    from django.utils import timezone
    from django_q.models import Task

    now = timezone.now()
    failed = Task.objects.create(
        id=uuid.uuid4().hex,
        name="quebec-alpha",
        func="wechat_channel.callbacks.process_event",
        args=(7,),
        started=now,
        stopped=now,
        success=False,
        result="RuntimeError: the case table is locked",
    )
    client.force_login(people["channel"])
    listing = client.get("/admin/failed_tasks/")
    assert listing.status_code == 200 and "wechat_channel.callbacks.process_event" in listing.content.decode()
    inspect = client.get(f"/admin/failed_tasks/inspect/{failed.pk}/")
    assert "the case table is locked" in inspect.content.decode()
    assert client.get("/admin/failed_tasks/new/").status_code in (302, 403)

    client.force_login(people["contributor"])
    assert client.get("/admin/failed_tasks/").status_code in (302, 403)
    client.force_login(people["office"])
    assert client.get("/admin/failed_tasks/").status_code in (302, 403)
