"""Demo data: the site tree, departments, one login per role, and articles at every stage.

Used by `manage.py seed_demo` (the README's demo command) and by tests that
want a realistic site. Idempotent: running it twice changes nothing.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cms.demo.activity import ensure_activity
from cms.demo.comments import write_sandbox_comments
from cms.demo.covers import COVER_COLORS, cover
from cms.demo.governance import ensure_governance
from cms.demo.history import ensure_history
from cms.demo.review import ensure_former_head, ensure_youth_league_contribution
from cms.demo.staff import ensure_staff
from cms.models import ArticleIndexPage, ArticlePage, Category, Department, Person, ProviderKind, Semester, Vacation
from cms.people.roles import ROLES_BY_KEY, group_for
from cms.review.actions import perform
from cms.review.forms import CHECKLIST_KEYS
from home.models import HomePage
from policy_rules.reports import outcomes
from wechat_channel import past
from wechat_channel.models import WeChatAccount

SITE_NAME = "温州职业技术学院瑞安学院"
DEMO_PASSWORD = "newsroom-demo"  # noqa: S105 - demo logins are printed for the user on purpose

# username, full name (one field, as Chinese names are written; cms/people/profile.py), role key, department code
DEMO_USERS = [
    ("office", "王晓明", "office_editor", None),
    ("head_student", "李建华", "department_head", "student-affairs"),
    ("head_academic", "赵文静", "department_head", "academic-affairs"),
    ("head_publicity", "杨帆", "department_head", "publicity"),
    ("head_logistics", "冯建军", "department_head", "logistics"),
    ("leader", "陈志强", "supervising_leader", None),
    ("college_leader", "周国平", "college_leader", None),
    ("channel", "孙浩", "channel_admin", None),
    ("policy", "刘芳", "policy_admin", None),
    ("contributor", "张小雨", "contributor", "student-affairs"),
]

DEPARTMENTS = [
    ("student-affairs", "学生处"),
    ("academic-affairs", "教务科"),
    ("youth-league", "团委"),
    ("publicity", "宣传部"),
    ("logistics", "后勤处"),
]


def site_address():
    """(hostname, port) of WAGTAILADMIN_BASE_URL: where the site is really served (`make demo`: 127.0.0.1:8000)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def ensure_site():
    """A HomePage at the site root and an article index under it; returns (home, index).

    The default Site is served at WAGTAILADMIN_BASE_URL, so full page URLs (WeChat's 阅读原文, e-mails) point at
    the real address, not Wagtail's initial http://localhost.
    """
    home = HomePage.objects.first()
    hostname, port = site_address()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=SITE_NAME, slug="home-page", intro="瑞安学院新闻与通知。"))
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=SITE_NAME)
        else:
            site.root_page = home
            site.site_name = site.site_name or SITE_NAME
            site.save()
        if old_root is not None and old_root.pk != home.pk and old_root.specific_class is not HomePage:
            old_root.delete()  # Wagtail's "Welcome" placeholder
    site = Site.objects.filter(is_default_site=True, root_page=home).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()  # save(), not update(): Wagtail drops its cached site root paths on save
    index = ArticleIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=ArticleIndexPage(title="新闻", slug="news", intro="学院新闻与通知"))
    return home, index


def ensure_departments():
    return {code: Department.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in DEPARTMENTS}


def ensure_users(departments):
    User = get_user_model()
    users = {}
    for username, name, role_key, _dept_code in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": name, "email": f"{username}@example.edu.cn"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group_for(ROLES_BY_KEY[role_key]))
        users[username] = user
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_superuser": True, "is_staff": True, "email": "admin@example.edu.cn"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["admin"] = admin
    departments["student-affairs"].heads.add(users["head_student"])
    departments["academic-affairs"].heads.add(users["head_academic"])
    departments["publicity"].heads.add(users["head_publicity"])
    departments["logistics"].heads.add(users["head_logistics"])
    for department in departments.values():
        if department.supervising_leader_id is None:
            department.supervising_leader = users["leader"]
            department.save()
    Person.objects.get_or_create(
        kind="student",
        number="2026010101",
        defaults={
            "name": "张小雨",
            "user": users["contributor"],
            "department": departments["student-affairs"],
            "email": "contributor@example.edu.cn",
        },
    )
    return users


def semester_around(today):
    """(name, start, end, vacation kind, vacation start, vacation end) of the semester the demo is in on `today`.

    Autumn runs 1 September – 22 January (winter vacation to the end of February), spring 1 March – 10 July
    (summer vacation to the end of August); in a vacation the demo shows the semester just over.
    """
    if today.month >= 9 or today < datetime.date(today.year, 3, 1):
        year = today.year if today.month >= 9 else today.year - 1
        first_of_march = datetime.date(year + 1, 3, 1)
        return (
            f"{year}–{year + 1} 学年第一学期",
            datetime.date(year, 9, 1),
            datetime.date(year + 1, 1, 22),
            Vacation.Kind.WINTER,
            datetime.date(year + 1, 1, 23),
            first_of_march - datetime.timedelta(days=1),
        )
    year = today.year
    return (
        f"{year - 1}–{year} 学年第二学期",
        datetime.date(year, 3, 1),
        datetime.date(year, 7, 10),
        Vacation.Kind.SUMMER,
        datetime.date(year, 7, 11),
        datetime.date(year, 8, 31),
    )


