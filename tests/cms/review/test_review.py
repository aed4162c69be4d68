"""The three-stage review (A6.1, A6.2): paths, send-backs, checklist, routing, audit and e-mail."""

import pytest
from django.core import mail
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from cms.models import (
    ArticlePage,
    DepartmentHeadTask,
    OfficeReviewTask,
    ProviderKind,
    ReviewError,
    SendBack,
    Submission,
    SupervisingLeaderTask,
)
from cms.review.actions import ReviewRefused
from cms.review.forms import CHECKLIST_KEYS
from tests.review_steps import CHECKED, act, current, stage_type, submit


@pytest.fixture
def dept_article(article_factory, people):
    return submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])


def approve_all(page, people):
    act(page, people["head_a"], "approve")
    act(page, people["leader_a"], "approve")
    act(page, people["office"], "approve", **CHECKED)


def test_department_material_passes_three_stages_and_is_published(dept_article, people):
    assert stage_type(dept_article) is DepartmentHeadTask
    act(dept_article, people["head_a"], "approve")
    assert stage_type(dept_article) is SupervisingLeaderTask
    act(dept_article, people["leader_a"], "approve")
    assert stage_type(dept_article) is OfficeReviewTask
    submission = Submission.objects.get(page=dept_article)
    assert submission.reached_office_at is not None  # A16 lead time starts here
    act(dept_article, people["office"], "approve", **CHECKED)

    dept_article.refresh_from_db()
    assert dept_article.live
    state = WorkflowState.objects.get(object_id=str(dept_article.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    office_state = TaskState.objects.get(
        workflow_state=state, task__name__isnull=False, status="approved", content_type__model="officereviewtaskstate"
    ).specific
    assert office_state.checklist == CHECKLIST_KEYS
    assert Submission.objects.get(page=dept_article).accepted_at is not None


def test_office_article_goes_to_office_review_only(article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    assert stage_type(page) is OfficeReviewTask
    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert page.live


@pytest.mark.parametrize(
    ("stage_reviewers", "reviewer"),
    [([], "head_a"), (["head_a"], "leader_a"), (["head_a", "leader_a"], "office")],
    ids=["department-head", "supervising-leader", "office"],
)
def test_sent_back_at_each_stage_then_resubmitted(dept_article, people, stage_reviewers, reviewer):
    for earlier in stage_reviewers:
        act(dept_article, people[earlier], "approve")
    act(dept_article, people[reviewer], "reject", reason="layout", comment="请调整图片顺序")

    state = WorkflowState.objects.get(object_id=str(dept_article.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    send_back = SendBack.objects.get(page=dept_article)
    assert (send_back.reason, send_back.comment, send_back.reviewer) == ("layout", "请调整图片顺序", people[reviewer])
    assert not ReviewError.objects.exists()  # layout is not an A20 error

    # The provider revises and resubmits; review resumes at the stage that sent it back.
    revision = dept_article.get_latest_revision_as_object()
    revision.title = "修改后的标题"
    revision.save_revision(user=people["contributor"])
    state.resume(user=people["contributor"])
    assert current(dept_article).task.specific.__class__ is type(
        TaskState.objects.get(send_back=send_back).task.specific
    )
    remaining = ["head_a", "leader_a", "office"][len(stage_reviewers) :]
    for name in remaining:
        act(dept_article, people[name], "approve", **(CHECKED if name == "office" else {}))
    dept_article.refresh_from_db()
    assert dept_article.live and dept_article.title == "修改后的标题"
    assert Submission.objects.get(page=dept_article).send_back_count == 1


def test_send_back_emails_provider_and_earlier_approvers(dept_article, people, django_capture_on_commit_callbacks):
    act(dept_article, people["head_a"], "approve")
    act(dept_article, people["leader_a"], "approve")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(dept_article, people["office"], "reject", reason="typo", comment="第二段有错别字")
    recipients = {address for message in mail.outbox for address in message.to}
    # The provider (who submitted) is told by Wagtail; both earlier approvers by us.
    assert {"contributor@example.edu.cn", "head_a@example.edu.cn", "leader_a@example.edu.cn"} <= recipients
    assert "office@example.edu.cn" not in recipients
    approver_mail = next(m for m in mail.outbox if "head_a@example.edu.cn" in m.to)
    assert "第二段有错别字" in approver_mail.body


@pytest.mark.parametrize("reason", ["content_mismatch", "typo"])
def test_error_reasons_record_an_error_against_the_department(dept_article, people, reason):
    act(dept_article, people["head_a"], "reject", reason=reason, comment="与事实不符")
    error = ReviewError.objects.get()
    assert (error.department, error.kind, error.provider_kind) == (people["dept_a"], reason, "department")
    actions = set(PageLogEntry.objects.filter(page=dept_article).values_list("action", flat=True))
    assert {"newsroom.review.send_back", "newsroom.review.error_recorded"} <= actions


def test_send_back_needs_reason_and_comment(dept_article, people):
    with pytest.raises(ReviewRefused):
        act(dept_article, people["head_a"], "reject", reason="typo", comment="   ")
    with pytest.raises(ReviewRefused):
        act(dept_article, people["head_a"], "reject", reason="made-up", comment="x")
    assert stage_type(dept_article) is DepartmentHeadTask
    assert not SendBack.objects.exists()


def test_office_approval_needs_every_checklist_item(article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    partial = dict(CHECKED, check_public=False)
    with pytest.raises(ReviewRefused):
        act(page, people["office"], "approve", **partial)
    page.refresh_from_db()
    assert not page.live
    assert stage_type(page) is OfficeReviewTask


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"credits": False}, "photographer"),
        ({"is_repost": True, "repost_source": ""}, "repost_source"),
        ({"provider_kind": ProviderKind.STUDENT, "text_author": ""}, "text_author"),
    ],
    ids=["credits", "repost-source", "text-author"],
)
def test_office_approval_needs_credits_and_source(article_factory, people, fields, missing):
    page = article_factory(owner=people["contributor"], department=people["dept_a"], contributor=people["student"])
    draft = page.get_latest_revision_as_object()
    for name, value in fields.items():
        if name == "credits":
            draft.photographer = ""
        else:
            setattr(draft, name, value)
    draft.save_revision(user=people["contributor"], clean=False)  # as an editor's draft may be
    submit(page, people["contributor"])
    act(page, people["head_a"], "approve")
    act(page, people["leader_a"], "approve")
    missing_label = str(ArticlePage._meta.get_field(missing).verbose_name)
    with pytest.raises(ReviewRefused, match=missing_label):
        act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert not page.live


def test_cross_department_approval_refused(dept_article, people):
    with pytest.raises(ReviewRefused):
        act(dept_article, people["head_b"], "approve")
    assert stage_type(dept_article) is DepartmentHeadTask
    act(dept_article, people["head_a"], "approve")
    with pytest.raises(ReviewRefused):
        act(dept_article, people["leader_b"], "approve")
    with pytest.raises(ReviewRefused):
        act(dept_article, people["head_a"], "approve")  # a head is not the leader stage
    assert stage_type(dept_article) is SupervisingLeaderTask


def test_pending_list_shows_only_own_department(article_factory, people):
    mine = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    theirs = submit(article_factory(owner=people["contributor"], department=people["dept_b"]), people["contributor"])

    def pending_for(user):
        return {int(ts.workflow_state.object_id) for ts in TaskState.objects.reviewable_by(user)}

    assert pending_for(people["head_a"]) == {mine.pk}
    assert pending_for(people["head_b"]) == {theirs.pk}
    assert pending_for(people["leader_a"]) == set()
    assert pending_for(people["office"]) == set()


def test_cross_department_head_gets_403_in_admin(client, dept_article, people):
    task_state = current(dept_article)
    url = f"/admin/pages/workflow/action/{dept_article.pk}/approve/{task_state.pk}/"
    client.force_login(people["head_b"])
    response = client.post(url)
    # Wagtail answers a permission failure with 403 or a redirect to the dashboard.
    assert response.status_code == 403 or response.url == "/admin/"
    assert stage_type(dept_article) is DepartmentHeadTask

    client.force_login(people["head_a"])
    response = client.post(url)
    assert response.status_code == 302
    assert stage_type(dept_article) is SupervisingLeaderTask


def test_admin_send_back_modal_requires_reason(client, dept_article, people):
    task_state = current(dept_article)
    url = f"/admin/pages/workflow/action/{dept_article.pk}/reject/{task_state.pk}/"
    client.force_login(people["head_a"])
    response = client.post(url, {"comment": "no reason given"}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    assert stage_type(dept_article) is DepartmentHeadTask
    response = client.post(url, {"reason": "typo", "comment": "错别字"})
    assert response.status_code == 302
    assert SendBack.objects.get().reason == "typo"


def test_admin_office_modal_blocks_missing_credits(client, article_factory, people):
    page = submit(
        article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE, credits=False), people["office"]
    )
    task_state = current(page)
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    client.force_login(people["office"])
    data = {"article": page.pk, **{k: "on" for k in CHECKED}}
    response = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    assert str(ArticlePage._meta.get_field("photographer").verbose_name) in response.json()["html"]
    page.refresh_from_db()
    assert not page.live


def test_audit_log_has_newsroom_actions_for_the_whole_path(dept_article, people):
    approve_all(dept_article, people)
    actions = list(PageLogEntry.objects.filter(page=dept_article).values_list("action", flat=True))
    assert actions.count("newsroom.review.approve") == 3
    assert "newsroom.review.reached_office" in actions
    assert "newsroom.review.checklist_confirmed" in actions


def test_each_stage_e_mails_its_own_reviewers(article_factory, people, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    awaiting = [m.to for m in mail.outbox if page.title in m.subject and "head_a@example.edu.cn" in m.to]
    assert awaiting == [["head_a@example.edu.cn"]]
    assert not any("head_b@example.edu.cn" in m.to for m in mail.outbox)
    for reviewer, next_address in (("head_a", "leader_a@example.edu.cn"), ("leader_a", "office@example.edu.cn")):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            act(page, people[reviewer], "approve")
        assert any(next_address in m.to for m in mail.outbox), reviewer
