"""The permission matrix: every role against every admin view and state-changing POST (POLICY.md roles).

One table (TABLE, the same markdown as docs/security.md) says which role may do which action; ACTION_URLS
says which admin URLs each action covers. Every admin URL the project registers must be in ACTION_URLS,
so a new view without a row fails `test_every_project_admin_url_is_in_the_table`. For each action, each
refused role gets 403 / the login page / Wagtail's redirect home on every GET and POST with nothing
changed, and each allowed role gets through (an empty, invalid POST may be answered 400 or with a form
error, never refused and never a 500).
"""

import pytest
from django.core.cache import cache
from django.db import transaction

from cms.demo.site import ensure_site
from cms.models import ProviderKind
from cms.review.actions import ReviewRefused, perform
from tests.cms.admin.permission_matrix import (
    DOC,
    ROLE_USERS,
    build_world,
    clients,
    parse_table,
    path_of,
    project_admin_url_names,
    refused,
    snapshot,
)
from tests.factories import make_article
from tests.review_steps import CHECKED, submit
from wechat_channel.models import WeChatAccount
from wechat_channel.wechat import client as wechat_client

HEADING = "## Roles × actions"
# The same table as docs/security.md (test_the_document_shows_this_table). ✓ may, — may not.
TABLE_MARKDOWN = """
## Roles × actions

| action | anonymous | contributor | dept head | leader | college leader | office | office head | channel | superuser |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| `article.add` | — | ✓ | — | — | — | ✓ | — | — | ✓ |
| `article.edit_others` | — | — | — | — | — | ✓ | — | — | ✓ |
| `article.publish` | — | — | — | — | — | ✓ | — | — | ✓ |
| `review.department_head_stage` | — | — | ✓ | — | — | — | — | — | ✓ |
| `review.supervising_leader_stage` | — | — | — | ✓ | — | — | — | — | ✓ |
| `review.office_stage` | — | — | — | — | — | ✓ | — | — | ✓ |
| `pages.explore` | — | ✓ | — | — | — | ✓ | — | — | ✓ |
| `site_history.view` | — | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| `page_types_usage.view` | — | — | — | — | — | ✓ | — | — | ✓ |
| `platform_settings.change` | — | — | — | — | — | — | — | ✓ | ✓ |
| `review_routing.change` | — | — | — | — | — | — | ✓ | — | ✓ |
| `departments.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `departments.history` | — | — | — | — | — | — | ✓ | — | ✓ |
| `departments.add` | — | — | — | — | — | — | ✓ | — | ✓ |
| `departments.change` | — | — | — | — | — | — | ✓ | — | ✓ |
| `departments.delete` | — | — | — | — | — | — | ✓ | — | ✓ |
| `people.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `people.history` | — | — | — | — | — | — | ✓ | — | ✓ |
| `people.add` | — | — | — | — | — | — | ✓ | — | ✓ |
| `people.change` | — | — | — | — | — | — | ✓ | — | ✓ |
| `people.delete` | — | — | — | — | — | — | ✓ | — | ✓ |
| `people.import` | — | — | — | — | — | — | ✓ | — | ✓ |
| `semesters.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `semesters.history` | — | — | — | — | — | — | ✓ | — | ✓ |
| `semesters.add` | — | — | — | — | — | — | ✓ | — | ✓ |
| `semesters.change` | — | — | — | — | — | — | ✓ | — | ✓ |
| `semesters.delete` | — | — | — | — | — | — | ✓ | — | ✓ |
| `calendar_overrides.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `calendar_overrides.history` | — | — | — | — | — | — | ✓ | — | ✓ |
| `calendar_overrides.add` | — | — | — | — | — | — | ✓ | — | ✓ |
| `calendar_overrides.change` | — | — | — | — | — | — | ✓ | — | ✓ |
| `calendar_overrides.delete` | — | — | — | — | — | — | ✓ | — | ✓ |
| `calendar.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `calendar.arrange` | — | — | — | — | — | — | ✓ | — | ✓ |
| `submissions.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `submissions.history` | — | — | — | — | — | — | — | — | — |
| `submissions.add` | — | — | — | — | — | — | — | — | — |
| `submissions.change` | — | — | — | — | — | — | — | — | — |
| `submissions.delete` | — | — | — | — | — | — | — | — | — |
| `send_backs.view` | — | — | — | — | — | ✓ | — | — | ✓ |
| `send_backs.history` | — | — | — | — | — | — | — | — | — |
| `send_backs.add` | — | — | — | — | — | — | — | — | — |
| `send_backs.change` | — | — | — | — | — | — | — | — | — |
| `send_backs.delete` | — | — | — | — | — | — | — | — | — |
| `review_errors.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `review_errors.history` | — | — | — | — | — | — | — | — | — |
| `review_errors.add` | — | — | — | — | — | — | — | — | — |
| `review_errors.change` | — | — | — | — | — | — | — | — | — |
| `review_errors.delete` | — | — | — | — | — | — | — | — | — |
| `contributions.view` | — | — | — | — | — | ✓ | — | — | ✓ |
| `contributions.history` | — | — | — | — | — | — | — | — | — |
| `contributions.add` | — | — | — | — | — | — | — | — | — |
| `contributions.change` | — | — | — | — | — | — | — | — | — |
| `contributions.delete` | — | — | — | — | — | — | — | — | — |
| `point_awards.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `point_awards.history` | — | — | — | — | — | — | — | — | — |
| `point_awards.add` | — | — | — | — | — | — | — | — | — |
| `point_awards.change` | — | — | — | — | — | — | — | — | — |
| `point_awards.delete` | — | — | — | — | — | — | — | — | — |
| `discipline_notices.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `discipline_notices.history` | — | — | — | — | — | — | — | — | — |
| `discipline_notices.add` | — | — | — | — | — | — | — | — | — |
| `discipline_notices.change` | — | — | — | — | — | — | — | — | — |
| `discipline_notices.delete` | — | — | — | — | — | — | — | — | — |
| `scheduled_checks.view` | — | — | — | — | — | — | ✓ | ✓ | ✓ |
| `scheduled_checks.history` | — | — | — | — | — | — | — | — | ✓ |
| `scheduled_checks.add` | — | — | — | — | — | — | — | — | ✓ |
| `scheduled_checks.change` | — | — | — | — | — | — | — | — | ✓ |
| `scheduled_checks.delete` | — | — | — | — | — | — | — | — | ✓ |
| `failed_tasks.view` | — | — | — | — | — | — | — | ✓ | ✓ |
| `failed_tasks.history` | — | — | — | — | — | — | — | — | — |
| `failed_tasks.add` | — | — | — | — | — | — | — | — | — |
| `failed_tasks.change` | — | — | — | — | — | — | — | — | — |
| `failed_tasks.delete` | — | — | — | — | — | — | — | — | — |
| `wechat_accounts.view` | — | — | — | — | — | — | — | ✓ | ✓ |
| `wechat_accounts.history` | — | — | — | — | — | — | — | ✓ | ✓ |
| `wechat_accounts.add` | — | — | — | — | — | — | — | ✓ | ✓ |
| `wechat_accounts.change` | — | — | — | — | — | — | — | ✓ | ✓ |
| `wechat_accounts.delete` | — | — | — | — | — | — | — | ✓ | ✓ |
| `plan.view` | — | — | — | — | — | ✓ | — | ✓ | ✓ |
| `plan.change` | — | — | — | — | — | ✓ | — | — | ✓ |
| `pushes.view` | — | — | — | — | — | ✓ | — | ✓ | ✓ |
| `pushes.retry_cancel_parked` | — | — | — | — | — | ✓ | — | ✓ | ✓ |
| `pushes.cancel_planned` | — | — | — | — | — | ✓ | — | — | ✓ |
| `wechat.preview` | — | — | — | — | — | ✓ | — | — | ✓ |
| `wechat.fields` | — | — | — | — | — | ✓ | — | — | ✓ |
| `wechat.health` | — | — | — | — | — | ✓ | — | ✓ | ✓ |
| `wechat.callback_retry` | — | — | — | — | — | — | — | ✓ | ✓ |
| `activity.view` | — | — | — | — | — | ✓ | ✓ | ✓ | ✓ |
| `activity.export` | — | — | — | — | — | — | ✓ | — | ✓ |
| `comments.moderate` | — | — | — | — | — | ✓ | ✓ | ✓ | ✓ |
| `bindings.bind_own` | — | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
| `bindings.unbind_others` | — | — | — | — | — | — | — | ✓ | ✓ |
| `bindings.check` | — | — | — | — | — | ✓ | — | ✓ | ✓ |
| `staff_duty.view` | — | — | — | — | — | ✓ | ✓ | ✓ | ✓ |
| `staff_duty.export` | — | — | — | — | — | ✓ | ✓ | ✓ | ✓ |
| `cases.index` | — | — | — | — | — | ✓ | ✓ | ✓ | ✓ |
| `cases.view_report` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `cases.handle_report` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `credentials.view` | — | — | — | — | — | — | ✓ | ✓ | ✓ |
| `credentials.change` | — | — | — | — | — | — | — | ✓ | ✓ |
| `menu_changes.view` | — | — | ✓ | ✓ | ✓ | ✓ | — | ✓ | ✓ |
| `menu_changes.propose` | — | — | ✓ | — | — | ✓ | — | ✓ | ✓ |
| `menu_changes.edit_own_draft` | — | — | ✓ | — | — | — | — | — | ✓ |
| `menu_changes.submit_own_draft` | — | — | ✓ | — | — | — | — | — | ✓ |
| `menu_changes.decide_first_opinion` | — | — | ✓ | — | — | — | — | — | — |
| `menu_changes.apply` | — | — | — | — | — | — | — | ✓ | ✓ |
| `policy.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `policy.change` | — | — | — | — | — | — | ✓ | — | ✓ |
| `policy_reports.view` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
| `policy_reports.export` | — | — | — | — | — | ✓ | ✓ | — | ✓ |
"""

GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")
VIEWSETS = (
    "departments",
    "people",
    "semesters",
    "calendar_overrides",
    "submissions",
    "send_backs",
    "review_errors",
    "contributions",
    "point_awards",
    "discipline_notices",
    "scheduled_checks",
    "failed_tasks",
    "wechat_accounts",
)
VIEWSET_VERBS = {
    "view": (("index", GET), ("index_results", GET), ("inspect", GET)),
    "history": (("history", GET), ("history_results", GET), ("usage", GET)),
    "add": (("add", BOTH), ("copy", GET)),
    "change": (("edit", BOTH),),
    "delete": (("delete", BOTH),),
}


def w(*names, methods=GET, data=None, owner=None):
    """Admin URLs of one action: (URL name or path, methods, POST body, the world's object it acts on)."""
    return tuple((name, methods, data or {}, owner) for name in names)


def viewset_actions():
    known = project_admin_url_names()
    actions = {}
    for namespace in VIEWSETS:
        for verb, urls in VIEWSET_VERBS.items():
            owner = f"{namespace}.delete" if namespace in ("departments", "people") and verb == "delete" else None
            found = tuple(
                entry
                for view, methods in urls
                if f"{namespace}:{view}" in known
                for entry in w(f"{namespace}:{view}", methods=methods, owner=owner)
            )
            if found:
                actions[f"{namespace}.{verb}"] = found
    return actions


