"""The admin image chooser shows a contributor, head or leader no one else's unpublished images (A6.1).

The attack: a contributor opened /admin/images/chooser/ (or its `?collection_id=` of "Contributions
(pending)") and saw every image, held public uploads and images of drafts under review among them;
/admin/images/chooser/chosen/<id>/ gave any image's title and preview; /admin/images/multiple/add/ put
uploads into the pending collection, which the hourly purge empties. Now those users choose only
their own uploads and live pages' images, the pending collection is no one's, and the office still
chooses any image.
"""

import io

import pytest
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, ReferenceIndex

from cms.contributions.services import pending_collection
from tests.factories import make_article
from tests.publishing import publish_approved
from tests.security.visitor import assert_no_server_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NON_PUBLISHERS = ["contributor", "head_a", "leader_a"]
MODAL = {"X-Requested-With": "XMLHttpRequest"}


def png():
    buffer = io.BytesIO()
    PILImage.new("RGB", (3, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


def image(title, collection, uploaded_by=None):
    from django.core.files.base import ContentFile

    return get_image_model().objects.create(
        title=title, file=ContentFile(png(), name=f"{title}.png"), collection=collection, uploaded_by_user=uploaded_by
    )


def showing(article, picture):
    article.body = [{"type": "image", "value": {"image": picture.pk, "caption": ""}}]
    article.save()
    ReferenceIndex.create_or_update_for_object(article)  # what Wagtail's reference-index task does after a save
    return article


@pytest.fixture
def images(settings, tmp_path, site_tree, people):
    settings.MEDIA_ROOT = str(tmp_path)
    root = Collection.get_first_root_node()
    index = site_tree[1]
    found = {
        "held": image("held-upload", pending_collection()),
        "draft": image("draft-picture", root),
        "live": image("live-picture", root),
        "own": image("own-picture", root, uploaded_by=people["contributor"]),
    }
    showing(make_article(index, owner=people["head_b"], department=people["dept_b"]), found["draft"])
    live = publish_approved(make_article(index, owner=people["office"], department=people["dept_a"]), people["office"])
    showing(live, found["live"])
    return found


@pytest.mark.parametrize("username", NON_PUBLISHERS)
def test_the_chooser_lists_only_own_and_live_images(signed_in, images, username):
    browser = signed_in(username)
    listing = browser.get("/admin/images/chooser/")
    assert listing.status_code == 200
    assert "live-picture" in listing.text
    assert "draft-picture" not in listing.text
    assert "held-upload" not in listing.text
    assert ("own-picture" in listing.text) == (username == "contributor")


def test_the_pending_collection_lists_nothing(signed_in, images):
    held = images["held"]
    listing = signed_in("contributor").get(f"/admin/images/chooser/results/?collection_id={held.collection_id}")
    assert_no_server_error(listing)
    assert "held-upload" not in listing.text
    assert "draft-picture" not in listing.text


@pytest.mark.parametrize("username", NON_PUBLISHERS)
def test_chosen_refuses_an_image_by_id(signed_in, images, username):
    browser = signed_in(username)
    for which in ("held", "draft"):
        path = f"/admin/images/chooser/chosen/{images[which].pk}/"
        response = browser.get(path, headers=MODAL)  # as the chooser modal asks
        assert_no_server_error(response)
        assert response.status_code == 403, which
        assert images[which].title not in response.text
        opened = browser.get(path)  # opened as a page, Wagtail sends the user to the dashboard with its refusal
        assert opened.status_code == 302 and images[which].title not in opened.text, which


def test_chosen_still_gives_own_and_live_images(signed_in, images):
    browser = signed_in("contributor")
    for which in ("own", "live"):
        response = browser.get(f"/admin/images/chooser/chosen/{images[which].pk}/")
        assert response.status_code == 200, which
        assert images[which].title in response.text


def test_the_office_chooses_any_image_but_held_uploads(signed_in, images):
    browser = signed_in("office")
    listing = browser.get("/admin/images/chooser/")
    assert all(images[which].title in listing.text for which in ("draft", "live", "own"))
    assert "held-upload" not in listing.text
    assert browser.get(f"/admin/images/chooser/chosen/{images['draft'].pk}/").status_code == 200
    assert browser.get(f"/admin/images/chooser/chosen/{images['held'].pk}/", headers=MODAL).status_code == 403


@pytest.mark.parametrize("username", ["contributor", "office"])
def test_no_one_uploads_into_the_pending_collection(signed_in, images, username):
    pending = images["held"].collection
    browser = signed_in(username)
    response = browser.post(
        "/admin/images/multiple/add/",
        {"collection": pending.pk},
        files={"files[]": ("mine.png", png(), "image/png")},
        form_path="/admin/images/multiple/add/",
        headers=MODAL,
    )
    assert_no_server_error(response)
    assert list(get_image_model().objects.filter(collection=pending)) == [images["held"]]
    assert pending.name not in browser.get("/admin/images/multiple/add/").text


# -- Wagtail's reports: another person's draft title ------------------------------------------------------

REPORTS = [
    "/admin/reports/page-types-usage/",
    "/admin/reports/page-types-usage/results/",
    "/admin/reports/locked/",
    "/admin/reports/aging-pages/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
]


@pytest.fixture
def others_draft(site_tree, people):
    """Department B's draft, submitted for review and last edited: its title is not the contributor's to see."""
    draft = make_article(site_tree[1], owner=people["head_b"], department=people["dept_b"], title="别人的草稿")
    draft.specific.get_workflow().start(draft, people["head_b"])
    return draft


@pytest.mark.parametrize("username", NON_PUBLISHERS)
def test_no_report_shows_another_persons_draft(signed_in, others_draft, username):
    browser = signed_in(username)  # one live site and sign-in for every report: each GET only reads
    for path in REPORTS:
        response = browser.get(path, headers=MODAL)
        assert_no_server_error(response)
        assert others_draft.title not in response.text, path


def test_page_types_usage_is_refused_and_hidden_for_a_contributor(signed_in, others_draft):
    browser = signed_in("contributor")
    assert browser.get("/admin/reports/page-types-usage/", headers=MODAL).status_code == 403
    opened = browser.get("/admin/reports/page-types-usage/")
    assert opened.status_code == 302 and others_draft.title not in opened.text
    assert "/admin/reports/page-types-usage/" not in browser.get("/admin/").text


def test_the_office_still_reads_page_types_usage(signed_in, others_draft):
    browser = signed_in("office")
    assert "/admin/reports/page-types-usage/" in browser.get("/admin/").text
    response = browser.get("/admin/reports/page-types-usage/")
    assert response.status_code == 200 and others_draft.title in response.text


@pytest.mark.parametrize("username", NON_PUBLISHERS)
def test_edit_and_usage_refuse_another_persons_image(signed_in, images, username):
    """Edit and usage go through the same policy's "change": a non-publisher has it on their own uploads only."""
    browser = signed_in(username)
    for view in ("/admin/images/{pk}/", "/admin/images/usage/{pk}/"):
        for which in ("held", "draft", "live"):
            response = browser.get(view.format(pk=images[which].pk), headers=MODAL)
            assert_no_server_error(response)
            assert response.status_code == 403, f"{view} {which}"
