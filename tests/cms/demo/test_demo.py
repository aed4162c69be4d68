"""The demo (`manage.py seed_demo`), seeded once for this module and read the way its users read it.

It has a past (issue 14): the semester so far, seeded through the product's services (cms/demo/history.py), shows
in the dashboard, every policy report and a dry run. It has something to do in each governance workflow (A6.4–A6.6),
review routing around a department whose head left (A6.1, A6.2) and staff in every state of the duty report (A21).

Seeding takes about twenty seconds, so it happens once: each test runs in its own savepoint inside the seeding's
transaction, which is rolled back after the module's last test.
"""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from cms.cases import services as cases
from cms.demo.comments import sandbox_comments
from cms.demo.history_data import PLANS
from cms.demo.review import YOUTH_LEAGUE_TITLE
from cms.demo.site import DEMO_WECHAT_APPID, seed_demo
from cms.menu_changes import services as menu_changes
from cms.models import (
    ArticlePage,
    Case,
    DepartmentHeadTask,
    DisciplineNotice,
    MenuChangeApplication,
    PointAward,
    ReviewError,
    Submission,
)
from cms.review import stalls
from cms.staff_duty import services as staff_duty
from policy_rules import coverage
from tests.policy_rules.editor_form import url
from tests.policy_rules.governance import validated
from wechat_channel import bindings
from wechat_channel import comments as wechat_comments
from wechat_channel import menu as wechat_menu
from wechat_channel.activity import retention_days
from wechat_channel.credentials import services as credentials
from wechat_channel.models import ArticleComment, FollowerActivity, FollowerBinding, Push, PushEvent, PushItem
from wechat_channel.sandbox import default_openids, former_follower
from wechat_channel.sandbox.comment_api import seed_comments
from wechat_channel.sandbox.server import SandboxServer

RECORDS = (
    ArticlePage,
    Submission,
    ReviewError,
    PointAward,
    DisciplineNotice,
    Push,
    PushItem,
    PushEvent,
    Case,
    MenuChangeApplication,
    FollowerBinding,
    FollowerActivity,
)


def counts():
    return {model.__name__: model.objects.count() for model in RECORDS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo seeded once, with what it e-mailed; rolled back after the module."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        mail.outbox = []
        at = timezone.now()
        seed_demo()
        yield {"at": at, "counts": counts(), "mails": list(mail.outbox)}
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def _text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def test_seeding_again_adds_nothing(demo):
    seed_demo()

    assert counts() == demo["counts"]


# A demo with a past (issue 14)


def test_the_semester_so_far_shows_in_the_dashboard_and_every_report(demo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="policy"))

    dashboard = _text(client.get(reverse("wagtailadmin_home")))
    met, missed = map(int, re.search(r"(\d+) 个工作日达标，(\d+) 个未达标", dashboard).groups())
    assert met > 3 * missed > 0  # A11.1: most working days had their push, a few did not
    on_track = int(re.search(r"5 个科室中有 (\d+) 个", dashboard).group(1))
    assert 0 < on_track < 5  # A8: some departments keep pace, some do not
    assert "2 个科室达到差错处理级别" in dashboard  # A20

    quotas = _text(client.get(reverse("policy_reports:departments")))
    assert "已达到" in quotas and "进度落后" in quotas and "✗" in quotas  # A8: met, behind pace, missed weeks
    points = _text(client.get(reverse("policy_reports:leaderboard")))
    assert re.search(r"1 张小雨 #\d+ 学生处 (\d+) \1 \1 一等奖 60", points)  # A17: points and a prize
    staff = _text(client.get(reverse("policy_reports:staff")))
    assert re.search(r"1 王丽华 #\d+ 学生处 [1-9]\d* [1-9]\d* 是", staff)  # A18: a certificate
    discipline = _text(client.get(reverse("policy_reports:discipline")))
    assert "后勤处 8 上报分管领导" in discipline and "宣传部 5 警告" in discipline  # A20
    assessment = _text(client.get(reverse("policy_reports:assessment")))
    assert "建议减少优秀比例" in assessment and "建议不调整优秀比例" in assessment  # A22

    client.force_login(django_user_model.objects.get(username="head_logistics"))
    head = _text(client.get(reverse("wagtailadmin_home")))  # the head was told when each level was reached
    assert "后勤处 · 移交分管领导约谈 · 8 处差错" in head and "后勤处 · 警告科室负责人 · 5 处差错" in head