def ensure_semester():
    """The semester around today, so the demo's history is always its weeks so far (cms/demo/history.py)."""
    name, start, end, vacation, vacation_start, vacation_end = semester_around(timezone.localdate())
    semester, created = Semester.objects.get_or_create(name=name, defaults={"start": start, "end": end})
    if created:
        Vacation.objects.create(semester=semester, kind=vacation, start=vacation_start, end=vacation_end)
    return semester


def _body(text):
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


def _publish_through_office_review(article, office):
    """The demo's office articles go live the only way any article does: office review approves them (A6.3.1)."""
    article.save_revision(user=office)
    article.get_workflow().start(article, office)
    article.refresh_from_db()
    task_state = article.current_workflow_task_state.specific
    checklist = {f"check_{key}": True for key in CHECKLIST_KEYS}
    perform(task_state.task.specific, task_state, office, "approve", comment="演示数据", **checklist)


def ensure_articles(index, departments, users):
    if ArticlePage.objects.exists():
        return
    published = [
        ("瑞安学院举行2026级新生开学典礼", Category.NEWS, "9月8日上午，2026级新生开学典礼在体育馆隆重举行。"),
        ("图书馆延长晚间开放时间", Category.STUDY, "自10月起，图书馆晚间开放至22:00。"),
        ("秋季运动会圆满落幕", Category.CAMPUS_LIFE, "两天的比赛中，同学们奋勇拼搏。"),
    ]
    for (title, category, text), color in zip(published, COVER_COLORS, strict=False):
        article = index.add_child(
            instance=ArticlePage(
                title=title,
                digest=text,
                category=category,
                body=_body(text),
                provider_kind=ProviderKind.OFFICE,
                responsible_editor="王晓明",
                photographer="校园记者团",
                layout_editor="王晓明",
                owner=users["office"],
                cover_image=cover(title, color),
            )
        )
        _publish_through_office_review(article, users["office"])
    draft = index.add_child(
        instance=ArticlePage(
            title="学生处开展心理健康宣传月活动",
            digest="十一月是心理健康宣传月。",
            category=Category.CAMPUS_LIFE,
            body=_body("本月学生处将举办讲座、团体辅导等活动。"),
            provider_kind=ProviderKind.DEPARTMENT,
            department=departments["student-affairs"],
            owner=users["contributor"],
            live=False,
        )
    )
    revision = draft.save_revision(user=users["contributor"])
    workflow = draft.get_workflow()
    if workflow is not None:
        workflow.start(draft, users["contributor"])
    return revision


DEMO_WECHAT_APPID = "wx0000000000000000"  # the sandbox's demo account (manage.py wechat_sandbox)


def ensure_wechat_account():
    """The demo WeChat account, pointed at the bundled sandbox; its secrets come from the environment."""
    account, _created = WeChatAccount.objects.get_or_create(
        slug="demo",
        defaults={
            "name": "新闻中心（沙盒）",
            "wechat_id": "newsroom_demo",
            "appid": DEMO_WECHAT_APPID,
            "kind": WeChatAccount.Kind.SUBSCRIPTION,
            "verified": True,
            "secret_env": "WECHAT_SANDBOX_SECRET",
            "callback_token_env": "WECHAT_DEMO_TOKEN",
            "aes_key_env": "WECHAT_DEMO_AES_KEY",
            "callback_mode": WeChatAccount.CallbackMode.SAFE,
            "api_base_url": os.environ.get("WECHAT_SANDBOX_URL", "http://127.0.0.1:8765"),
            "preview_wxnames": "demo_tester",
        },
    )
    if not account.oauth_base_url:  # staff bind their WeChat through the sandbox's authorize page (A21)
        account.oauth_base_url = account.api_base_url or os.environ.get("WECHAT_SANDBOX_URL", "http://127.0.0.1:8765")
        account.save(update_fields=["oauth_base_url"])
    return account


@transaction.atomic
def seed_demo():
    """Create the demo site and return the logins as (username, role name) pairs."""
    _home, index = ensure_site()
    departments = ensure_departments()
    users = ensure_users(departments)
    semester = ensure_semester()
    account = ensure_wechat_account()
    ensure_articles(index, departments, users)
    logins = [(username, ROLES_BY_KEY[role].name) for username, _n, role, _d in DEMO_USERS]
    staff_logins = ensure_staff(departments, account, DEMO_PASSWORD)  # the staff duty report's states (A21)
    ensure_governance(account, users, departments)  # cases, a menu change, a credential holder (A6.4–A6.6)
    ensure_former_head(departments, DEMO_PASSWORD)  # 团委's head left: the leader stands in (A6.1)
    ensure_youth_league_contribution(departments)  # ...and its material waits, flagged (A6.2)
    ensure_history(semester, account, users["office"])  # the semester so far: reports with something true in them
    past.name_earlier(account)  # a demo seeded before past pushes kept their msg_data_id: its comments (A13)
    ensure_activity(account, semester)  # followers' subscribes, menu clicks and messages, to export (A14)
    if comments_file := os.environ.get("WECHAT_DEMO_COMMENTS"):  # `make demo` starts its sandbox with them (A13)
        write_sandbox_comments(account, Path(comments_file))
    # The dashboard and the policy reports read outcomes the worker stores: the demo opens with them computed.
    outcomes.refresh(everything=True)
    return [("admin", "超级管理员 / superuser"), *logins, *staff_logins]
