"""The cover field of the public form and of the revision (A6: WeChat needs a cover), attacked over HTTP.

The cover is a position among the article's own images, so no value can name an image of another
article: out of range, not a number, another article's image id, a replayed form and parallel
revisions each get a clear answer, never a 500, and change nothing they should not.
"""

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.contributions.services import body_image_ids
from cms.models import ArticlePage, Contribution
from cms.review.actions import perform
from tests.security.visitor import Visitor, assert_no_server_error, contribution_form

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("fresh_state")]

KEPT = re.compile(r'name="kept_images" value="([^"]*)"')


def png(name):
    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "blue").save(buffer, "PNG")
    return ("images", (name, buffer.getvalue(), "image/png"))


def images(count):
    return [png(f"p{n}.png") for n in range(count)]


def contributed(visitor, people, count=2, **overrides):
    response = visitor.post("/contribute/", contribution_form(people, **overrides), files=images(count))
    assert response.status_code == 302, response.text[:2000]
    return Contribution.objects.latest("pk")


def sent_back(contribution, people):
    page = ArticlePage.objects.get(pk=contribution.page_id)
    task_state = page.current_workflow_task_state.specific
    perform(task_state.task.specific, task_state, people["head_a"], "reject", reason="typo", comment="请改错字")


def draft(contribution):
    return ArticlePage.objects.get(pk=contribution.page_id).get_latest_revision_as_object()


@pytest.mark.parametrize("cover", ["3", "0", "-1", "abc", "1e3", "99999999999999999999", "１", "2 ", "\x00"])
def test_a_cover_that_is_not_one_of_the_images_is_refused_and_nothing_is_filed(visitor, site_tree, people, cover):
    response = visitor.post("/contribute/", contribution_form(people, cover=cover), files=images(2))
    assert_no_server_error(response)
    assert response.status_code == 200
    assert 'class="errorlist' in response.text and "field-cover has-error" in response.text
    assert not Contribution.objects.exists()


def test_another_articles_image_id_cannot_become_the_cover(visitor, site_tree, people):
    first = contributed(visitor, people, count=3)
    # Position 1 is the form's default ("the first image, if any"), so an id that happens to be 1 means no cover
    # for material without images; the ids after the first are never 1 and never a position of the second's.
    others = body_image_ids(draft(first).body)[1:]
    second = contributed(visitor, people, count=0, number="2026999999", email="wang@example.edu.cn")
    sent_back(second, people)
    path = f"/contribute/status/{second.status_token}/"
    before = ArticlePage.objects.get(pk=second.page_id).revisions.count()

    for image_id in others:
        response = visitor.post(path, {"title": "改", "text": "改", "cover": str(image_id)})
        assert_no_server_error(response)
        assert response.status_code == 200 and "field-cover has-error" in response.text
    assert ArticlePage.objects.get(pk=second.page_id).revisions.count() == before
    assert draft(second).cover_image_id is None
    assert all(image.collection.name == "Root" for image in get_image_model().objects.filter(pk__in=others))


def test_a_replayed_form_cannot_reuse_kept_images_as_its_cover(visitor, site_tree, people):
    failed = visitor.post("/contribute/", contribution_form(people, name=""), files=images(2))
    token = KEPT.search(failed.text).group(1)
    data = contribution_form(people, kept_images=token, cover="2")
    first = visitor.post("/contribute/", data)
    assert first.status_code == 302
    contribution = Contribution.objects.get()
    cover = draft(contribution).cover_image_id

    replay = visitor.post("/contribute/", data)  # the same form again: its kept images now belong to an article
    assert_no_server_error(replay)
    assert replay.status_code == 200 and "field-cover has-error" in replay.text
    assert Contribution.objects.count() == 1
    assert draft(contribution).cover_image_id == cover


def test_a_replayed_revision_is_refused_and_keeps_the_cover(visitor, site_tree, people):
    contribution = contributed(visitor, people)
    sent_back(contribution, people)
    path = f"/contribute/status/{contribution.status_token}/"
    accepted = visitor.post(path, {"title": "改", "text": "改", "cover": "2"})
    assert accepted.status_code == 302
    cover = draft(contribution).cover_image_id
    assert cover == body_image_ids(draft(contribution).body)[1]

    replay = visitor.post(path, {"title": "再改", "text": "再改", "cover": "1"})
    assert_no_server_error(replay)
    assert replay.status_code == 409
    assert draft(contribution).cover_image_id == cover and draft(contribution).title == "改"


def test_parallel_revisions_one_wins_and_its_cover_is_kept(live_server, site_tree, people):
    contribution = contributed(Visitor(live_server.url), people)
    sent_back(contribution, people)
    path = f"/contribute/status/{contribution.status_token}/"
    browsers = [Visitor(live_server.url) for _ in range(4)]
    tokens = [browser.csrf_token(path) for browser in browsers]
    start = threading.Barrier(len(browsers))

    def send(n):
        start.wait()
        data = {"title": f"修改{n}", "text": "改", "cover": str(n % 2 + 1), "csrfmiddlewaretoken": tokens[n]}
        return browsers[n].post(path, data)

    with ThreadPoolExecutor(len(browsers)) as pool:
        responses = list(pool.map(send, range(len(browsers))))
    for response in responses:
        assert_no_server_error(response)
    assert sorted(response.status_code for response in responses) == [302, 409, 409, 409]
    winner = next(n for n, response in enumerate(responses) if response.status_code == 302)
    revised = draft(contribution)
    assert revised.title == f"修改{winner}"
    assert revised.cover_image_id == body_image_ids(revised.body)[winner % 2]
