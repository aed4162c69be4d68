"""Fixtures for the browser tests: headless Debian Chromium through Playwright, and a live site.

Named so as not to clash with pytest-playwright's `browser` and `new_context`, should it be installed.

Playwright is never asked to download a browser: the tests use /usr/bin/chromium
(CI installs it with apt). Without it they skip, except on CI (CI=true), where
a missing browser is a failure rather than a silently skipped test.
"""

import os
import sys
import traceback
from pathlib import Path

import pytest

from policy_rules import versions
from policy_rules.document import DayType
from tests.policy_rules import governance

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous for a cold first admin page load; every wait is on a URL or a selector, never a sleep.
TIMEOUT_MS = 15_000


@pytest.fixture
def chromium_path():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " — CI must run the browser tests", pytrace=False)
        pytest.skip(message)
    return CHROMIUM


# This test process's Playwright and headless Chromium, kept while browser tests follow one another (they are
# neighbours in the collection, so a worker mostly runs them in a row) and stopped before any other test runs.
# Starting both costs about 0.85 s of CPU and 1.4 s; each test still gets fresh contexts (own cookies, storage,
# cache), closed after it. Playwright's sync API keeps an asyncio loop running in this thread while it runs, and
# Django's async-safety check would refuse the ORM calls the tests, their fixtures and pytest-django's database
# set-up make meanwhile: DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly that time.
_shared = {}
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture
def chromium_browser(chromium_path):
    """The headless Chromium of this run of browser tests."""
    browser = _shared.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        stop_chromium()
        _shared["allowed"] = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        _shared["playwright"] = sync_playwright().start()
        _shared["browser"] = _shared["playwright"].chromium.launch(
            executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS
        )
    return _shared["browser"]


def stop_chromium():
    browser, playwright = _shared.pop("browser", None), _shared.pop("playwright", None)
    try:
        if browser is not None:
            browser.close()
    finally:
        if playwright is not None:
            playwright.stop()
        if "allowed" in _shared:
            allowed = _shared.pop("allowed")
            if allowed is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = allowed


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's own fixtures are gone (its contexts closed): stop Chromium unless a browser test is next."""
    try:
        return (yield)
    finally:
        if nextitem is None or nextitem.get_closest_marker("browser") is None:
            stop_chromium()


def _contexts(chromium_browser, base_url):
    """A factory of fresh browser contexts (own cookies, so own login) against `base_url`, closing them afterwards."""
    contexts = []

    def factory(**kwargs):
        kwargs.setdefault("locale", "zh-CN")  # the browser's language: Accept-Language, and what the page may read
        context = chromium_browser.new_context(base_url=base_url, **kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def open_context(chromium_browser, live_server):
    """Open a fresh browser context against the live server."""
    yield from _contexts(chromium_browser, live_server.url)


@pytest.fixture
def server_errors():
    """Exceptions the live server raised while handling requests, as formatted tracebacks.

    The live server runs in this process, so its request-exception signal reaches us:
    a test can say *why* the browser ended up on an error page.
    """
    from django.core.signals import got_request_exception

    errors = []

    def record(sender, **kwargs):
        errors.append("".join(traceback.format_exception(*sys.exc_info())))

    got_request_exception.connect(record, weak=False, dispatch_uid="browser-tests-server-errors")
    yield errors
    got_request_exception.disconnect(dispatch_uid="browser-tests-server-errors")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads (the contributed images) go to a temporary directory, not the checkout's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def site_tree(transactional_db):
    """(home, index), after repairing what a transactional flush removes.

    A flush empties every table and re-emits post_migrate, which recreates the
    roles but not Wagtail's root page, root collection and default locale, which
    migrations created; without a root page the roles also lose their page
    permissions. Put them back, then re-run the newsroom set-up.
    """
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    from cms.admin.setup import ensure_newsroom_setup
    from cms.demo.site import ensure_site

    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    ensure_newsroom_setup()
    return ensure_site()


@pytest.fixture
def journey(site_tree, tmp_path, monkeypatch, settings):
    """The site, a django-q2 cluster and the WeChat sandbox as real processes (tests/browser/journey.py), started
    in that order and stopped — whatever happens in the test — before the test database is flushed."""
    from tests.browser.journey import Journey

    running = Journey(tmp_path, monkeypatch)
    settings.MEDIA_ROOT = str(tmp_path / "media")  # what the site's processes use, should the test look
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture
def journey_context(chromium_browser, journey):
    """Open a fresh browser context against the journey's site process."""
    yield from _contexts(chromium_browser, journey.url)


@pytest.fixture
def open_window():
    """A policy version whose windows are open all day, every day type, with no lead time (A11.3, A16)."""
    version = governance.ready(schedule__windows={day_type.value: None for day_type in DayType}, schedule__lead_hours=0)
    versions.activate(version, None)
    return version
