"""The headless API (/api/v2/): published articles only, and nothing private about contributors."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from cms.models import Category, Contribution, ProviderKind
from tests.publishing import publish_approved

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/pages/?type=cms.ArticlePage&fields=*"


def detail_url(page):
    return f"/api/v2/pages/{page.pk}/"


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def student_article(article_factory, people):
    """A published personal submission by the student, with a public-form contribution holding their e-mail."""
    student = people["student"]
    student.phone = "13800138000"
    student.save()
    article = article_factory(
        title="学生投稿：秋日校园",
        provider_kind=ProviderKind.STUDENT,
        department=people["dept_a"],
        contributor=student,
        owner=people["contributor"],
        text_author="张同学",
        category="campus_life",
    )
    publish_approved(article, people["office"])
    Contribution.objects.create(page=article, person=student, on_behalf_of="self", email=student.email)
    article.refresh_from_db()
    return article


def test_published_articles_are_listed_with_credits_and_category(client, student_article):
    response = client.get(LISTING)
    assert titles(response) == ["学生投稿：秋日校园"]
    item = response.json()["items"][0]
    assert item["category"] == "campus_life"
    assert item["category_display"] == str(Category.CAMPUS_LIFE.label)
    assert item["credits"] == {
        "responsible_editor": "王编辑",
        "photographer": "记者团",
        "layout": "王编辑",
        "text_author": "张同学",
    }
    assert item["department_name"] == "学生处"


def test_drafts_are_neither_listed_nor_served(client, article_factory, student_article):
    draft = article_factory(title="尚未发布的草稿", provider_kind=ProviderKind.OFFICE)
    assert titles(client.get(LISTING)) == ["学生投稿：秋日校园"]
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(detail_url(student_article)).status_code == 200


def test_unpublished_changes_are_not_served(client, student_article):
    student_article.title = "未审核的新标题"
    student_article.save_revision()

    assert titles(client.get(LISTING)) == ["学生投稿：秋日校园"]
    detail = client.get(detail_url(student_article))
    assert detail.json()["title"] == "学生投稿：秋日校园"
    assert "未审核的新标题" not in detail.content.decode()


def test_unpublished_article_is_withdrawn(client, student_article):
    student_article.unpublish()
    assert titles(client.get(LISTING)) == []
    assert client.get(detail_url(student_article)).status_code == 404


def test_private_article_is_not_served(client, student_article):
    PageViewRestriction.objects.create(
        page=student_article, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert titles(client.get(LISTING)) == []
    assert client.get(detail_url(student_article)).status_code == 404


@pytest.mark.parametrize("url", [LISTING, "detail", "detail-all-fields"])
def test_no_contact_detail_or_owner_anywhere_in_the_response(client, student_article, people, url):
    if url == "detail":
        url = detail_url(student_article)
    elif url == "detail-all-fields":
        url = detail_url(student_article) + "?fields=*"
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "学生投稿：秋日校园" in text  # the article itself is there
    student = people["student"]
    for private in (student.email, "student@example", student.phone, student.number, "contributor@example"):
        assert private not in text
    for key in ('"owner"', '"email"', '"phone"', '"number"', '"contributor"', '"contribution"'):
        assert key not in text


@pytest.mark.parametrize("field", ["owner", "contributor", "contribution", "email"])
def test_private_fields_cannot_be_requested(client, student_article, field):
    response = client.get(f"/api/v2/pages/?type=cms.ArticlePage&fields={field}")
    assert response.status_code == 400
    assert "student@example" not in response.content.decode()


@pytest.mark.parametrize("query", ["contributor=1", "owner=1", "contributor__email=student@example.edu.cn"])
def test_private_fields_cannot_be_filtered_on(client, student_article, query):
    # a filter would let a caller probe who wrote what, one guess at a time
    response = client.get(f"/api/v2/pages/?type=cms.ArticlePage&{query}")
    assert response.status_code == 400


def test_listing_query_count_does_not_grow_with_the_number_of_articles(client, article_factory, people):
    def publish(n):
        for i in range(n):
            cover = Image.objects.create(title=f"封面 {i}", file=get_test_image_file()) if i % 2 else None
            article = article_factory(department=people["dept_a" if i % 2 else "dept_b"], cover_image=cover)
            publish_approved(article)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(LISTING + "&limit=10")
        assert response.status_code == 200
        print("\n".join(q["sql"][:200] for q in ctx.captured_queries))
        return len(ctx.captured_queries), len(response.json()["items"])

    # Each cover's rendition is made once, by the first listing that shows it; then it is prefetched.
    publish(2)  # one with a cover
    client.get(LISTING)
    few, few_items = queries()
    publish(9)  # the listing now shows 10 articles, five with a cover, from both departments
    client.get(LISTING + "&limit=10")
    many, many_items = queries()
    assert (few_items, many_items) == (2, 10)
    assert many == few


def test_images_come_with_the_article_as_renditions_and_are_not_listed(client, student_article):
    # A6.3.3: no endpoint lists uploads (held ones and those of drafts included); a live article carries its own.
    image = Image.objects.create(title="IMG_20260101 张同学", file=get_test_image_file())
    draft = student_article.get_latest_revision_as_object()
    draft.cover_image = image
    draft.body = [*draft.body.raw_data, {"type": "image", "value": {"image": image.pk, "caption": "开幕式"}}]
    draft.save_revision()
    publish_approved(student_article)

    item = client.get(detail_url(student_article) + "?fields=body,cover_image").json()
    [block] = [block["value"] for block in item["body"] if block["type"] == "image"]
    assert block["caption"] == "开幕式"
    for shown in (block["image"], item["cover_image"]):
        assert set(shown) == {"url", "full_url", "width", "height"}
        assert shown["url"].startswith("/media/images/") and ".width-800." in shown["url"]
    assert "张同学" not in str(item["cover_image"]) and "original_images" not in str(item)
    assert client.get("/api/v2/images/").status_code == 404
    assert client.get(f"/api/v2/images/{image.pk}/").status_code == 404


@pytest.fixture(params=["locmem", "database"])
def rendition_cache(request, settings, tmp_path):
    """The tests' locmem cache, or the embedded default's database cache (every cache read a query)."""
    settings.MEDIA_ROOT = str(tmp_path)
    if request.param == "database":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "newsroom_cache"}
        }
        call_command("createcachetable", verbosity=0)
    cache.clear()
    yield request.param
    cache.clear()


def test_query_count_does_not_grow_with_articles_or_body_images(client, article_factory, people, rendition_cache):
    def publish(images_per_article):
        articles = []
        for n in images_per_article:
            body = [{"type": "paragraph", "value": "<p>正文</p>"}]
            for i in range(n):
                image = Image.objects.create(title=f"IMG_{i} 张同学", file=get_test_image_file())
                body.append({"type": "image", "value": {"image": image.pk, "caption": f"图 {i}"}})
            cover = Image.objects.create(title="封面 张同学", file=get_test_image_file()) if n else None
            article = article_factory(department=people["dept_a"], body=body, cover_image=cover)
            publish_approved(article)
            articles.append(article)
        return articles

    def queries(url):
        client.get(url)  # warm-up: each image's rendition is made once, by the first view that shows it
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def listing(query):
        return queries(f"{LISTING}&order=id&{query}")

    # Listed: 0 and 1 body images (one cover); then 6 articles with 8 images; then 8 with 22 images.
    [_, one_image] = publish([0, 1])
    publish([3, 0, 1, 3])
    [three_images, *_] = publish([3] * 6)
    assert len(client.get(f"{LISTING}&order=id&offset=4&limit=8").json()["items"]) == 8
    assert listing("limit=2") == listing("limit=6") == listing("offset=4&limit=8")
    assert queries(detail_url(one_image)) == queries(detail_url(three_images))

    # Unchanged for the reader: a rendition anyone can fetch, its caption, no title or original; the page's own URL.
    item = client.get(f"{LISTING}&order=id&offset=6&limit=1").json()["items"][0]
    blocks = [block["value"] for block in item["body"] if block["type"] == "image"]
    assert [block["caption"] for block in blocks] == ["图 0", "图 1", "图 2"]
    for block in blocks:
        assert set(block["image"]) == {"url", "full_url", "width", "height"}
        assert ".width-800." in block["image"]["url"]
        assert block["image"]["full_url"] == "http://testserver" + block["image"]["url"]
        assert client.get(block["image"]["url"]).status_code == 200
    assert "张同学" not in str(item) and "original_images" not in str(item)
    assert item["meta"]["html_url"] == three_images.full_url
