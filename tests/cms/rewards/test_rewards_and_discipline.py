"""Office acceptance rewards (A17–A19) and error thresholds (A20), decided by the active policy."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.models import DisciplineNotice, Person, PointAward, ProviderKind, ReviewError, Semester
from cms.rewards.discipline import check_department
from cms.rewards.points import award_points
from tests.review_steps import CHECKED, act, submit


@pytest.fixture
def semester(db):
    today = timezone.localdate()
    return Semester.objects.create(
        name="本学期", start=today - datetime.timedelta(days=30), end=today + datetime.timedelta(days=60)
    )


def accept(page, people, on_commit):
    with on_commit(execute=True):
        act(page, people["head_a"], "approve")
        act(page, people["leader_a"], "approve")
        act(page, people["office"], "approve", **CHECKED)


def personal(article_factory, people, person, kind=ProviderKind.STUDENT):
    return submit(
        article_factory(
            owner=people["contributor"],
            department=people["dept_a"],
            provider_kind=kind,
            contributor=person,
            text_author=person.name,
        ),
        people["contributor"],
    )


def test_student_own_submission_earns_a_point_and_a_thank_you(
    article_factory, people, semester, django_capture_on_commit_callbacks
):
    page = personal(article_factory, people, people["student"])
    mail.outbox.clear()
    accept(page, people, django_capture_on_commit_callbacks)
    award = PointAward.objects.get(page=page)
    assert (award.person, award.points, award.semester, award.policy_version) == (
        people["student"],
        1,
        semester,
        "default@v1",
    )
    thanks = [m for m in mail.outbox if "student@example.edu.cn" in m.to]
    assert len(thanks) == 1 and page.title in thanks[0].subject


def test_staff_own_submission_is_thanked_without_points(
    article_factory, people, semester, django_capture_on_commit_callbacks
):
    staff = Person.objects.create(
        name="李老师", kind="staff", number="T001", department=people["dept_a"], email="teacher@example.edu.cn"
    )
    page = personal(article_factory, people, staff, kind=ProviderKind.STAFF)
    mail.outbox.clear()
    accept(page, people, django_capture_on_commit_callbacks)
    assert not PointAward.objects.exists()
    assert any("teacher@example.edu.cn" in m.to for m in mail.outbox)


def test_department_submission_earns_nothing(article_factory, people, semester, django_capture_on_commit_callbacks):
    page = submit(
        article_factory(owner=people["contributor"], department=people["dept_a"], contributor=people["student"]),
        people["contributor"],
    )
    mail.outbox.clear()
    accept(page, people, django_capture_on_commit_callbacks)
    assert not PointAward.objects.exists()  # A19
    assert not any("student@example.edu.cn" in m.to for m in mail.outbox)


def test_points_are_capped_at_twenty_a_semester(article_factory, people, semester):
    awards = [
        award_points(
            article_factory(
                provider_kind=ProviderKind.STUDENT,
                department=people["dept_a"],
                contributor=people["student"],
                text_author="张同学",
            )
        )
        for _ in range(22)
    ]
    assert [a.points for a in awards] == [1] * 20 + [0, 0]
    assert award_points(awards[0].page) == awards[0]  # a second call changes nothing


def record_errors(article_factory, people, count, provider_kind=ProviderKind.DEPARTMENT, reason="typo"):
    extra = {"contributor": people["student"], "text_author": "张同学"} if provider_kind != "department" else {}
    for _ in range(count):
        page = submit(
            article_factory(
                owner=people["contributor"], department=people["dept_a"], provider_kind=provider_kind, **extra
            ),
            people["contributor"],
        )
        act(page, people["head_a"], "reject", reason=reason, comment="错")


def test_five_errors_warn_the_head_and_eight_escalate_once_each(
    article_factory, people, semester, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_errors(article_factory, people, 4)
    assert not DisciplineNotice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record_errors(article_factory, people, 1)
    warning = DisciplineNotice.objects.get()
    assert (warning.level, warning.errors, warning.policy_version) == ("warning", 5, "default@v1")
    assert any("head_a@example.edu.cn" in m.to and "学生处" in m.subject for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        record_errors(article_factory, people, 4)  # 9 errors: crosses 8 once
    assert list(DisciplineNotice.objects.order_by("created_at").values_list("level", flat=True)) == [
        "warning",
        "escalation",
    ]
    assert any("leader_a@example.edu.cn" in m.to for m in mail.outbox)
    actions = set(ModelLogEntry.objects.filter(object_id=str(people["dept_a"].pk)).values_list("action", flat=True))
    assert {"newsroom.discipline.warning", "newsroom.discipline.escalation"} <= actions


def test_personal_material_and_other_reasons_never_count(article_factory, people, semester):
    record_errors(article_factory, people, 6, provider_kind=ProviderKind.STUDENT)
    record_errors(article_factory, people, 6, reason="layout")
    assert ReviewError.objects.count() == 6
    assert check_department(people["dept_a"].pk) == []
    assert not DisciplineNotice.objects.exists()


def test_the_dashboard_shows_notices_to_the_people_they_concern(
    client, article_factory, people, semester, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_errors(article_factory, people, 5)
    for username, shown in (("head_a", True), ("leader_a", True), ("office", True), ("head_b", False)):
        client.force_login(people[username])
        html = client.get("/admin/").content.decode()
        assert ("data-newsroom-discipline-panel" in html) is shown, username
        if shown:
            assert "学生处" in html