ACTION_URLS = {
    # Wagtail's own views that show pages and their history: open to every admin user, filtered (A6.1).
    "pages.explore": w("/admin/pages/"),
    "site_history.view": w("/admin/reports/site-history/"),
    # Page types usage names every type's last-edited page and counts drafts: the whole tree's users only (A6.1).
    "page_types_usage.view": w("whole_tree_page_types_usage", "whole_tree_page_types_usage_results"),
    # Platform settings are the channel administrators' (A15); review routing the office head's.
    "platform_settings.change": w("settings:cms.platformsettings", methods=BOTH),
    "review_routing.change": w("settings:cms.reviewrouting", methods=BOTH),
    **viewset_actions(),
    # Departments, people and roles from the office's spreadsheet (issue 14): preview, then import.
    "people.import": w("people_import:index", methods=BOTH),
    # The weekly plan (A12.1) and pushes (A6.5.1).
    "plan.view": w("wechat_admin:plan"),
    "plan.change": w("wechat_admin:reorder", "wechat_admin:move", "wechat_admin:reschedule", methods=POST),
    "pushes.view": w("wechat_admin:pushes", "wechat_admin:push"),
    "pushes.retry_cancel_parked": w(
        "wechat_admin:retry", "wechat_admin:cancel", "wechat_admin:settle", methods=POST, owner="parked_push"
    ),
    "pushes.cancel_planned": w("wechat_admin:cancel", methods=POST),
    "wechat.preview": w("wechat_admin:preview", methods=BOTH),
    # An approved article's WeChat-only fields (cover, digest): the office, without a new review (A6.3.1).
    "wechat.fields": w("wechat_fields:edit", methods=BOTH, owner="article"),
    "wechat.health": w("wechat_admin:health"),
    "wechat.callback_retry": w("wechat_admin:callback_retry", methods=POST),
    # Follower activity (A14) and comments (A13).
    "activity.view": w("wechat_admin:activity"),
    "activity.export": w("wechat_admin:activity_export", methods=POST),
    "comments.moderate": (
        *w("wechat_admin:comments"),
        *w("wechat_admin:comments_fetch", "wechat_admin:comment_moderate", "wechat_admin:comments_open", methods=POST),
    ),
    # Staff bindings and duty (A21).
    "bindings.bind_own": w("wechat_admin:bind"),
    "bindings.unbind_others": w("wechat_admin:unbind", methods=POST),
    "bindings.check": w("wechat_admin:bindings_check", methods=POST),
    "staff_duty.view": w("staff_duty_admin:index"),
    "staff_duty.export": w("staff_duty_admin:index?format=csv"),
    # Reports and system errors (A6.5).
    "cases.index": w("cases_admin:index"),
    "cases.view_report": w("cases_admin:detail"),
    "cases.handle_report": w("cases_admin:detail", methods=POST, data={"action": "start"}),
    # Credentials (A6.6, A15).
    "credentials.view": w("credentials_admin:index", "credentials_admin:account"),
    "credentials.change": w("credentials_admin:account", methods=POST, data={"action": "assign"}),
    # Menu changes (A6.4).
    "calendar.view": w("calendar_admin:index"),
    "calendar.arrange": w("calendar_admin:arrange", methods=BOTH),
    "menu_changes.view": w("menu_changes_admin:index", "menu_changes_admin:detail", "menu_changes_admin:print"),
    "menu_changes.propose": w("menu_changes_admin:add", methods=BOTH),
    "menu_changes.edit_own_draft": w("menu_changes_admin:edit", methods=BOTH),
    "menu_changes.submit_own_draft": w("menu_changes_admin:detail", methods=POST, data={"action": "submit"}),
    "menu_changes.decide_first_opinion": w(
        "menu_changes_admin:detail", methods=POST, data={"action": "decide"}, owner="submitted_application"
    ),
    "menu_changes.apply": w(
        "menu_changes_admin:detail", methods=POST, data={"action": "apply"}, owner="submitted_application"
    ),
    # The policy (issue #3) and its reports.
    "policy.view": w("policy_admin:index", "policy_admin:version", "policy_admin:dry_run_report"),
    "policy.change": (
        *w("policy_admin:edit", methods=BOTH),
        *w(
            "policy_admin:start_draft",
            "policy_admin:validate",
            "policy_admin:dry_run",
            "policy_admin:activate",
            "policy_admin:rollback",
            methods=POST,
        ),
    ),
    "policy_reports.view": w(
        "policy_reports:departments",
        "policy_reports:leaderboard",
        "policy_reports:staff",
        "policy_reports:discipline",
        "policy_reports:coverage",
        "policy_reports:assessment",
    ),
    "policy_reports.export": w(
        "policy_reports:departments?export=csv",
        "policy_reports:leaderboard?export=csv",
        "policy_reports:staff?export=xlsx",
        "policy_reports:discipline?export=csv",
        "policy_reports:coverage?export=csv",
        "policy_reports:assessment?export=xlsx",
    ),
}
# Actions on pages and the review, checked through Wagtail's permission tester and the review actions.
PAGE_ACTIONS = (
    "article.add",
    "article.edit_others",
    "article.publish",
    "review.department_head_stage",
    "review.supervising_leader_stage",
    "review.office_stage",
)
TABLE = parse_table(TABLE_MARKDOWN, HEADING)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The users and objects, built once for the module and rolled back after it (each test nests inside).

    The world's WeChat refuses every connection; the client's pauses between in-call retries (0.5 s, then 1 s)
    would only make each allowed menu, bindings or comments request wait 1.5 s for the same refusal.
    """
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(), transaction.atomic():
        patch.setattr(wechat_client, "RETRY_BACKOFF_SECONDS", 0)
        _home, index = ensure_site()
        objects = build_world(index)
        objects["index"] = index
        yield objects
        transaction.set_rollback(True)
    cache.clear()


def request(client, method, path, data):
    return client.get(path) if method == "GET" else client.post(path, data)


def cells(action, world):
    """(method, path, POST body) of every request the action's row makes."""
    return [
        (method, path_of(name, world, owner), data)
        for name, methods, data, owner in ACTION_URLS[action]
        for method in methods
    ]


