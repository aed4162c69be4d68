"""The spine, the way people use it: from the public form to WeChat, in Chromium, with no one stepping in.

A student contributes on the public form with two images (A6.1); the department head, the supervising leader and
the office approve in the admin (A6.2, A6.3); office approval publishes the article and the planner puts it on the
weekly plan (A12); its slot comes and the django-q2 cluster pushes it to the WeChat sandbox, whose PUBLISHJOBFINISH
reaches the site's callback endpoint (A14); the WeChat URL then shows on the student's private status page (A6.2.5)
and on the push's page in the admin.

Everything runs as real processes (tests/browser/journey.py): the site (`runserver`), the cluster (`qcluster`)
and the sandbox (`wechat_sandbox`), sharing the test database. Nothing here calls the site's code to move the
journey along; the test only reads the database to wait on outcomes and to check them.

How the slot "comes" without a sleep: the journey runs under a policy version whose push windows are open all
day on every day type (A11.3 lets a policy fix no window) and whose lead time is 0 (A16), so the planner's
next allowed instant is the moment office approval publishes the article — the planner and the delivery run
unchanged and nobody moves the clock. A shared fake clock would have to be honoured by the site, the worker,
django-q2's scheduler and the sandbox alike; an open window tests the same code with the real one.

The variant `restarts` also restarts the site while the material waits for review (sessions, uploads and the
queue must survive it), and SIGKILLs the worker while it is submitting the push to WeChat — the sandbox holds
that answer back long enough — then starts a new one: the push must still end published exactly once.
"""

import re
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from django.db import connection
from PIL import Image

from cms.models import ArticlePage, OfficeReviewTask, SupervisingLeaderTask
from tests.browser.journey import journey_account
from tests.browser.steps import (
    CONTRIBUTOR_EMAIL,
    TEXT,
    TITLE,
    approve_and_publish,
    approve_in_editor,
    approve_on_dashboard,
    current_stage,
    fill_credits_and_save,
    log_in,
    wait_for_url,
)
from tests.live_processes import poll
from wechat_channel.models import Push, PushItem

pytestmark = pytest.mark.browser

PUSH_SECONDS = 90  # from office approval to the URL on the site; seconds in practice (the deadline is generous)

COVER_INDEX = 1  # the student's second image (0-based), so a wrong default (the first) would show


def pick_cover_on_the_form(form, index):
    """The form numbers the images from 1 in the order they were chosen (A6: WeChat needs a cover)."""
    form.locator('select[name="cover"]').select_option(str(index + 1))


def images(directory):
    """Two small photographs (JPEG), different colours so each is its own upload."""
    paths = []
    for n, colour in enumerate([(200, 40, 40), (40, 90, 200)], start=1):
        path = Path(directory) / f"sports-day-{n}.jpg"
        Image.new("RGB", (320, 200), colour).save(path, format="JPEG")
        paths.append(path)
    return paths


def contribute(page, department, photos):
    """The public form, filled as a student does, with both images and the second picked as cover."""
    page.goto("/contribute/")
    form = page.locator("form.contribution")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="text"]').fill(TEXT)
    form.locator('input[type="file"][name="images"]').set_input_files([str(p) for p in photos])
    pick_cover_on_the_form(form, COVER_INDEX)
    form.locator('input[name="name"]').fill("张同学")
    form.locator('input[name="number"]').fill("2026000001")
    form.locator('select[name="kind"]').select_option("student")
    form.locator('select[name="department"]').select_option(str(department.pk))
    form.locator('input[name="email"]').fill(CONTRIBUTOR_EMAIL)
    form.locator('input[type="radio"][name="on_behalf_of"][value="self"]').check()
    form.locator('button[type="submit"]').click()
    wait_for_url(page, re.compile(r"/contribute/thanks/$"), "submitting the public form")


def contributed_images(article):
    body = article.get_latest_revision_as_object().body
    return [block.value["image"] for block in body if block.block_type == "image"]


class KillInsideTheSubmit(threading.Thread):
    """Watches the pushes from its own thread (and database connection) while the browser works, and SIGKILLs
    the worker the moment one of its processes is inside WeChat's submit call: the push is `sending`, claimed."""

    def __init__(self, worker):
        super().__init__(daemon=True, name="kill-inside-the-submit")
        self.worker = worker
        self.killed = None
        self.stop = threading.Event()
        self.start()

    def run(self):
        try:
            while not self.stop.is_set():
                held = Push.objects.filter(state=Push.State.SENDING).exclude(claimed_by="").first()
                if held is not None and self.worker.holds(held.claimed_by):
                    self.worker.kill()
                    self.killed = (held.pk, held.state)
                    return
                time.sleep(0.01)
        finally:
            connection.close()

    def result(self, seconds):
        self.join(seconds)
        self.stop.set()
        return self.killed


