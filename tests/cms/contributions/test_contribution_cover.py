"""The contributor's cover (A6: WeChat needs a cover), the thanks page's status link (A6.2.5) and
plain text that reads as typed on the site and in WeChat (nh3, not refusal)."""

import re

import pytest
from django.test import Client
from django.utils.html import escape
from wagtail.images import get_image_model

from cms.articles.wechat_adapter import ArticleAdapter
from cms.contributions.services import body_image_ids
from cms.models import ArticlePage, Contribution
from tests.cms.contributions.public_form import form_data, picture, post, send_back, status_url
from tests.factories import COMPLETE_CREDITS
from tests.publishing import publish_approved
from wechat_channel.content.article import render_content

pytestmark = pytest.mark.usefixtures("fresh_state")

THANKS = "/contribute/thanks/"


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def fresh_state(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def submitted(client, people, images=(), **overrides):
    response = post(client, form_data(people, **overrides), images)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArticlePage.objects.get()


def draft_of(page):
    page.refresh_from_db()
    return page.get_latest_revision_as_object()


# -- the cover -------------------------------------------------------------------------------


def test_the_image_the_contributor_picks_is_the_cover(client, site_tree, people):
    page = submitted(client, people, [picture("a.png"), picture("b.png")], cover=2)
    assert page.cover_image_id == body_image_ids(page.body)[1]


def test_the_first_image_is_the_cover_unless_another_is_picked(client, site_tree, people):
    html = client.get("/contribute/").content.decode()
    assert re.search(r'<select name="cover"[^>]*>\s*<option value="1" selected>Contributed image 1</option>', html)
    page = submitted(client, people, [picture("a.png"), picture("b.png")])
    assert page.cover_image_id == body_image_ids(page.body)[0]


def test_without_images_the_contributor_reads_that_the_office_adds_the_cover(client, site_tree, people):
    page = submitted(client, people)
    assert page.cover_image_id is None
    assert "the office will add a cover image" in client.get(THANKS).content.decode()
    assert "the office will add it" in client.get(status_url(page.contribution)).content.decode()


def test_a_cover_beyond_the_images_is_explained_at_the_field(client, site_tree, people):
    response = post(client, form_data(people, cover=3), [picture("a.png"), picture("b.png")])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Image 3 cannot be the cover: there are only 2 images." in html
    assert not ArticlePage.objects.exists()
    assert "2 images kept" in html  # the images are not lost


def test_the_cover_counts_images_kept_from_an_earlier_attempt(client, site_tree, people):
    failed = post(client, form_data(people, name=""), [picture("a.png")])
    token = re.search(r'name="kept_images" value="([^"]*)"', failed.content.decode()).group(1)
    page = submitted(client, people, [picture("b.png")], kept_images=token, cover=2)
    ids = body_image_ids(page.body)
    assert len(ids) == 2 and page.cover_image_id == ids[1]


def test_the_revision_offers_the_article_images_and_changes_the_cover(client, site_tree, people):
    page = submitted(client, people, [picture("a.png"), picture("b.png")])
    send_back(page, people)
    html = client.get(status_url(page.contribution)).content.decode()
    assert '<option value="1" selected>Contributed image 1</option>' in html
    assert '<option value="3">Contributed image 3</option>' in html  # a new image may become the cover

    response = post(
        client, {"title": "运动会", "text": "改正", "cover": 3}, [picture("c.png")], url=status_url(page.contribution)
    )
    assert response.status_code == 302
    draft = draft_of(page)
    assert draft.cover_image_id == body_image_ids(draft.body)[2]


def test_a_cover_the_office_chose_is_kept_unless_the_contributor_picks_another(client, site_tree, people):
    page = submitted(client, people, [picture("a.png")])
    office_cover = get_image_model().objects.create(title="办公室封面", file=picture("office.png"))
    draft = draft_of(page)
    draft.cover_image = office_cover
    draft.save_revision(user=people["office"])
    send_back(page, people)

    html = client.get(status_url(page.contribution)).content.decode()
    assert '<option value="" selected>Keep the cover the office chose (办公室封面)</option>' in html
    response = post(client, {"title": "运动会", "text": "改正", "cover": ""}, url=status_url(page.contribution))
    assert response.status_code == 302
    assert draft_of(page).cover_image_id == office_cover.pk


# -- the thanks page ---------------------------------------------------------------------------


def test_the_thanks_page_shows_the_status_link_once_and_only_to_who_submitted(client, site_tree, people):
    page = submitted(client, people)
    response = client.get(THANKS)
    html = response.content.decode()
    link = re.search(r'data-status-link>.*?<a href="(http://testserver/contribute/status/([^/"]+)/)"', html, re.S)
    assert link and Contribution.for_token(link.group(2)) == page.contribution
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert client.get(link.group(1)).status_code == 200

    assert "/contribute/status/" not in client.get(THANKS).content.decode()  # a reload: only once
    assert "/contribute/status/" not in Client().get(THANKS).content.decode()  # another browser: never


# -- plain text, as typed ------------------------------------------------------------------------

TYPED = "a<b 且 x>y\n<script>alert(1)</script> & <b>不加粗</b> javascript:x onerror=1"


def test_text_that_looks_like_markup_arrives_as_the_text_typed(client, site_tree, people):
    page = submitted(client, people, text=TYPED)
    first = page.body[0].value.source
    assert first == (
        "<p>a&lt;b 且 x&gt;y<br>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;不加粗&lt;/b&gt; "
        "javascript:x onerror=1</p>"
    )

    # The revise form gives the text back exactly as typed.
    send_back(page, people)
    html = client.get(status_url(page.contribution)).content.decode()
    assert escape(TYPED) in html


def test_the_text_is_text_on_the_site_and_in_wechat(client, site_tree, people):
    page = submitted(client, people, text=TYPED)
    for field, value in COMPLETE_CREDITS.items():
        setattr(page, field, value)
    page.save_revision()
    page = publish_approved(page)

    shown = client.get(page.url).content.decode()
    assert "a&lt;b 且 x&gt;y" in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<script>alert(1)" not in shown and "<b>不加粗" not in shown

    wechat = render_content(ArticleAdapter(page))
    assert "a&lt;b 且 x&gt;y" in wechat and "&lt;script&gt;" in wechat
    assert "<script" not in wechat and "<b>" not in wechat
