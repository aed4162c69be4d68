"""The demo site's address (issue 11 item 7): 阅读原文 in WeChat points at where the site is really served."""

from wagtail.models import Site

from cms.articles.wechat_adapter import ArticleAdapter
from cms.demo.site import ensure_site


def test_the_default_site_takes_the_address_the_site_is_served_at(db, settings, article_factory, people):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # what `make demo` serves
    Site.objects.update(hostname="localhost", port=80)  # Wagtail's initial site, as an older demo database has it

    ensure_site()
    page = article_factory(title="运动会开幕", department=people["dept_a"], live=True)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert ArticleAdapter(page).source_url() == f"http://127.0.0.1:8000{page.url}"


def test_an_https_address_without_a_port_is_served_on_443(db, settings, article_factory, people):
    settings.WAGTAILADMIN_BASE_URL = "https://news.example.edu.cn"
    ensure_site()
    page = article_factory(title="通知", department=people["dept_a"], live=True)

    assert ArticleAdapter(page).source_url().startswith("https://news.example.edu.cn/")
