"""The roles of POLICY.md as groups (cms/people/roles.py): who holds which permission, restored after drift."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from cms.people.roles import ROLES, group_for


def test_only_the_office_group_may_publish(people):
    """A6.3.1: no group but the office holds publish permission anywhere in the page tree."""
    publishers = set(
        GroupPagePermission.objects.filter(permission__codename="publish_page").values_list("group__name", flat=True)
    )
    assert publishers == {group_for("office_editor").name}


def test_only_the_office_plans_pushes(people):
    """A12.1: the weekly plan is the office's; channel administrators handle parked pushes, never plan."""
    permission = Permission.objects.get(codename="plan_push")
    assert set(Group.objects.filter(permissions=permission).values_list("name", flat=True)) == {
        group_for("office_editor").name
    }


def test_only_channel_administrators_change_platform_settings(people):
    """A15: publishers (the office) may not change platform settings."""
    permission = Permission.objects.get(codename="change_platformsettings")
    assert set(Group.objects.filter(permissions=permission).values_list("name", flat=True)) == {
        group_for("channel_admin").name
    }


def test_roles_are_restored_after_manual_drift(people):
    from cms.admin.setup import ensure_newsroom_setup

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
    from cms.people.roles import channel_admin_emails

    retired = people["channel"].__class__.objects.create_user(
        "retired", email="retired@example.edu.cn", is_active=False
    )
    retired.groups.add(group_for("channel_admin"))

    assert channel_admin_emails() == ["channel@example.edu.cn"]


def test_anonymous_cannot_reach_admin(client, site_tree):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
