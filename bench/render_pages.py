"""Render-time benchmark: 1,000 published articles, then time the public pages and the API.

Run with `make bench` (or `.venv/bin/python bench/render_pages.py [--requests N] [--articles N]`).
Uses the test settings with a throwaway SQLite file and media directory, so it
never touches db.sqlite3 or media/. Prints the machine, the date and a Markdown table,
then one line per target (`PASS|MISSED <name> <measured> <target>`, bench/targets.py),
and exits 1 when one is missed: each page's SQL queries are as many with all the
articles as with a tenth of them (counted after the first tenth is written).
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORKDIR = tempfile.TemporaryDirectory(prefix="newsroom-bench-")

# Configuration is read at import of the settings: set it before django.setup().
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR.name}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{WORKDIR.name}/media"
os.environ.pop("REDIS_URL", None)  # locmem cache, as in the test settings
sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402
from machine import describe  # noqa: E402 - bench/ is on sys.path when run
from targets import Targets  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.images.models import Image  # noqa: E402
from wagtail.images.tests.utils import get_test_image_file  # noqa: E402

from cms.demo.site import ensure_departments, ensure_site  # noqa: E402
from cms.models import ArticlePage, Category, ProviderKind  # noqa: E402

PAGE_SIZE = 20
COVER_EVERY = 4  # every fourth article has a cover image, from a pool of distinct images
COVER_POOL = 25


def machine():
    """The machine, library versions and database of the run."""
    import wagtail

    return describe(
        django=django.get_version(),
        wagtail=wagtail.__version__,
        database=f"SQLite {connection.Database.sqlite_version} (temporary file)",
    )


@transaction.atomic
def create_articles(index, count, first=0, total=None):
    """Articles `first` … `first + count - 1` of `total`, live under `index`, newest last; no revisions, so no
    publish signals fire."""
    total = total or count
    departments = list(ensure_departments().values())
    covers = [
        Image.objects.create(title=f"cover {n}", file=get_test_image_file(f"cover-{n}.png")) for n in range(COVER_POOL)
    ]
    categories = Category.values
    start = timezone.now() - datetime.timedelta(days=total)
    for n in range(first, first + count):
        published_at = start + datetime.timedelta(days=n)
        page = index.add_child(
            instance=ArticlePage(
                title=f"第 {n + 1} 篇新闻稿件",
                slug=f"article-{n + 1}",
                digest="一两句话的摘要，显示在列表和微信中。",
                body=[{"type": "paragraph", "value": f"<p>正文第 {n + 1} 篇。</p>" * 5}],
                category=categories[n % len(categories)],
                provider_kind=ProviderKind.DEPARTMENT,
                department=departments[n % len(departments)],
                cover_image=covers[n % COVER_POOL] if n % COVER_EVERY == 0 else None,
                responsible_editor="王编辑",
                photographer="校园记者团",
                layout_editor="王编辑",
            )
        )
        # Bench data stands for articles published long ago: written straight into the table, the way a
        # migration of old content would be (a saved ArticlePage only goes live through office review, A6.3.1).
        ArticlePage.objects.filter(pk=page.pk).update(
            live=True, has_unpublished_changes=False, first_published_at=published_at, last_published_at=published_at
        )


def queries_of(client, url):
    """SQL queries of one GET of `url`, after warm-up requests (renditions, URL and template caches)."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)  # read now: every request start clears the query log


def pages_to_measure(index, articles):
    """(name, label, URL) of each page measured; the deep index page is the 50th, or the last there is."""
    article = ArticlePage.objects.live().filter(cover_image__isnull=False).order_by("-first_published_at").first()
    deep_page = min(50, (articles + PAGE_SIZE - 1) // PAGE_SIZE)
    return [
        ("home", "Home page", "/"),
        ("index", "Article index, page 1", index.url),
        ("index_deep", f"Article index, page {deep_page}", f"{index.url}?page={deep_page}"),
        ("detail", "Article detail", article.url),
        ("api_listing", "API listing (20, fields=*)", "/api/v2/pages/?type=cms.ArticlePage&limit=20&fields=*"),
    ]


def measure(client, url, requests):
    """(median ms, p95 ms, queries) for `requests` GETs of `url` after a warm-up."""
    for _ in range(3):  # renditions, URL and template caches
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)  # read now: every request start clears the query log
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per URL")
    args = parser.parse_args()

    setup_test_environment()
    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    _home, index = ensure_site()
    tenth = max(1, args.articles // 10)
    create_articles(index, tenth, total=args.articles)
    client = Client()
    small = {name: queries_of(client, url) for name, _label, url in pages_to_measure(index, tenth)}
    create_articles(index, args.articles - tenth, first=tenth, total=args.articles)
    created = time.perf_counter()

    pages = pages_to_measure(index, args.articles)
    rows = [(name, label, url, *measure(client, url, args.requests)) for name, label, url in pages]

    info = machine()
    print("## Machine\n")
    for key, value in info.items():
        print(f"- {key}: {value}")
    print(
        f"\nSetup: migrate {migrated - began:.1f} s, {args.articles} published articles "
        f"in {created - migrated:.1f} s; {args.requests} timed requests per URL after 3 warm-up requests.\n"
    )
    print(f"| page | URL | median (ms) | p95 (ms) | SQL queries | SQL queries, {tenth} articles |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    targets = Targets()
    for name, label, url, median, p95, queries in rows:
        print(f"| {label} | `{url}` | {median:.1f} | {p95:.1f} | {queries} | {small[name]} |")
        targets.equal(f"render.{name}.queries", queries, small[name])
    return targets.report()


if __name__ == "__main__":
    try:
        status = main()
    finally:
        connection.close()
        WORKDIR.cleanup()
    sys.exit(status)
