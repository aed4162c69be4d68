"""The permission matrix: every role against every action (POLICY.md roles, A6.3.1, A15)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from cms.models import ProviderKind
from cms.review.actions import ReviewRefused, perform
from cms.roles import ROLES, group_for
from tests.cms.test_review import CHECKED, submit

ROLE_USERS = ["contributor", "head_a", "leader_a", "office", "college_leader", "channel", "policy"]

# action -> the users allowed to do it; everyone else in ROLE_USERS must be refused.
MATRIX = {
    "access_admin": set(ROLE_USERS),
    "add_article": {"contributor", "office"},
    "edit_others_article": {"office"},
    "publish": {"office"},
    "approve_department_head_stage": {"head_a"},
    "approve_supervising_leader_stage": {"leader_a"},
    "approve_office_stage": {"office"},
    "change_platform_settings": {"channel"},
    "change_review_routing": {"policy"},
    "manage_departments": {"policy"},
    "manage_calendar": {"policy"},
    "view_review_errors": {"office", "policy"},
    "view_policy": {"office", "policy"},
    "start_policy_draft": {"policy"},
    "view_weekly_plan": {"office", "channel"},
    "change_wechat_accounts": {"channel"},
    "view_credential_holders": {"channel", "policy"},  # A6.6: the office head sees them
    "assign_credential_holder": {"channel"},  # A15: only channel administrators change them
    "moderate_comments": {"office", "channel"},  # A13: the office deletes illegal comments and blacklists
    # A6.4: menu changes are proposed, seen by their approvers, and applied by channel administrators alone (A15).
    "view_menu_changes": {"head_a", "leader_a", "office", "college_leader", "channel"},
    "propose_menu_change": {"head_a", "office", "channel"},
    "apply_menu_change": {"channel"},
    # A6.5: reports are the office's and its head's; system errors the channel administrators', seen by the head.
    "view_cases": {"office", "channel", "policy"},
    "handle_report": {"office", "policy"},
    "handle_system_error": {"channel"},
}


def can_review(page, user, stages_before):
    """Whether `user` can approve at the stage reached after `stages_before` approvals."""
    for approver in stages_before:
        state = page.specific.current_workflow_task_state.specific
        perform(state.task.specific, state, approver, "approve")
        page.refresh_from_db()
    state = page.specific.current_workflow_task_state.specific
    try:
        perform(state.task.specific, state, user, "approve", **CHECKED)
    except ReviewRefused:
        return False
    return True


@pytest.fixture
def office_article(article_factory, people):
    return article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)


def check(action, user, people, article_factory, office_article, client):
    if action == "access_admin":
        return user.has_perm("wagtailadmin.access_admin")
    if action == "add_article":
        return office_article.get_parent().permissions_for_user(user).can_add_subpage()
    if action == "edit_others_article":
        return office_article.permissions_for_user(user).can_edit()
    if action == "publish":
        return office_article.permissions_for_user(user).can_publish()
    if action.startswith("approve_"):
        page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
        before = {
            "approve_department_head_stage": [],
            "approve_supervising_leader_stage": [people["head_a"]],
            "approve_office_stage": [people["head_a"], people["leader_a"]],
        }[action]
        return can_review(page, user, before)
    urls = {
        "change_platform_settings": "/admin/settings/cms/platformsettings/",
        "change_review_routing": "/admin/settings/cms/reviewrouting/",
        "manage_departments": "/admin/departments/new/",
        "manage_calendar": "/admin/calendar_overrides/new/",
        "view_review_errors": "/admin/review_errors/",
        "view_policy": "/admin/policy/",
        "view_weekly_plan": "/admin/wechat/plan/",
        "change_wechat_accounts": "/admin/wechat/accounts/",
        "view_credential_holders": "/admin/credentials/",
        "moderate_comments": "/admin/wechat/comments/",
        "view_menu_changes": "/admin/menu-changes/",
        "propose_menu_change": "/admin/menu-changes/add/",
        "view_cases": "/admin/cases/",
    }
    if action == "apply_menu_change":
        return can_apply_menu_change(user, people, client)
    if action in ("handle_report", "handle_system_error"):
        from cms import cases

        case = (
            cases.open_report("举报内容", "site")
            if action == "handle_report"
            else cases.open_system_error("errcode -1", key="push:1")[0]
        )
        client.force_login(user)
        client.post(f"/admin/cases/{case.pk}/", {"action": "start"})
        case.refresh_from_db()
        return case.status == case.Status.IN_PROGRESS
    if action == "assign_credential_holder":
        from cms.credentials import current_holders
        from tests.wechat_channel.admin_factories import make_account

        account = make_account()
        client.force_login(user)
        client.post(f"/admin/credentials/{account.pk}/", {"action": "assign", "assign-user": people["channel"].pk})
        return current_holders(account).exists()
    if action == "start_policy_draft":
        from policy_rules.models import PolicyVersion

        client.force_login(user)
        before = PolicyVersion.objects.count()
        client.post("/admin/policy/new/", {"scope": "default"})
        return PolicyVersion.objects.count() == before + 1
    client.force_login(user)
    response = client.get(urls[action], follow=True)  # settings redirect to the site's own record
    landed = response.redirect_chain[-1][0] if response.redirect_chain else urls[action]
    return response.status_code == 200 and landed.startswith(urls[action])


def can_apply_menu_change(user, people, client):
    """Whether `user` gets past the server's check on applying an approved menu change (WeChat is not reached)."""
    from cms.models import MenuChangeApplication
    from tests.cms.test_menu_changes import approved
    from tests.wechat_channel.admin_factories import make_account

    application = approved(people, make_account(api_base_url="http://127.0.0.1:9"))  # refused at once
    client.force_login(user)
    response = client.post(f"/admin/menu-changes/{application.pk}/", {"action": "apply"})
    application.refresh_from_db()
    return response.status_code != 403 and application.status != MenuChangeApplication.Status.APPROVED