def test_every_article_that_went_out_has_its_wechat_link_and_a_changed_policy_changes_outcomes(
    demo, client, django_user_model
):
    titles = [title for plan in PLANS.values() for title in plan["titles"]]
    mails = demo["mails"]
    about_the_past = [m.subject for m in mails if any(title in m.subject + m.body for title in titles)]
    assert mails and about_the_past == []  # today's demo mails as ever; nobody is told today about September
    published = PushItem.objects.filter(state=PushItem.State.PUBLISHED)
    assert published.count() > 60 and not published.filter(wechat_url="").exists()
    assert not Push.objects.filter(state=Push.State.PLANNED, slot__lt=demo["at"]).exists()  # the past went out

    policy = django_user_model.objects.get(username="policy")
    version = validated(policy, discipline__warning_at=2)  # A20: warned at two errors instead of five
    default = coverage.default_period()  # the last 8 complete weeks: the demo has no semester that is over
    client.force_login(policy)
    response = client.post(
        url("dry_run", version.pk),
        {"start": default["start"].isoformat(), "end": default["end"].isoformat()},
        follow=True,
    )
    report = _text(response)
    assert int(re.search(r"(\d+) 项结果变化", report).group(1)) > 0
    assert "后勤处：不处理 → 警告" in report  # its errors of those weeks now warn its head


# Governance workflows with something to do (A6.4, A6.5, A6.6)


def test_the_demo_has_cases_a_menu_change_and_a_credential_holder(demo, django_user_model):
    assert sorted(Case.objects.values_list("kind", "source")) == sorted(
        [
            (Case.Kind.REPORT, Case.Source.WECHAT),
            (Case.Kind.REPORT, Case.Source.SITE),
            (Case.Kind.SYSTEM_ERROR, Case.Source.CHANNEL),
        ]
    )
    late = [case.number for case in Case.objects.all() if case.is_late(timezone.now())]
    assert late == [Case.objects.get(source=Case.Source.SITE).number]  # the late one shows how escalation looks
    assert cases.escalate_late() == late

    application = MenuChangeApplication.objects.get()
    assert application.status == MenuChangeApplication.Status.SUBMITTED
    assert wechat_menu.validate_menu(application.menu) == []
    head = django_user_model.objects.get(username="head_student")
    assert application in menu_changes.awaiting(head)  # on the department head's dashboard

    account = application.account
    assert [h.user.username for h in credentials.current_holders(account)] == ["channel"]
    assert not credentials.needs_rotation(account)


# Review routing: 团委's head has left, and the office sees it (A6.1, A6.2)


