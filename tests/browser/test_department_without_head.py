"""In a real browser, against the real processes (site, django-q2 cluster, sandbox: tests/browser/journey.py): a
public contribution for a department whose head has left still reaches a reviewer (A6.1, A6.2.4), the office is
warned on its dashboard, and material waiting too long is flagged and reminded about (A6.2).

团委's only head can no longer sign in. The student still finds 团委 on the public form; the worker e-mails the
supervising leader, who stands in, that material awaits them; the office's dashboard names the department and who
stands in; once the material has waited past the policy's time the hourly reminder (queued here as its schedule
would, and run by the worker) e-mails the leader and the office, and the leader finds it flagged in "Awaiting your
review" and approves it from there. The leader reads the admin and their e-mail in English (their account's
choice), the office in Chinese.
"""

import datetime
import functools
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from django_q.tasks import async_task
from playwright.sync_api import expect
from wagtail.models import TaskState
from wagtail.users.models import UserProfile

from cms.models import ArticlePage, Department, DepartmentHeadTask, SupervisingLeaderTask
from tests.browser.steps import current_stage, log_in, wait_for_url
from tests.factories import make_user

pytestmark = pytest.mark.browser

TITLE = "校园十佳歌手大赛决赛圆满落幕"
TEXT = "12月3日晚，校园十佳歌手大赛决赛在大礼堂举行。\n\n比赛由团委主办，十位选手同台竞技。"