def sandbox_calls(journey, path):
    calls = requests.get(f"{journey.sandbox_url}/sandbox/calls", params={"path": path}, timeout=5).json()["calls"]
    return [call for call in calls if call["errcode"] == 0]


@pytest.mark.parametrize("trouble", ["none", "restarts"])
def test_a_students_contribution_reaches_wechat_and_its_url_reaches_the_student(
    journey, journey_context, people, open_window, trouble
):
    account = journey_account(journey)
    photos = images(tempfile.mkdtemp(prefix="newsroom-journey-"))

    # 1. A student contributes on the public form, with two images, and gets the status link by e-mail.
    student = journey_context().new_page()
    contribute(student, people["dept_a"], photos)
    article = ArticlePage.objects.get(title=TITLE)
    status_link = journey.status_link(CONTRIBUTOR_EMAIL)
    assert status_link, f"no receipt with a status link; worker log:\n{journey.worker.log_tail()}"
    student.goto(status_link)
    assert "审核中" in student.locator(".contribution-status").inner_text()

    if trouble == "restarts":
        journey.site.restart()  # the material, the uploads and the queue are in the database and media

    # 2-3. The department head approves in the editor; the supervising leader on the dashboard.
    approve_in_editor(log_in(journey_context(), "head_a"), article)
    assert current_stage(article) is SupervisingLeaderTask
    approve_on_dashboard(log_in(journey_context(), "leader_a"), article)
    assert current_stage(article) is OfficeReviewTask

    # 4. The office completes the credits (the cover is the student's pick), then approves with the checklist.
    if trouble == "restarts":  # the submit call will take 2 s: long enough to kill its worker inside it
        control(journey, "faults", {"paths": {"freepublish/submit": {"slow": 1.0, "slow_ms": 2000}}})
        killer = KillInsideTheSubmit(journey.worker)
    office = log_in(journey_context(), "office")
    photos_in_article = contributed_images(article)
    assert len(photos_in_article) == 2
    fill_credits_and_save(office, article)  # the cover is the one the student picked
    approve_and_publish(office, article)
    article.refresh_from_db()
    assert article.live and article.cover_image_id == photos_in_article[COVER_INDEX].pk

    # 5. Planned on the account, pushed when its slot comes — by the cluster, through the sandbox.
    item = poll(lambda: PushItem.objects.filter(account=account, page=article).first(), 30, every=0.2)
    assert item is not None, f"not planned; worker log:\n{journey.worker.log_tail()}"
    push = item.push
    if trouble == "restarts":
        killed = killer.result(seconds=60)
        assert killed == (push.pk, Push.State.SENDING), f"the worker was not killed inside the submit call: {killed}"
        control(journey, "faults", {})
        journey.worker.start()  # a new worker; the killed one held the push and never let go
    done = poll(lambda: PushItem.objects.filter(pk=item.pk).exclude(wechat_url="").first(), PUSH_SECONDS, every=0.2)
    push.refresh_from_db()
    assert done is not None, f"push {push.state}: {push.error_message}\n{journey.worker.log_tail()}"
    assert done.state == PushItem.State.PUBLISHED and push.state == Push.State.DONE
    assert done.wechat_url.startswith(f"{journey.sandbox_url}/s/")
    # Exactly once: one draft, one submission WeChat accepted, one "done" on the push's history.
    assert len(sandbox_calls(journey, "/cgi-bin/draft/add")) == 1
    assert len(sandbox_calls(journey, "/cgi-bin/freepublish/submit")) == 1
    assert push.events.filter(action="done").count() == 1

    # 6. The office sees it on the weekly plan, and the WeChat link on the push's page.
    office.goto("/admin/wechat/plan/")
    assert TITLE in office.locator(f'[data-push="{push.pk}"] [data-item="{item.pk}"]').inner_text()
    office.goto(f"/admin/wechat/pushes/{push.pk}/")
    on_wechat = office.locator(f'tr[data-item="{item.pk}"] a[href="{done.wechat_url}"]')
    assert on_wechat.inner_text() == "在微信中打开"

    # 7. The student's status link now says where the article is on WeChat, and the link opens it.
    student.goto(status_link)
    assert "已发布" in student.locator(".contribution-status").inner_text()
    link = student.locator(f'[data-wechat-links] a[href="{done.wechat_url}"]')
    assert link.inner_text() == f"在微信公众号“{account.name}”上阅读"
    with student.expect_navigation():
        link.click()
    assert TITLE in student.content()

    assert journey.server_errors() == []


def control(journey, name, body):
    response = requests.post(f"{journey.sandbox_url}/sandbox/{name}", json=body, timeout=5)
    response.raise_for_status()
    return response.json()
