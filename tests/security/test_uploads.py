"""Uploads through the public portal are images, stored under names the server chose, served as images.

The attack: a valid GIF followed by `<script>`, uploaded as `notice.html`, was kept under that name and
served from the site's own origin as a web page. Now the decoded format decides the extension
(JPEG, PNG, GIF, WebP only), Wagtail's own image checks apply, the title is neutral, and media
responses carry `nosniff` (non-images are only downloaded).
"""

import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test.testcases import _MediaFilesHandler
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import ArticlePage, Contribution
from cms.review.actions import perform
from tests.security.visitor import assert_no_server_error, contribution_form

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

STORED_NAME = re.compile(r"original_images/[0-9a-f]{32}\.gif")
SCRIPT = b"<script>fetch('/admin/api/main/pages/').then(r => r.text()).then(alert)</script>"
NOT_AN_IMAGE = "不是 JPEG、PNG、GIF 或 WebP 格式的图片"


def gif():
    """A valid 3×3 GIF."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (3, 3), "red").save(buffer, "GIF")
    return buffer.getvalue()


def picture(fmt):
    buffer = io.BytesIO()
    PILImage.new("RGB", (3, 3), "red").save(buffer, fmt)
    return buffer.getvalue()


POLYGLOT = gif() + SCRIPT


@pytest.fixture
def media(settings, tmp_path, site_tree, monkeypatch):
    """A throw-away media folder, and fresh rate-limit counters (the live server runs in this process).

    Django's live server answers /media/ itself, before the site's URLs and middleware; that shortcut
    exists only in tests, so it is turned off: media is served as `runserver` and the demo serve it.
    """
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda handler, path: False)
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield tmp_path
    cache.clear()


def stored_files(media):
    return sorted(str(path.relative_to(media)) for path in Path(media).rglob("*") if path.is_file())


def polyglot_upload():
    return [("images", ("notice.html", POLYGLOT, "text/html"))]


def assert_served_as_gif(visitor, image):
    """The stored file is the upload, under a server-chosen .gif name, and the browser is told it is a GIF."""
    assert STORED_NAME.fullmatch(image.file.name), image.file.name
    assert "notice" not in image.title
    response = visitor.get(image.file.url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/gif"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.content == POLYGLOT


def test_polyglot_named_html_is_stored_and_served_as_a_gif(visitor, people, media):
    response = visitor.post("/contribute/", contribution_form(people), files=polyglot_upload())
    assert_no_server_error(response)
    assert response.status_code == 302

    page = ArticlePage.objects.get()
    [image] = [block.value["image"] for block in page.body if block.block_type == "image"]
    assert image.title == "投稿图片 1"
    assert_served_as_gif(visitor, image)
    assert not [name for name in stored_files(media) if "notice" in name or name.endswith(".html")]


def test_polyglot_held_by_a_failing_form_is_stored_and_served_as_a_gif(visitor, people, media):
    response = visitor.post("/contribute/", contribution_form(people, name=""), files=polyglot_upload())
    assert_no_server_error(response)
    assert response.status_code == 200  # the form is shown again, the image held for the next attempt
    assert not ArticlePage.objects.exists()

    image = get_image_model().objects.get()
    assert_served_as_gif(visitor, image)
    assert "notice" not in response.text.split("kept-images", 1)[1]  # the kept list names the held image neutrally
    assert not [name for name in stored_files(media) if "notice" in name or name.endswith(".html")]


def test_polyglot_added_by_a_revision_is_stored_and_served_as_a_gif(visitor, people, media):
    assert visitor.post("/contribute/", contribution_form(people)).status_code == 302
    contribution = Contribution.objects.get()
    page = contribution.page
    task_state = page.current_workflow_task_state.specific
    perform(task_state.task.specific, task_state, people["head_a"], "reject", reason="typo", comment="请补图")

    status = f"/contribute/status/{contribution.status_token}/"
    response = visitor.post(status, {"title": "运动会开幕", "text": "补图"}, files=polyglot_upload())
    assert_no_server_error(response)
    assert response.status_code == 302

    draft = ArticlePage.objects.get().get_latest_revision_as_object()
    [image] = [block.value["image"] for block in draft.body if block.block_type == "image"]
    assert_served_as_gif(visitor, image)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("photo.gif", b"<!doctype html><script>alert(1)</script>"),
        ("photo.bmp", picture("BMP")),
        ("photo.tiff", picture("TIFF")),
    ],
    ids=["svg", "html-named-gif", "bmp", "tiff"],
)
def test_a_file_that_is_not_an_allowed_image_is_refused_and_nothing_is_stored(visitor, people, media, name, content):
    # A failing form would hold its good images: only the refused file is sent, with an otherwise valid form.
    response = visitor.post("/contribute/", contribution_form(people), files=[("images", (name, content, "image/png"))])
    assert_no_server_error(response)
    assert response.status_code == 200  # the form again, the reason at the field
    assert f"“{name}”{NOT_AN_IMAGE}" in response.text
    assert not ArticlePage.objects.exists() and not get_image_model().objects.exists()
    assert stored_files(media) == []


def test_wagtail_image_checks_apply_to_contributions(visitor, people, media, settings):
    # The admin's upload limits bind the portal too: here Wagtail's size limit is below the portal's own.
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 20
    upload = [("images", ("a.gif", gif(), "image/gif"))]
    response = visitor.post("/contribute/", contribution_form(people), files=upload)
    assert_no_server_error(response)
    assert response.status_code == 200
    assert "“a.gif”无法使用：" in response.text
    assert not ArticlePage.objects.exists() and not get_image_model().objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("name", ["original_images/notice.html", "original_images/drawing.svg"])
def test_media_that_is_not_a_raster_image_is_only_downloaded(visitor, media, name):
    # Files stored before names were chosen by the server may still carry the client's extension.
    path = media / name
    path.parent.mkdir(parents=True)
    path.write_bytes(POLYGLOT)
    response = visitor.get("/media/" + name)
    assert_no_server_error(response)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
