"""Shared fixtures: the site tree, two departments, one user per role, an article factory; the plain builders
behind them are in `tests/factories.py`."""

import datetime
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.test import TransactionTestCase

from cms.demo.site import ensure_site
from cms.models import Department, Person
from tests import db_reset
from tests.factories import make_article, make_user

# The plugin modules of fixtures that tests in more than one folder use (only this root conftest may list them).
pytest_plugins = ["tests.wechat_channel.sandbox_fixture"]


def pytest_collection_modifyitems(items):
    """Transactional tests restore what migrations made (root page, policy v1) when they flush.

    A flush without it re-runs post_migrate (roles, workflows) but loses migration data, and a
    later serialized restore would then collide with the recreated groups.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        fixtures = getattr(item, "fixturenames", [])
        if transactional or "transactional_db" in fixtures or "live_server" in fixtures:
            # Said in the marker, which is what pytest-django reads when it decides whether to serialize the
            # database at set-up: with the fixture name alone, a run of only such tests restored nothing.
            if not (marker is not None and marker.kwargs.get("serialized_rollback")):
                kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
                # First among the item's own markers, so that it is the closest one pytest-django reads.
                item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)
            if "django_db_serialized_rollback" not in fixtures:
                fixtures.append("django_db_serialized_rollback")


def _restore_or_empty_and_restore(original):
    """A transactional test starts from the migrations' data alone: the database is emptied (no post_migrate) and
    Django restores the serialized migration data (`tests/db_reset.py`). Rows written between the emptying and the
    restore (a browser's late request, a process of a journey) make it collide with `django_content_type` rows; then
    empty the database again, restore again and forget the cached content type ids (only afterwards: signal
    handlers of the restored rows read them)."""

    def _fixture_setup(cls):
        aliases = cls._databases_names(include_mirrors=False)
        db_reset.adopt(aliases)
        if cls.serialized_rollback:
            db_reset.empty(db_reset.restorable(aliases))
        try:
            with transaction.atomic():
                return original.__func__(cls)
        except IntegrityError:
            if not cls.serialized_rollback:
                raise
        db_reset.empty(aliases)
        result = original.__func__(cls)
        ContentType.objects.clear_cache()
        return result

    return classmethod(_fixture_setup)


TransactionTestCase._fixture_setup = _restore_or_empty_and_restore(TransactionTestCase._fixture_setup)
db_reset.install()


# The fixed plan week of the channel's admin and planning tests: Monday 7 December 2026 (ISO week 2026-W50).
PLAN_WEEK_EVE = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request the test client made in English leaves English active
    in this thread (Django never deactivates after a response), and data a later test creates would be worded
    in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def clock_before_plan_week(monkeypatch):
    """The site's clock set to Sunday 6 December 2026, 09:00, and running from there.

    Rescheduling takes only future slots, so tests that plan in that fixed week must not depend on the day they
    run. The clock runs (an offset, not a frozen instant) so that waits and timeouts still pass.
    """
    from django.utils import timezone

    real_now = timezone.now
    offset = PLAN_WEEK_EVE - real_now()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + offset)
    return PLAN_WEEK_EVE


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as the migrations left it, plus the site's tree (`ensure_site`), made once per test
    process and kept as part of what every transactional test is restored to (`tests/db_reset.py`).

    Most tests need the home page and the article index; adding the two pages runs Wagtail's tree, search and
    reference-index work, 0.12 s of CPU a test, which the `site_tree` fixture now only reads back."""
    from django.db import connections

    with django_db_blocker.unblock():
        ensure_site()
        for alias in db_reset.restorable(list(connections)):
            connection = connections[alias]
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def site_tree(db):
    """(home, index): a HomePage as the default site's root and the article index under it (made with the test
    database, `django_db_setup`)."""
    return ensure_site()


@pytest.fixture
def index(site_tree):
    return site_tree[1]


@pytest.fixture
def people(db):
    """Two departments, A and B, each with its own head and leader, and one user per other role."""
    users = {
        "office": make_user("office", "office_editor"),
        "head_a": make_user("head_a", "department_head"),
        "head_b": make_user("head_b", "department_head"),
        "leader_a": make_user("leader_a", "supervising_leader"),
        "leader_b": make_user("leader_b", "supervising_leader"),
        "contributor": make_user("contributor", "contributor"),
        "college_leader": make_user("college_leader", "college_leader"),
        "channel": make_user("channel", "channel_admin"),
        "policy": make_user("policy", "policy_admin"),
    }
    dept_a = Department.objects.create(name="学生处", code="a", supervising_leader=users["leader_a"])
    dept_a.heads.add(users["head_a"])
    dept_b = Department.objects.create(name="教务科", code="b", supervising_leader=users["leader_b"])
    dept_b.heads.add(users["head_b"])
    users["dept_a"] = dept_a
    users["dept_b"] = dept_b
    users["student"] = Person.objects.create(
        name="张同学",
        kind="student",
        number="2026000001",
        department=dept_a,
        email="student@example.edu.cn",
        user=users["contributor"],
    )
    return users


@pytest.fixture
def article_factory(index):
    def factory(**kwargs):
        return make_article(index, **kwargs)

    return factory


def pytest_sessionfinish(session):
    """Remove this test process's own media directory (cms/settings/test.py), which only tests wrote to."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    media = Path(settings.MEDIA_ROOT)
    if media.parent == Path(settings.BASE_DIR) / "var" and media.name.startswith("test-media-"):
        shutil.rmtree(media, ignore_errors=True)
