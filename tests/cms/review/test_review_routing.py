"""Nobody swallows material (A6.1, A6.2.4): setup refuses a department without reviewers, and a head who leaves
hands the first stage to the supervising leader (the office when the whole line is empty), with a warning."""

import pytest
from django.urls import reverse

from cms.contributions.forms import ContributionForm
from cms.models import Department, DepartmentHeadTask, SupervisingLeaderTask
from cms.people.roles import group_for
from cms.review.actions import ReviewRefused
from tests.factories import make_user
from tests.review_steps import act, current, stage_type, submit

DEPARTMENT_FORM = "/admin/departments/new/"


@pytest.fixture
def policy_client(client, people):
    client.force_login(people["policy"])
    return client


def form(**values):
    return {"name": "团委", "code": "youth-league", "active": "on", **values}


# -- setup ----------------------------------------------------------------------------------------------------


def test_an_active_department_without_a_head_or_leader_is_refused_at_its_fields(policy_client, people):
    response = policy_client.post(DEPARTMENT_FORM, form())
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "科室负责人" in errors["heads"][0] and "A6.1" in errors["heads"][0]
    assert "分管领导" in errors["supervising_leader"][0]
    assert not Department.objects.filter(code="youth-league").exists()


@pytest.mark.parametrize("who", ["no role", "deactivated"], ids=["head-without-the-role", "head-who-cannot-sign-in"])
def test_a_head_who_cannot_review_does_not_count(policy_client, people, who):
    head = make_user("not_a_head") if who == "no role" else make_user("gone", "department_head", is_active=False)
    response = policy_client.post(DEPARTMENT_FORM, form(heads=[head.pk], supervising_leader=people["leader_a"].pk))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["heads"]
    assert not Department.objects.filter(code="youth-league").exists()


def test_a_leader_without_the_role_is_refused(policy_client, people):
    response = policy_client.post(
        DEPARTMENT_FORM, form(heads=[people["head_a"].pk], supervising_leader=people["office"].pk)
    )
    assert list(response.context["form"].errors) == ["supervising_leader"]


def test_a_staffed_department_is_saved_and_an_inactive_one_needs_nobody(policy_client, people):
    response = policy_client.post(
        DEPARTMENT_FORM, form(heads=[people["head_a"].pk], supervising_leader=people["leader_a"].pk)
    )
    assert response.status_code == 302
    assert Department.objects.get(code="youth-league").heads.get() == people["head_a"]
    response = policy_client.post(DEPARTMENT_FORM, {"name": "旧科室", "code": "old"})
    assert response.status_code == 302
    assert not Department.objects.get(code="old").active


def test_editing_a_department_into_an_unstaffed_state_is_refused(policy_client, people):
    dept = people["dept_a"]
    response = policy_client.post(
        reverse("departments:edit", args=[dept.pk]),
        {"name": dept.name, "code": dept.code, "active": "on", "supervising_leader": people["leader_a"].pk},
    )
    assert response.status_code == 200
    assert list(dept.heads.all()) == [people["head_a"]]


# -- runtime fallback when the head leaves ----------------------------------------------------------------


def leaves(people, how):
    head = people["head_a"]
    if how == "deactivated":
        head.is_active = False
        head.save()
    elif how == "role removed":
        head.groups.remove(group_for("department_head"))
    else:
        people["dept_a"].heads.remove(head)


def awaiting(user):
    """What Wagtail's "Awaiting your review" shows `user`: the department head stage's moderatable states."""
    task = DepartmentHeadTask.objects.get()
    return {int(state.workflow_state.object_id) for state in task.get_task_states_user_can_moderate(user)}


@pytest.mark.parametrize("how", ["deactivated", "role removed", "headship removed"])
def test_when_the_head_leaves_the_supervising_leader_takes_the_first_stage(article_factory, people, how):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    assert awaiting(people["leader_a"]) == set()  # while the head is there, the head reviews first
    leaves(people, how)

    assert awaiting(people["leader_a"]) == {page.pk}
    assert awaiting(people["leader_b"]) == set() and awaiting(people["head_b"]) == set()
    assert list(current(page).task.specific.reviewers(page)) == [people["leader_a"]]
    with pytest.raises(ReviewRefused):
        act(page, people["head_b"], "approve")
    act(page, people["leader_a"], "approve")
    assert stage_type(page) is SupervisingLeaderTask  # the second stage is still the leader's own


def test_the_former_head_can_no_longer_act(article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    leaves(people, "role removed")
    with pytest.raises(ReviewRefused):
        act(page, people["head_a"], "approve")
    assert stage_type(page) is DepartmentHeadTask


def test_with_nobody_in_the_line_the_office_reviews_both_department_stages(article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    leaves(people, "deactivated")
    people["leader_a"].is_active = False
    people["leader_a"].save()
    assert awaiting(people["office"]) == {page.pk}
    act(page, people["office"], "approve")
    assert stage_type(page) is SupervisingLeaderTask
    act(page, people["office"], "approve")
    assert awaiting(people["office"]) == set()


def test_the_stage_started_email_goes_to_the_stand_in(
    article_factory, people, mailoutbox, django_capture_on_commit_callbacks
):
    leaves(people, "headship removed")
    with django_capture_on_commit_callbacks(execute=True):
        submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    assert [message.to for message in mailoutbox] == [[people["leader_a"].email]]


# -- the public form and the office's warning ---------------------------------------------------------------


def test_the_public_form_offers_only_departments_someone_reviews(people):
    people["dept_a"].heads.clear()  # the leader stands in: still offered
    people["dept_b"].heads.clear()
    people["dept_b"].supervising_leader = None
    people["dept_b"].save()
    field = ContributionForm().fields["department"]
    assert list(field.queryset) == [people["dept_a"]]
    bound = ContributionForm(data={"department": people["dept_b"].pk})
    assert not bound.is_valid()
    assert bound.errors["department"] == [str(field.error_messages["invalid_choice"])]


@pytest.mark.parametrize("role", ["office", "policy"])
def test_the_office_is_warned_on_its_dashboard(client, people, role):
    people["dept_a"].heads.clear()
    client.force_login(people[role])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-newsroom-unstaffed-departments" in html
    assert 'data-department="a"' in html and 'data-department="b"' not in html
    assert "leader_a" in html or people["leader_a"].get_full_name() in html


@pytest.mark.parametrize("role", ["contributor", "head_b", "leader_b", "channel"])
def test_nobody_else_sees_the_warning(client, people, role):
    people["dept_a"].heads.clear()
    client.force_login(people[role])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "data-newsroom-unstaffed-departments" not in html


def test_no_warning_while_every_department_is_staffed(client, people):
    client.force_login(people["office"])
    assert "data-newsroom-unstaffed-departments" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_database_check_warns_about_a_department_without_a_head(people):
    from django.core.checks import run_checks

    people["dept_a"].heads.clear()
    warnings = [w for w in run_checks(databases=["default"]) if w.id == "newsroom.W001"]
    assert [w.obj for w in warnings] == [people["dept_a"]]
    assert "no head" in warnings[0].msg and "supervising leader" in warnings[0].msg