@functools.cache
def shots_dir():
    """Where screenshots go, to look at: $NEWSROOM_SHOTS_DIR if set, else one fresh temporary directory."""
    directory = Path(os.environ.get("NEWSROOM_SHOTS_DIR") or tempfile.mkdtemp(prefix="newsroom-browser-"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def shot(page, name):
    directory = shots_dir()
    page.screenshot(path=str(directory / f"department-without-head-{name}.png"), full_page=True)


@pytest.fixture
def youth_league(people):
    """团委, whose head left (account deactivated); its supervising leader 陈院长助理 (leader_a) reads English."""
    people["leader_a"].first_name = "陈院长助理"
    people["leader_a"].save()
    profile = UserProfile.get_for_user(people["leader_a"])
    profile.preferred_language = "en"
    profile.save()
    former_head = make_user("head_youth", "department_head", is_active=False)
    department = Department.objects.create(name="团委", code="youth-league", supervising_leader=people["leader_a"])
    department.heads.add(former_head)
    return department


def submit_for(page, department):
    page.goto("/contribute/")
    form = page.locator("form.contribution")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="text"]').fill(TEXT)
    form.locator('input[name="name"]').fill("钟同学")
    form.locator('input[name="number"]').fill("2026030303")
    form.locator('select[name="kind"]').select_option("student")
    # 团委 is offered: someone reviews its material even without a head.
    form.locator('select[name="department"]').select_option(str(department.pk))
    form.locator('input[name="email"]').fill("zhong@example.edu.cn")
    form.locator('input[type="radio"][name="on_behalf_of"][value="department"]').check()
    shot(page, "1-public-form")
    form.locator('button[type="submit"]').click()
    wait_for_url(page, re.compile(r"/contribute/thanks/$"), "submitting the public form")


def approve_stage_on_dashboard(page, article):
    """Approve the article's current stage from "Awaiting your review" ("Approve", no modal)."""
    task_state = article.current_workflow_task_state
    approve_button = (
        f'button[data-workflow-action-url="/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/"]'
        ":not([data-launch-modal])"
    )
    row = page.locator("#awaiting-review-section tr", has=page.locator(approve_button))
    row.locator('[data-w-dropdown-target="toggle"]').click()
    with page.expect_navigation():
        row.locator(approve_button).click()
    wait_for_url(page, re.compile(r"/admin/$"), "approving on the dashboard")
    page.locator(approve_button).wait_for(state="detached")  # that stage no longer awaits anyone


def test_material_for_a_department_without_a_head_reaches_the_leader_and_the_office_is_warned(
    people, youth_league, journey, journey_context
):
    leader_address, office_address = people["leader_a"].email, people["office"].email
    submit_for(journey_context().new_page(), youth_league)
    article = ArticlePage.objects.get(title=TITLE)
    assert article.department == youth_league
    assert current_stage(article) is DepartmentHeadTask

    # The worker tells the leader, who stands in for the head, that material awaits them, in their English.
    ((subject, text),) = journey.read_mails(leader_address)
    assert subject == f'Awaiting your review: "{TITLE}"'
    assert f"/admin/pages/{article.pk}/edit/" in text

    # The office's dashboard names the department and who stands in for its head.
    office = log_in(journey_context(), "office")
    warning = office.locator("[data-newsroom-unstaffed-departments]")
    expect(warning.locator('[data-department="youth-league"]')).to_contain_text("团委")
    expect(warning).to_contain_text("没有能登录的科室负责人")
    expect(warning).to_contain_text("分管领导陈院长助理")
    expect(office.locator("[data-newsroom-stalled-reviews]")).to_have_count(0)  # nothing has waited yet
    shot(office, "2-office-warned")

    # A week on, still untouched: the hourly reminder writes to the leader and the office, each in their language,
    # once however often it runs, and the dashboards flag it.
    TaskState.objects.filter(workflow_state__object_id=str(article.pk), status="in_progress").update(
        started_at=timezone.now() - datetime.timedelta(days=7)
    )
    for _hour in range(2):
        async_task("cms.review.stalls.remind", group="journey-schedule")
    mails = journey.read_mails(leader_address, count=2)
    assert len(mails) == 2, [subject for subject, _text in mails]
    subject, text = mails[1]
    assert subject == f'Review waiting too long: "{TITLE}"'
    ((subject, text),) = journey.read_mails(office_address)
    assert subject == f"审核等待超时：“{TITLE}”"
    assert "科室负责人审核环节等待，已超过 2 个工作日" in text
    office.reload()
    flagged = office.locator(f'[data-newsroom-stalled-reviews] [data-stalled-page="{article.pk}"]')
    expect(flagged).to_contain_text(TITLE)
    expect(flagged).to_contain_text("团委")
    expect(flagged).to_contain_text("代科室负责人审核")
    expect(office.locator("[data-newsroom-stalled-reviews] h2")).to_contain_text("2 个工作日")
    shot(office, "3-office-flagged")

    # The supervising leader finds it in "Awaiting your review", flagged, and approves it there.
    leader_page = log_in(journey_context(), "leader_a")
    expect(leader_page.locator("#awaiting-review-section")).to_contain_text(TITLE)
    expect(leader_page.locator(f'[data-stalled-page="{article.pk}"]')).to_contain_text(TITLE)
    stalled = leader_page.locator("[data-newsroom-stalled-reviews]")
    expect(stalled).to_contain_text("department head review · 团委")  # the stage in the leader's English
    expect(stalled).to_contain_text("standing in for the department head")
    shot(leader_page, "4-leader-awaiting")
    approve_stage_on_dashboard(leader_page, article)
    assert current_stage(article) is SupervisingLeaderTask  # the leader's own stage comes next, still theirs
    expect(leader_page.locator("#awaiting-review-section")).to_contain_text(TITLE)
    expect(leader_page.locator("[data-newsroom-stalled-reviews]")).to_have_count(0)  # that stage has just begun
    shot(leader_page, "5-leader-own-stage")

    # Nobody else is told: the other department's head sees neither the warning nor the material, and got no mail.
    other = log_in(journey_context(), "head_b")
    expect(other.locator("[data-newsroom-unstaffed-departments]")).to_have_count(0)
    expect(other.locator("[data-newsroom-stalled-reviews]")).to_have_count(0)
    expect(other.locator("main")).not_to_contain_text(TITLE)
    assert journey.mails(people["head_b"].email) == []
    # The leader's own stage told them it awaits them; the second hour reminded nobody again.
    subjects = [subject for subject, _text in journey.read_mails(leader_address, count=3)]
    assert subjects == [
        f'Awaiting your review: "{TITLE}"',
        f'Review waiting too long: "{TITLE}"',
        f'Awaiting your review: "{TITLE}"',
    ]
    assert not journey.server_errors()