@pytest.mark.parametrize("action", sorted(MATRIX))
@pytest.mark.parametrize("username", ROLE_USERS)
def test_permission_matrix(action, username, people, article_factory, office_article, client):
    allowed = check(action, people[username], people, article_factory, office_article, client)
    assert allowed is (username in MATRIX[action]), f"{username} / {action}"


def test_only_the_office_group_may_publish(people):
    """A6.3.1: no group but the office holds publish permission anywhere in the page tree."""
    publishers = set(
        GroupPagePermission.objects.filter(permission__codename="publish_page").values_list("group__name", flat=True)
    )
    assert publishers == {group_for("office_editor").name}


def test_only_channel_administrators_change_platform_settings(people):
    """A15: publishers (the office) may not change platform settings."""
    permission = Permission.objects.get(codename="change_platformsettings")
    assert set(Group.objects.filter(permissions=permission).values_list("name", flat=True)) == {
        group_for("channel_admin").name
    }


def test_roles_are_restored_after_manual_drift(people):
    from cms.setup import ensure_newsroom_setup

    office = group_for("office_editor")
    contributor = group_for("contributor")
    GroupPagePermission.objects.create(
        group=contributor,
        page=office.page_permissions.first().page,
        permission=Permission.objects.get(codename="publish_page"),
    )
    ensure_newsroom_setup()
    assert not contributor.page_permissions.filter(permission__codename="publish_page").exists()
    assert {role.name for role in ROLES} <= set(Group.objects.values_list("name", flat=True))


def test_wechat_errors_go_to_active_channel_administrators(people):
    """A6.5.1: system errors are told to the channel administrators, not to publishers."""
    from cms.roles import channel_admin_emails

    retired = people["channel"].__class__.objects.create_user(
        "retired", email="retired@example.edu.cn", is_active=False
    )
    retired.groups.add(group_for("channel_admin"))

    assert channel_admin_emails() == ["channel@example.edu.cn"]


def test_anonymous_cannot_reach_admin(client, site_tree):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