@pytest.mark.parametrize("action", sorted(ACTION_URLS))
def test_each_role_may_do_exactly_what_the_table_says(action, world, db):
    rules = TABLE[action]
    made = clients(world["users"])
    paths = cells(action, world)

    before = snapshot()
    for role in (role for role, allowed in rules.items() if not allowed):
        for method, path, data in paths:
            response = request(made[role], method, path, data)
            assert response.status_code < 500, f"{role} {method} {path}"
            assert refused(response), f"{role} {method} {path} → {response.status_code} {response.get('Location')}"
    assert snapshot() == before, f"a refused {action} changed something"

    for role in (role for role, allowed in rules.items() if allowed):
        for method, path, data in paths:
            with transaction.atomic():  # each allowed role starts from the same state
                response = request(made[role], method, path, data)
                transaction.set_rollback(True)
            assert response.status_code < 500, f"{role} {method} {path}"
            assert not refused(response), f"{role} {method} {path} → {response.status_code}"


def test_every_project_admin_url_is_in_the_table():
    """A new admin view of cms, wechat_channel or policy_rules needs its row (and its roles) here."""
    covered = {entry[0].partition("?")[0] for urls in ACTION_URLS.values() for entry in urls}
    assert project_admin_url_names() - covered == set()


def test_the_table_has_a_row_for_every_action():
    assert set(TABLE) == set(ACTION_URLS) | set(PAGE_ACTIONS)
    assert all(set(row) == set(ROLE_USERS) for row in TABLE.values())


