"""The roles of POLICY.md as groups, with exactly the permissions each is given.

`sync_roles()` runs after every migrate: a role's permissions are the
regulation's, so drift made by hand in the admin is put back.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page


@dataclass(frozen=True)
class Role:
    key: str
    name: str  # the group's name, Chinese first
    description: str
    permissions: tuple = ()  # "app_label.codename"
    page_permissions: tuple = ()  # codenames on the whole page tree
    image_permissions: tuple = ()  # codenames on the root collection
    document_permissions: tuple = field(default=())


ADMIN = "wagtailadmin.access_admin"

CONTRIBUTOR = Role(
    key="contributor",
    name="投稿人",
    description=_("Submits material and revises it when sent back (A6.1)."),
    permissions=(ADMIN,),
    page_permissions=("add_page",),
    image_permissions=("add_image", "choose_image"),
)
DEPARTMENT_HEAD = Role(
    key="department_head",
    name="科室负责人",
    description=_("First review of their own department's material (A6.1)."),
    # Proposes menu changes and gives the first opinion on their department's (A6.4).
    permissions=(ADMIN, "cms.add_menuchangeapplication", "cms.view_menuchangeapplication"),
    image_permissions=("choose_image",),
)
SUPERVISING_LEADER = Role(
    key="supervising_leader",
    name="分管领导",
    description=_("Second review of their departments' material (A6.1); approves menu changes (A6.4)."),
    permissions=(ADMIN, "cms.view_menuchangeapplication"),
    image_permissions=("choose_image",),
)
OFFICE_EDITOR = Role(
    key="office_editor",
    name="办公室编辑",
    description=_("Authors, gives the final review and is the only role that publishes (A6.3.1)."),
    permissions=(
        ADMIN,
        "cms.view_department",
        "cms.view_person",
        "cms.view_contribution",
        "cms.view_submission",
        "cms.view_sendback",
        "cms.view_reviewerror",
        "cms.view_semester",
        "cms.view_calendaroverride",
        "cms.view_pointaward",
        "cms.view_disciplinenotice",
        "policy_rules.view_policyversion",  # sees the policy in force, changes nothing
        # The weekly plan is the office's alone (A12.1): reorder, move, reschedule. Sees the accounts,
        # changes none (A15). change_push: retry or cancel a parked push.
        "wechat_channel.view_push",
        "wechat_channel.plan_push",
        "wechat_channel.change_push",
        "wechat_channel.view_pushitem",
        "wechat_channel.change_pushitem",
        "wechat_channel.view_wechataccount",
        "wechat_channel.view_followeractivity",  # follower activity records, no export (A14)
        "wechat_channel.moderate_articlecomment",  # deletes illegal comments, blacklists their authors (A13)
        "wechat_channel.view_followerbinding",  # the staff duty report, their criticism list (A21)
        "wechat_channel.check_followerbinding",
        "cms.add_menuchangeapplication",  # proposes menu changes (A6.4)
        "cms.view_menuchangeapplication",
        "cms.view_report",  # sees and handles reports (A6.5.2)
        "cms.handle_report",
    ),
    page_permissions=("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    image_permissions=("add_image", "change_image", "choose_image"),
    document_permissions=("add_document", "change_document", "choose_document"),
)
COLLEGE_LEADER = Role(
    key="college_leader",
    name="院领导",
    description=_("Final approval of menu-change requests (A6.4)."),
    permissions=(ADMIN, "cms.view_menuchangeapplication"),
)
CHANNEL_ADMIN = Role(
    key="channel_admin",
    name="渠道管理员（教务科）",
    description=_(
        "Platform settings and credentials, system errors (A6.5.1, A7); the only role that changes them (A15)."
    ),
    permissions=(
        ADMIN,
        "cms.change_platformsettings",
        "django_q.view_schedule",
        "django_q.view_failure",  # why a task failed: the cause of a system error (A6.5.1)
        # WeChat accounts and their credentials (A15), and the pushes whose system errors they handle (A6.5.1):
        # retry or cancel a parked push, never plan one (the weekly plan is the office's, A12.1).
        *(f"wechat_channel.{verb}_wechataccount" for verb in ("add", "change", "delete", "view")),
        "wechat_channel.view_push",
        "wechat_channel.change_push",
        "wechat_channel.view_followeractivity",  # follower activity records, no export (A14)
        "wechat_channel.moderate_articlecomment",  # deletes illegal comments, blacklists their authors (A13)
        # Staff bindings (A21): the duty report, the subscription check, and unbinding someone's WeChat.
        "wechat_channel.view_followerbinding",
        "wechat_channel.check_followerbinding",
        "wechat_channel.delete_followerbinding",
        # Who holds each account's credentials and their rotation (A6.6): assign, release, record a rotation.
        "wechat_channel.view_credentialholder",
        "wechat_channel.add_credentialholder",
        "wechat_channel.change_credentialholder",
        "wechat_channel.view_credentialrotation",
        "wechat_channel.add_credentialrotation",
        # Menu changes (A6.4): proposes them, and alone applies an approved one to WeChat (A15).
        "cms.add_menuchangeapplication",
        "cms.view_menuchangeapplication",
        "cms.apply_menuchangeapplication",
        "cms.view_systemerror",  # system errors of the channel are theirs to handle (A6.5.1)
        "cms.handle_systemerror",
    ),
)
POLICY_ADMIN = Role(
    key="policy_admin",
    name="政策管理员",
    description=_("The office head: keeps the institution's calendar, departments and people, and the policy."),
    permissions=(
        ADMIN,
        *(
            f"cms.{verb}_{model}"
            for model in ("department", "person", "semester", "calendaroverride")
            for verb in ("add", "change", "delete", "view")
        ),
        "cms.view_submission",
        "cms.view_reviewerror",
        "cms.change_reviewrouting",
        "cms.view_pointaward",
        "cms.view_disciplinenotice",
        "django_q.view_schedule",
        # The policy document: edit drafts, validate, dry-run, activate, roll back (issue #3).
        "policy_rules.add_policyversion",
        "policy_rules.change_policyversion",
        "policy_rules.view_policyversion",
        "policy_rules.view_policyevent",
        # Follower activity records: the office head alone exports them for the authorities (A14).
        "wechat_channel.view_followeractivity",
        "wechat_channel.export_followeractivity",
        "wechat_channel.view_followerbinding",  # the staff duty report: who does not follow (A21)
        "wechat_channel.moderate_articlecomment",  # escalated comment reports reach the office head (A13, A6.5.2)
        # The office head sees the credential holders and the rotation alarm (A6.6.2), changes none (A15).
        "wechat_channel.view_credentialholder",
        "wechat_channel.view_credentialrotation",
        # Reports are escalated to the office head, who handles them too (A6.5.2), and sees system errors (A6.5.1).
        "cms.view_report",
        "cms.handle_report",
        "cms.view_systemerror",
    ),
)

ROLES = (
    CONTRIBUTOR,
    DEPARTMENT_HEAD,
    SUPERVISING_LEADER,
    OFFICE_EDITOR,
    COLLEGE_LEADER,
    CHANNEL_ADMIN,
    POLICY_ADMIN,
)
ROLES_BY_KEY = {role.key: role for role in ROLES}


def group_for(role_or_key):
    """The Group of a role (created by sync_roles)."""
    role = ROLES_BY_KEY[role_or_key] if isinstance(role_or_key, str) else role_or_key
    return Group.objects.get(name=role.name)


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _permissions(app_label, codenames):
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))


def sync_roles():
    """Create every role's group and set its permissions to exactly the role's list."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.name)
        group.permissions.set([_permission(p) for p in role.permissions])
        GroupPagePermission.objects.filter(group=group).delete()
        if root_page is not None:
            for permission in _permissions("wagtailcore", role.page_permissions):
                GroupPagePermission.objects.create(group=group, page=root_page, permission=permission)
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_collection is not None:
            wanted = _permissions("wagtailimages", role.image_permissions) + _permissions(
                "wagtaildocs", role.document_permissions
            )
            for permission in wanted:
                GroupCollectionPermission.objects.create(group=group, collection=root_collection, permission=permission)


def channel_admin_emails():
    """E-mail addresses of the active channel administrators: where WeChat system errors go (A6.5.1)."""
    users = group_for(CHANNEL_ADMIN).user_set.filter(is_active=True).exclude(email="")
    return list(users.values_list("email", flat=True))


def is_office(user):
    """Whether `user` acts for the office (A6.3.1): an office editor or a superuser."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=OFFICE_EDITOR.name).exists()
