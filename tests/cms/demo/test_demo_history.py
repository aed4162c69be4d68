"""The demo has a past (issue 14): every policy report shows something true from the first minute.

The semester so far is seeded through the product's services (cms/demo/history.py); these tests read it the way
the office head and the policy administrator do, through the dashboard, the reports and a dry run.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from cms.demo.history_data import PLANS
from cms.demo.site import seed_demo, semester_around
from cms.models import ArticlePage, DisciplineNotice, PointAward, ReviewError, Submission
from policy_rules import coverage
from tests.policy_rules.editor_form import url
from tests.policy_rules.governance import validated
from wechat_channel.models import Push, PushEvent, PushItem

RECORDS = (ArticlePage, Submission, ReviewError, PointAward, DisciplineNotice, Push, PushItem, PushEvent)


def _text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    seed_demo()
    return {model: model.objects.count() for model in RECORDS}


def test_the_semester_so_far_shows_in_the_dashboard_and_every_report(demo, client, django_user_model):
    seed_demo()
    assert {model: model.objects.count() for model in RECORDS} == demo  # seeding again adds nothing
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
    demo, client, django_user_model, mailoutbox
):
    titles = [title for plan in PLANS.values() for title in plan["titles"]]
    about_the_past = [m.subject for m in mailoutbox if any(title in m.subject + m.body for title in titles)]
    assert mailoutbox and about_the_past == []  # today's demo mails as ever; nobody is told today about September
    published = PushItem.objects.filter(state=PushItem.State.PUBLISHED)
    assert published.count() > 60 and not published.filter(wechat_url="").exists()
    assert not Push.objects.filter(state=Push.State.PLANNED, slot__date__lt="2026-12-01").exists()

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


@pytest.mark.parametrize(
    ("today", "name", "start", "end"),
    [
        ("2026-12-06", "2026–2027 学年第一学期", "2026-09-01", "2027-01-22"),
        ("2027-01-10", "2026–2027 学年第一学期", "2026-09-01", "2027-01-22"),
        ("2027-02-15", "2026–2027 学年第一学期", "2026-09-01", "2027-01-22"),  # winter vacation: the one just over
        ("2027-03-01", "2026–2027 学年第二学期", "2027-03-01", "2027-07-10"),
        ("2027-08-20", "2026–2027 学年第二学期", "2027-03-01", "2027-07-10"),
        ("2027-09-01", "2027–2028 学年第一学期", "2027-09-01", "2028-01-22"),
    ],
)
def test_the_demo_is_always_in_the_semester_around_today(today, name, start, end):
    found = semester_around(datetime.date.fromisoformat(today))
    assert (found[0], found[1].isoformat(), found[2].isoformat()) == (name, start, end)
    assert found[4] == found[2] + datetime.timedelta(days=1)  # its vacation follows it
