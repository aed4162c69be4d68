"""Flooding the public forms from one address with parallel requests (hole 4).

The limits (A6.1 contributions, A6.5.2 reports: CONTRIBUTION_RATE_LIMIT per window and
client address; held uploads: images and CONTRIBUTION_UPLOAD_BYTES_PER_HOUR) used to be
checked before the work and counted after it, so every request in flight passed the check.
Each attack here opens the form in many browsers first, then sends every POST at once.
"""

import datetime
import io
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.contributions.schedule import HELD_UPLOADS_PURGE
from cms.contributions.services import PENDING_COLLECTION_NAME
from cms.contributions.views import _rate_limit_message
from cms.models import ArticlePage, Case, Contribution
from cms.public_forms import ratelimit
from tests.security.visitor import Visitor, assert_no_server_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LIMIT = 5
PARALLEL = 20


@pytest.fixture(autouse=True)
def limits(settings, tmp_path):
    """The default limit of 5 per hour, nothing counted yet; uploads go to a throw-away media folder."""
    cache.clear()  # where counters used to live
    settings.MEDIA_ROOT = str(tmp_path)
    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_RATE_LIMIT": LIMIT}
    return settings


def flood(live_server, path, payload):
    """POST `payload(n)` to `path` from PARALLEL browsers at once; each opened the form first."""
    visitors = [Visitor(live_server.url) for _ in range(PARALLEL)]
    tokens = [visitor.csrf_token(path) for visitor in visitors]
    start = threading.Barrier(PARALLEL)

    def send(n):
        data, files = payload(n)
        start.wait()  # every request in flight together, none counted yet
        return visitors[n].post(path, {**data, "csrfmiddlewaretoken": tokens[n]}, files=files)

    with ThreadPoolExecutor(PARALLEL) as pool:
        responses = list(pool.map(send, range(PARALLEL)))
    for response in responses:
        assert_no_server_error(response)
    return responses


def statuses(responses):
    return sorted(response.status_code for response in responses)


def message(kind=ratelimit.SUBMISSIONS):
    with translation.override("zh-hans"):
        return escape(_rate_limit_message(kind))


def contribution(people, n):
    return {
        "title": f"运动会开幕{n}",
        "text": "第一段\n\n第二段",
        "name": "李同学",
        "number": f"2026{n:06d}",
        "kind": "student",
        "department": people["dept_a"].pk,
        "email": f"p{n}@example.edu.cn",  # a new address each time: the client address is what is limited
        "on_behalf_of": "self",
    }


def test_parallel_contributions_from_one_address_stop_at_the_limit(live_server, site_tree, people):
    before = Contribution.objects.count(), ArticlePage.objects.count()
    responses = flood(live_server, "/contribute/", lambda n: (contribution(people, n), None))

    assert statuses(responses) == [302] * LIMIT + [429] * (PARALLEL - LIMIT)
    assert all(message() in r.text for r in responses if r.status_code == 429)
    assert (Contribution.objects.count(), ArticlePage.objects.count()) == (before[0] + LIMIT, before[1] + LIMIT)


def test_parallel_reports_from_one_address_stop_at_the_limit(live_server, db):
    from cms.cases.report_views import _rate_limit_message as report_message

    before = Case.objects.count()
    report = {"category": "harmful", "link": "", "name": "", "contact": "", "website": ""}
    responses = flood(live_server, "/report/", lambda n: ({**report, "text": f"第{n}次举报：某文章有赌博链接。"}, None))

    assert statuses(responses) == [302] * LIMIT + [429] * (PARALLEL - LIMIT)
    with translation.override("zh-hans"):
        refusal = escape(report_message())
    assert all(refusal in r.text for r in responses if r.status_code == 429)
    assert Case.objects.count() == before + LIMIT


def png_bytes():
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", (40, 30), os.urandom(40 * 30 * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def stored_files(media_root):
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def held_images():
    return get_image_model().objects.filter(collection__name=PENDING_COLLECTION_NAME)


@pytest.mark.parametrize("limit", [ratelimit.UPLOAD_BYTES, ratelimit.HELD_IMAGES])
def test_parallel_failing_forms_hold_no_more_uploads_than_the_limits(live_server, site_tree, people, limits, limit):
    image = png_bytes()
    if limit == ratelimit.UPLOAD_BYTES:  # room for five and a half images
        limits.NEWSROOM = {**limits.NEWSROOM, "CONTRIBUTION_UPLOAD_BYTES_PER_HOUR": len(image) * 11 // 2}
    else:  # 5 submissions × 1 image
        limits.NEWSROOM = {**limits.NEWSROOM, "CONTRIBUTION_MAX_IMAGES": 1}
    before = held_images().count(), stored_files(limits.MEDIA_ROOT)

    def failing_form(n):  # no name: the form fails and its valid image is held
        return {**contribution(people, n), "name": ""}, {"images": (f"photo{n}.png", image, "image/png")}

    responses = flood(live_server, "/contribute/", failing_form)

    assert statuses(responses) == [200] * LIMIT + [429] * (PARALLEL - LIMIT)
    assert all(message(limit) in r.text for r in responses if r.status_code == 429)
    assert held_images().count() == before[0] + LIMIT
    stored = [path for path in stored_files(limits.MEDIA_ROOT) if path not in before[1]]
    assert len(stored) == LIMIT and sum(path.stat().st_size for path in stored) == LIMIT * len(image)
    assert not Contribution.objects.exists()


def test_held_uploads_are_purged_on_an_hourly_schedule(live_server, visitor, site_tree, people, limits):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name=HELD_UPLOADS_PURGE)
    assert schedule.schedule_type == Schedule.HOURLY and schedule.repeats == -1

    form = {**contribution(people, 1), "name": ""}
    response = visitor.post("/contribute/", form, files={"images": ("old.png", png_bytes(), "image/png")})
    assert response.status_code == 200 and held_images().count() == 1
    held = held_images().get()
    path = Path(held.file.path)
    assert path.exists()

    import_string(schedule.func)()  # not expired yet: kept
    assert held_images().count() == 1
    held_images().update(created_at=timezone.now() - datetime.timedelta(days=2))
    import_string(schedule.func)()
    assert not held_images().exists() and not path.exists()


def test_a_revision_cannot_store_images_past_the_upload_budget(visitor, site_tree, people, limits):
    """A6.2.5: the private status page revises sent-back material; its new images count like any upload."""
    from cms.review.actions import perform

    image = png_bytes()
    limits.NEWSROOM = {**limits.NEWSROOM, "CONTRIBUTION_UPLOAD_BYTES_PER_HOUR": len(image) * 5 // 2}
    assert visitor.post("/contribute/", contribution(people, 1)).status_code == 302
    contribution_row = Contribution.objects.get()
    task_state = contribution_row.page.current_workflow_task_state.specific
    perform(task_state.task.specific, task_state, people["head_a"], "reject", reason="typo", comment="请补图")
    page = ArticlePage.objects.get()
    revisions, images = page.revisions.count(), get_image_model().objects.count()
    status = f"/contribute/status/{contribution_row.status_token}/"
    three = [("images", (f"photo{n}.png", image, "image/png")) for n in range(3)]

    response = visitor.post(status, {"title": "运动会开幕", "text": "补三张图"}, files=three)

    assert_no_server_error(response)
    assert response.status_code == 429
    assert message(ratelimit.UPLOAD_BYTES) in response.text
    assert (page.revisions.count(), get_image_model().objects.count()) == (revisions, images)
    assert "补三张图" in response.text  # what was typed is kept
