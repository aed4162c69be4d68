"""The headless API publishes nothing unapproved (A6.3.3): no listing of uploads, images only with live articles.

The attack: `/api/v2/images/` listed every image to anyone, held uploads of failed forms and images of
draft contributions included, with the contributors' file names. Now there is no images (or documents)
endpoint; a live article carries its images as renditions, with no title and no original file.
"""

import io

import pytest
from django.core.cache import cache
from django.test.testcases import _MediaFilesHandler
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import ArticlePage
from tests.publishing import publish_approved
from tests.security.visitor import assert_no_server_error, contribution_form

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONTRIBUTOR_FILE = "张同学的身份证"


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (12, 9), "blue").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path, site_tree, monkeypatch):
    """A throw-away media folder served through the site's URLs (see tests/security/test_uploads.py)."""
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda handler, path: False)
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield tmp_path
    cache.clear()


def contribute(visitor, people, **overrides):
    data = contribution_form(people, **overrides)
    return visitor.post("/contribute/", data, files=[("images", (f"{CONTRIBUTOR_FILE}.png", png(), "image/png"))])


@pytest.fixture
def unpublished_images(visitor, people, media):
    """One image of a draft contribution in review and one held by a form that failed."""
    assert contribute(visitor, people).status_code == 302
    assert contribute(visitor, people, name="").status_code == 200
    assert get_image_model().objects.count() == 2
    return list(get_image_model().objects.all())


@pytest.mark.parametrize(
    "path", ["/api/v2/images/", "/api/v2/images/?fields=*", "/api/v2/images/{pk}/", "/api/v2/documents/"]
)
def test_no_unpublished_image_is_listed(visitor, unpublished_images, path):
    for image in unpublished_images:
        response = visitor.get(path.format(pk=image.pk))
        assert_no_server_error(response)
        assert response.status_code == 404
        for secret in (CONTRIBUTOR_FILE, image.file.name, image.title):
            assert secret not in response.text
    assert get_image_model().objects.count() == 2


def test_a_draft_contribution_and_its_images_are_not_in_the_pages_api(visitor, unpublished_images):
    page = ArticlePage.objects.get()
    for path in (f"/api/v2/pages/{page.pk}/?fields=*", "/api/v2/pages/?type=cms.ArticlePage&fields=*"):
        response = visitor.get(path)
        assert_no_server_error(response)
        assert response.status_code in (200, 404)
        for image in unpublished_images:
            assert image.file.name.split("/")[-1].split(".")[0] not in response.text
    assert visitor.get(f"/api/v2/pages/{page.pk}/").status_code == 404


def test_a_live_article_gives_a_headless_consumer_its_images(visitor, people, media):
    assert contribute(visitor, people).status_code == 302
    page = ArticlePage.objects.get()
    image = get_image_model().objects.get()
    draft = page.get_latest_revision_as_object()
    draft.cover_image = image
    draft.responsible_editor = draft.photographer = draft.layout_editor = "王编辑"  # A6.3.2, before approval
    draft.save_revision(user=people["office"])
    publish_approved(page, people["office"])

    response = visitor.get(f"/api/v2/pages/{page.pk}/?fields=body,cover_image")
    assert_no_server_error(response)
    assert response.status_code == 200
    article = response.json()
    [block] = [block for block in article["body"] if block["type"] == "image"]
    for shown in (block["value"]["image"], article["cover_image"]):
        assert set(shown) == {"url", "full_url", "width", "height"}  # no title, id or original file
        served = visitor.get(shown["url"])
        assert served.status_code == 200
        assert served.headers["Content-Type"] == "image/png"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert CONTRIBUTOR_FILE not in response.text and image.title not in response.text
    assert "original_images" not in response.text
