"""Fast test settings: MD5 hasher, plain static files, background work inline.

DATABASE_URL / REDIS_URL still switch to PostgreSQL and Redis, so the same suite
runs against the production services.
"""

import os

from cms.settings.base import *  # noqa: F403
from cms.settings.base import BASE_DIR, CACHES, DATABASES, POLICY_RULES, Q_CLUSTER, REDIS_URL
from cms.settings.test_slots import claim_slot

DEBUG = False
SERVE_MEDIA = True
SECRET_KEY = os.environ.get("SECRET_KEY", "test-only-secret-key-not-for-production")
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

# Parallel runs (pytest-xdist): each worker process has its own database (pytest-django adds the worker's
# suffix), its own media directory and, on a shared Redis database, its own key prefix, which `cache.clear()`
# keeps to (tests/worker_cache.py).
# Processes a test starts (django-q2 clusters, the journeys' site) inherit their test process's name.
# The names are stable (`gw0-0`: the worker and slot 0), so `pytest --reuse-db` finds the database it kept; a second
# run of the suite in the same checkout at the same time takes the next free slot (tests/test_slots.py).
TEST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEST_PROCESS = os.environ.get("NEWSROOM_TEST_PROCESS", "")
if not TEST_PROCESS.startswith(f"{TEST_WORKER}-"):
    TEST_PROCESS = os.environ["NEWSROOM_TEST_PROCESS"] = f"{TEST_WORKER}-{claim_slot(BASE_DIR / 'var', TEST_WORKER)}"
MEDIA_ROOT = str(BASE_DIR / "var" / f"test-media-{TEST_PROCESS}")

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            **CACHES["default"],
            "BACKEND": "tests.worker_cache.WorkerRedisCache",
            "KEY_PREFIX": f"newsroom-test-{TEST_PROCESS}",
        }
    }

# django-q2 freezes its settings at import: run tasks inline through the
# configured broker's code path, set here rather than overridden in tests.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# Tasks run inline here, so each save would evaluate the reports' periods on the spot (0.1 s a save in a
# transactional test): changes ask for no recomputation unless a test turns it on (tests/cms/policy/).
POLICY_RULES = {**POLICY_RULES, "RECOMPUTE_ON_CHANGE": False}

# SQLite: the test database is a file (one per test process, under var/), not memory, so that worker
# processes a test starts (tests/wechat_channel/delivery/test_soak.py runs django-q2 clusters) share it. WAL and
# IMMEDIATE transactions make concurrent writers wait for each other (timeout) instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has none yet
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{TEST_PROCESS}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF",
    }

# PostgreSQL: a test database is thrown away, so commits need not wait for the WAL to reach the disk (the
# suite flushes and restores it around every transactional test; each of those commits would wait for an fsync).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("TEST_PG_SYNC") != "on":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
