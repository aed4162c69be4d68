"""The machinery of the permission matrix (tests/cms/admin/test_permissions.py): its table, the data, the requests.

The table is markdown, the same text as in docs/security.md, so the two cannot drift. Each row is an
action, each column a role; the admin URLs each action covers are listed beside it in the test module.
"""

import datetime
import functools
import itertools
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_q.models import Schedule, Task
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from cms.cases import services as cases
from cms.menu_changes import services as menu_changes
from cms.models import (
    CalendarOverride,
    Contribution,
    Department,
    DisciplineNotice,
    MenuChangeApplication,
    Person,
    PointAward,
    ReviewError,
    Semester,
    SendBack,
    Submission,
)
from cms.review.actions import perform
from policy_rules import versions
from tests.factories import make_article, make_user
from tests.wechat_channel.admin_factories import at, make_account, make_push
from wechat_channel.models import ArticleComment, CallbackEvent, FollowerBinding, Push

DOC = Path(settings.BASE_DIR) / "docs" / "security.md"
ALLOWED, REFUSED = "✓", "—"
MENU = {"button": [{"name": "今日要闻", "type": "click", "key": "NEWS_TODAY"}]}
# Column heading -> the user who plays the role in the matrix (None: an anonymous visitor).
ROLE_USERS = {
    "anonymous": None,
    "contributor": "contributor",
    "dept head": "head_a",
    "leader": "leader_a",
    "college leader": "college_leader",
    "office": "office",
    "office head": "policy",
    "channel": "channel",
    "superuser": "root",
}
PROJECT_APPS = ("cms", "home", "policy_rules", "wechat_channel")
# What a refused request may change: nothing the project, Wagtail's pages and logs or the queue hold.
WATCHED_APPS = ("cms", "home", "policy_rules", "wechat_channel", "wagtailcore", "django_q", "auth")


def parse_table(markdown, heading):
    """{action: {role: allowed}} from the first markdown table after `heading` in `markdown`."""
    lines = markdown.split(heading, 1)[1].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("|"))
    header, _rule, *body = (
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in itertools.takewhile(lambda line: line.startswith("|"), lines[first:])
    )
    table = {}
    for cells in body:
        assert set(cells[1:]) <= {ALLOWED, REFUSED}, cells
        table[cells[0].strip("`")] = {role: cell == ALLOWED for role, cell in zip(header[1:], cells[1:], strict=True)}
    return table


# -- the admin URLs the project registers ---------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(part for part in (namespace, pattern.name or "") if part)
            view = getattr(pattern.callback, "view_class", pattern.callback)
            yield prefix + str(pattern.pattern), name, view.__module__


def _project_viewset_namespaces():
    """URL namespaces of the viewsets the project registers (the Newsroom group, the WeChat accounts)."""
    namespaces = set()
    for hook in hooks.get_hooks("register_admin_viewset"):
        if hook.__module__.split(".")[0] not in PROJECT_APPS:
            continue
        viewsets = hook()
        for viewset in viewsets.items if isinstance(viewsets, ViewSetGroup) else [viewsets]:
            namespaces.add(viewset.url_namespace)
    return namespaces


def project_admin_url_names():
    """Every URL name under /admin/ that cms, home, policy_rules or wechat_channel registers."""
    namespaces = _project_viewset_namespaces()
    names = set()
    for route, name, module in _walk(get_resolver().url_patterns):
        if not route.startswith("admin/"):
            continue
        if module.split(".")[0] in PROJECT_APPS or name.split(":")[0] in namespaces:
            names.add(name)
    return names


# -- the data every cell needs ----------------------------------------------------------------------------


