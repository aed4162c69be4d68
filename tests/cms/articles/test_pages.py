"""The public site: home page and article index list published articles, in a constant number of queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.models import ProviderKind
from tests.publishing import publish_approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(article_factory, people):
    """publish(n): n published articles, every other one with its own cover image and a department."""

    def publish(n, prefix="已发布"):
        articles = []
        for i in range(n):
            extra = {}
            if i % 2:
                image = Image.objects.create(title=f"封面 {i}", file=get_test_image_file())
                extra = {"cover_image": image, "department": people["dept_a"]}
            article = article_factory(
                title=f"{prefix} {i}",
                provider_kind=ProviderKind.DEPARTMENT if i % 2 else ProviderKind.OFFICE,
                **extra,
            )
            publish_approved(article)
            articles.append(article)
        return articles

    return publish


def queries_for(client, url):
    """Queries of a steady-state request: renditions exist, but no cache hides a query per article."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_home_and_index_list_published_articles_but_not_drafts(client, site_tree, publish, article_factory):
    publish(3)
    article_factory(title="草稿不应出现", provider_kind=ProviderKind.OFFICE)

    for url in ("/", "/news/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for i in range(3):
            assert f"已发布 {i}" in html
        assert "草稿不应出现" not in html
        assert html.count("<img") == 1  # only article 1 has a cover


def test_unpublished_changes_are_not_listed(client, site_tree, publish):
    (article,) = publish(1)
    article.title = "修改中的标题"
    article.save_revision()
    for url in ("/", "/news/"):
        html = client.get(url).content.decode()
        assert "已发布 0" in html
        assert "修改中的标题" not in html


def test_index_paginates_newest_first(client, site_tree, publish):
    publish(21)  # one more than a page (ArticleIndexPage.page_size = 20)
    first = client.get("/news/").content.decode()
    second = client.get("/news/?page=2").content.decode()
    assert "已发布 20<" in first and "已发布 1<" in first
    assert "已发布 0<" not in first
    assert "已发布 0<" in second
    assert "已发布 1<" not in second


def test_index_query_count_does_not_grow_with_the_number_of_articles(client, site_tree, publish):
    """4 articles (two covers), then a full page of 20 (ten covers) and the first four again on page 2: the same
    queries (a page without any cover would skip the renditions' prefetch)."""
    publish(4)
    few = queries_for(client, "/news/")

    publish(20)
    many = queries_for(client, "/news/")
    last_page = queries_for(client, "/news/?page=2")

    assert many == few
    assert last_page == few


def test_home_query_count_does_not_grow_with_the_number_of_articles(client, site_tree, publish):
    """4 articles (two covers), then more than the home page's 10 latest (five covers): the same queries."""
    publish(4)
    few = queries_for(client, "/")

    publish(9)
    assert queries_for(client, "/") == few