def test_the_document_shows_this_table():
    """docs/security.md carries the same roles × actions table, so the two cannot drift."""
    assert parse_table(DOC.read_text(encoding="utf-8"), HEADING) == TABLE


# -- pages and the review ---------------------------------------------------------------------------------


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


def page_check(action, user, world):
    users = world["users"]
    if action.startswith("review."):
        page = submit(
            make_article(world["index"], owner=users["contributor"], department=world["departments"]),
            users["contributor"],
        )
        before = {
            "review.department_head_stage": [],
            "review.supervising_leader_stage": [users["head_a"]],
            "review.office_stage": [users["head_a"], users["leader_a"]],
        }[action]
        # Who may review, not whether WeChat would take it (tests/cms/review/test_review_wechat.py): no cover here.
        WeChatAccount.objects.update(push_approved=False)  # rolled back with the rest of the check
        return can_review(page, user, before)
    office_article = make_article(world["index"], owner=users["office"], provider_kind=ProviderKind.OFFICE)
    permissions = office_article.permissions_for_user(user)
    return {
        "article.add": lambda: office_article.get_parent().permissions_for_user(user).can_add_subpage(),
        "article.edit_others": permissions.can_edit,
        "article.publish": permissions.can_publish,
    }[action]()


@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_pages_and_review_follow_the_table(action, world, db):
    from django.contrib.auth.models import AnonymousUser

    for role, username in ROLE_USERS.items():
        user = world["users"][username] if username else AnonymousUser()
        if user.is_anonymous:
            continue  # an anonymous visitor never reaches the admin (test_anonymous_cannot_reach_admin)
        with transaction.atomic():
            allowed = page_check(action, user, world)
            transaction.set_rollback(True)
        assert allowed is TABLE[action][role], f"{role} / {action}"