def build_world(index):
    """One user per role and one object of every kind an admin URL takes, built once for the module."""
    users = {
        "office": make_user("office", "office_editor"),
        "head_a": make_user("head_a", "department_head"),
        "leader_a": make_user("leader_a", "supervising_leader"),
        "contributor": make_user("contributor", "contributor"),
        "college_leader": make_user("college_leader", "college_leader"),
        "channel": make_user("channel", "channel_admin"),
        "policy": make_user("policy", "policy_admin"),
        "root": make_user("root", is_superuser=True, is_staff=True),
    }
    dept = Department.objects.create(name="学生处", code="a", supervising_leader=users["leader_a"])
    dept.heads.add(users["head_a"])
    person = Person.objects.create(name="张同学", kind="student", number="2026000001", department=dept)
    semester = Semester.objects.create(name="2026秋", start=datetime.date(2026, 9, 1), end=datetime.date(2027, 1, 31))
    article = make_article(index, owner=users["contributor"], department=dept)
    article.get_workflow().start(article, users["contributor"])
    article.refresh_from_db()
    state = article.current_workflow_task_state.specific
    perform(state.task.specific, state, users["head_a"], "reject", reason="typo", comment="错别字")
    account = make_account(api_base_url="http://127.0.0.1:9")  # WeChat refuses at once
    push = make_push(account, at(0, 16), titles=("甲", "乙"))
    item = push.items.first()
    sent = make_push(account, at(-7, 16), titles=("丙",), state=Push.State.DONE)  # comments come after sending
    parked = make_push(account, at(-1, 16), titles=("丁",), state=Push.State.FAILED)  # a system error (A6.5.1)
    task = Task.objects.create(
        id="f" * 32,
        name="failed",
        func="cms.tasks.nothing",
        started=timezone.now(),
        stopped=timezone.now(),
        success=False,
    )
    objects = {
        "users": users,
        "departments": dept,
        "people": person,
        "semesters": semester,
        "calendar_overrides": CalendarOverride.objects.create(date=datetime.date(2026, 10, 1), day_type="holiday"),
        "submissions": Submission.objects.get(page=article),
        "send_backs": SendBack.objects.get(page=article),
        "review_errors": ReviewError.objects.get(page=article),
        "contributions": Contribution.objects.create(page=article, person=person, on_behalf_of="self", email="a@b.cn"),
        "point_awards": PointAward.objects.create(person=person, page=article, points=1, policy_version="1"),
        "discipline_notices": DisciplineNotice.objects.create(
            department=dept, level="warning", errors=5, policy_version="1"
        ),
        "scheduled_checks": Schedule.objects.order_by("pk").first(),
        "failed_tasks": task,
        "wechat_accounts": account,
        "account": account,
        "push": push,
        "parked_push": parked,
        "item": item,
        "sent_item": sent.items.get(),
        "article": article,
        "case": cases.open_report("举报内容", "site"),
        "application": MenuChangeApplication.objects.create(
            department=dept, applicant=users["head_a"], account=account, menu={"button": []}, reason="新增入口"
        ),
        "binding": FollowerBinding.objects.create(
            user=make_user("staff"),  # staff without a role: every unbind in the matrix is someone else's
            account=account,
            openid="o-staff",
            bound_at=timezone.now(),
        ),
        # A callback whose processing kept failing, parked for a channel administrator's retry (A6.5.1).
        "callback": CallbackEvent.objects.create(
            account=account,
            dedupe_key="msg:1",
            event="text",
            attempts=5,
            last_error="RuntimeError: receiver failed",
            parked_at=timezone.now(),
        ),
        "comment": ArticleComment.objects.create(
            account=account,
            item=sent.items.get(),
            user_comment_id=1,
            content="留言",
            created_at=timezone.now(),
            fetched_at=timezone.now(),
        ),
    }
    # Objects nothing refers to, so that a delete is refused only for want of permission.
    objects["departments.delete"] = Department.objects.create(name="空科室", code="spare")
    objects["people.delete"] = Person.objects.create(name="李老师", kind="staff", number="S0001")
    objects["submitted_application"] = menu_changes.submit(
        MenuChangeApplication.objects.create(
            department=dept, applicant=users["head_a"], account=account, menu=MENU, reason="新增入口"
        ),
        users["head_a"],
    )
    draft = versions.start_draft("default", users["policy"])
    objects["version"] = draft
    objects["event"] = draft.events.order_by("pk").first()
    return objects


def path_of(name, objects, owner=None):
    """The path of URL `name` with the world's object (`owner`, else the URL's usual one) for each argument."""
    if name.startswith("/"):
        return name
    name, _mark, query = name.partition("?")
    if name.startswith("settings:"):  # a setting of the site: its one record's edit page
        app_label, model_name = name.split(":")[1].split(".")
        pk = apps.get_model(app_label, model_name).load().pk
        return reverse("wagtailsettings:edit", args=[app_label, model_name, pk])
    return _reverse(name, objects, owner) + (f"?{query}" if query else "")


def _reverse(name, objects, owner):
    namespace, _sep, _view = name.rpartition(":")
    by_name = {
        "wechat_admin:move": "item",
        "wechat_admin:comments_open": "sent_item",
        "wechat_admin:unbind": "binding",
        "wechat_admin:comment_moderate": "comment",
        "wechat_admin:callback_retry": "callback",
        "credentials_admin:account": "account",
        "cases_admin:detail": "case",
    }
    owner = (
        owner
        or by_name.get(name)
        or {
            "wechat_admin": "push",
            "menu_changes_admin": "application",
            "policy_admin": "version",
        }.get(namespace, namespace)
    )
    if name == "calendar_admin:arrange":
        return reverse(name, kwargs={"year": 2027})
    for kwargs in ({}, {"pk": _pk(objects.get(owner))}):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    if name == "wechat_admin:preview":
        return reverse(name, kwargs={"page_id": objects["article"].pk})
    return reverse(name, kwargs={"pk": objects["version"].pk, "event": objects["event"].pk})


def _pk(obj):
    return obj.pk if obj is not None else 0


# -- requests and what they changed -----------------------------------------------------------------------


def clients(users):
    """One test client per role column, signed in as its user (the anonymous one signed in as nobody)."""
    made = {}
    for role, username in ROLE_USERS.items():
        made[role] = Client(raise_request_exception=False)  # a 500 is an answer the matrix reports
        if username:
            made[role].force_login(users[username])
    return made


def refused(response):
    """403, the login page, or Wagtail's "no permission" redirect to the dashboard."""
    if response.status_code == 403:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith("/admin/login/") or location.rstrip("/") == "/admin"


@functools.cache
def _watched_statements():
    """One `SELECT` per watched table, in the order of its primary key, written once (the ORM would compile the
    same ~100 queries again for each of the matrix's 210 snapshots)."""
    quote = connection.ops.quote_name
    statements = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in WATCHED_APPS or model is get_user_model():
            continue
        statements[model._meta.label] = (
            f"SELECT * FROM {quote(model._meta.db_table)} ORDER BY {quote(model._meta.pk.column)}"  # noqa: S608
        )
    user = get_user_model()._meta
    columns = ", ".join(quote(user.get_field(name).column) for name in ("id", "username", "is_active"))
    statements["users"] = f"SELECT {columns} FROM {quote(user.db_table)} ORDER BY {quote(user.pk.column)}"  # noqa: S608
    return statements


def snapshot():
    """Every row of every watched table, but sessions and sign-in times: what a refused request must not change."""
    with connection.cursor() as cursor:
        state = {}
        for label, sql in _watched_statements().items():
            cursor.execute(sql)
            state[label] = cursor.fetchall()
    return state