def test_the_demo_warns_the_office_and_routes_youth_league_material_to_the_leader(demo, django_user_model, client):
    page = ArticlePage.objects.get(title=YOUTH_LEAGUE_TITLE)
    leader = django_user_model.objects.get(username="leader")
    moderated = DepartmentHeadTask.objects.get().get_task_states_user_can_moderate(leader)
    assert [int(state.workflow_state.object_id) for state in moderated] == [page.pk]
    assert [review.page_id for review in stalls.stalled_reviews(leader)[0]] == [page.pk]

    client.force_login(django_user_model.objects.get(username="office"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-department="youth-league"' in html and "团委" in html and "陈志强" in html
    assert f'data-stalled-page="{page.pk}"' in html


# The staff duty report's states (A21)


def test_the_demo_shows_every_state_and_a_check_on_the_sandbox_agrees(demo, monkeypatch):
    before = staff_duty.counts(staff_duty.duty_rows())
    # 钱永明, and 后勤处's 沈国良 who files its material on the public form (cms/demo/history_data.py), have no login
    assert before == {"no_account": 2, "not_bound": 1, "unsubscribed": 1, "unknown": 1, "subscribed": 1}

    cache.clear()
    monkeypatch.setenv("WECHAT_SANDBOX_SECRET", "demo-secret")
    with SandboxServer(accounts={DEMO_WECHAT_APPID: "demo-secret"}) as server:
        account = FollowerBinding.objects.first().account
        account.api_base_url = account.oauth_base_url = server.url
        account.save()
        bindings.check_subscriptions(account)

    after = staff_duty.counts(staff_duty.duty_rows())
    assert after == {**before, "unknown": 0, "subscribed": 2}  # the unchecked one follows; the leaver stays left


# Follower activity (A14) and comments (A13)


def test_the_office_head_exports_the_semesters_follower_activity_and_the_office_may_not(
    demo, client, django_user_model
):
    records = FollowerActivity.objects.filter(account__appid=DEMO_WECHAT_APPID)
    kinds = set(records.values_list("kind", flat=True))
    assert {FollowerActivity.Kind.SUBSCRIBE, FollowerActivity.Kind.UNSUBSCRIBE} <= kinds
    assert {FollowerActivity.Kind.MENU_CLICK, FollowerActivity.Kind.MESSAGE} <= kinds
    # The sandbox's followers, and the one who left (李红梅 in the staff duty report) is the one who unsubscribed
    openids = set(default_openids(DEMO_WECHAT_APPID)) | {former_follower(DEMO_WECHAT_APPID)}
    assert set(records.values_list("openid", flat=True)) <= openids
    left = records.get(kind=FollowerActivity.Kind.UNSUBSCRIBE)
    assert left.openid == former_follower(DEMO_WECHAT_APPID)
    # Within the policy's retention, so the daily purge keeps them all, and none is in the future
    oldest, newest = records.order_by("occurred_at").first(), records.order_by("occurred_at").last()
    days = retention_days(left.account)
    assert days is None or oldest.occurred_at > timezone.now() - datetime.timedelta(days=days)
    assert newest.occurred_at < timezone.now()

    today = timezone.localdate()
    form = {
        "authority": "瑞安市公安局",
        "reference": "瑞公（网）调字〔2026〕18号",
        "account": left.account.pk,
        "start": (today - datetime.timedelta(days=400)).isoformat(),
        "end": today.isoformat(),
        "format": "csv",
    }
    client.force_login(django_user_model.objects.get(username="office"))
    assert client.post(reverse("wechat_admin:activity_export"), form).status_code == 403
    client.force_login(django_user_model.objects.get(username="policy"))
    response = client.post(reverse("wechat_admin:activity_export"), form)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = next(number for number, row in enumerate(rows) if row[2:3] == ["openid"])
    exported = rows[header + 1 :]
    assert len(exported) == records.count() > 10
    assert any(row[3] == "取消关注" and row[2] == left.openid for row in exported)


def test_the_latest_pushes_can_be_commented_on_and_their_comments_reach_the_moderation_page(
    demo, client, django_user_model, monkeypatch
):
    account = FollowerBinding.objects.first().account
    # What the comment page lists: published articles WeChat names by (msg_data_id, index) (A13, WECHAT.md §8.1)
    articles = list(wechat_comments.published_items(account))
    assert articles and all(item.push.msg_data_id for item in articles)

    start = sandbox_comments(account)  # what `make demo` starts its sandbox with
    entries = start["comments"]
    latest = Push.objects.filter(account=account, state=Push.State.DONE).order_by("-sent_at").first()
    assert {entry["msg_data_id"] for entry in entries} >= {latest.msg_data_id}
    assert {entry["msg_data_id"] for entry in start["articles"]} >= {item.push.msg_data_id for item in articles}
    words = wechat_comments.flag_words(account)
    assert [bool(wechat_comments.flags(entry["content"], words)) for entry in entries].count(True) == 1

    cache.clear()
    monkeypatch.setenv("WECHAT_SANDBOX_SECRET", "demo-secret")
    with SandboxServer(accounts={DEMO_WECHAT_APPID: "demo-secret"}) as server:
        seed_comments(server.sandbox, start, lambda appid: default_openids(appid)[0])
        account.api_base_url = server.url
        account.save()
        fetched = wechat_comments.fetch(account)
    assert (fetched.articles, fetched.new, fetched.errors) == (len(articles), len(entries), [])

    client.force_login(django_user_model.objects.get(username="office"))
    page = _text(client.get(reverse("wechat_admin:comments") + f"?account={account.pk}"))
    spam = ArticleComment.objects.exclude(flagged_words=[]).get()
    assert spam.content[:6] in page and "写得很好" in page
    assert "暂无已发布的文章" not in page
