"""Fast test settings: MD5 hasher, plain static files, background work inline.

DATABASE_URL / REDIS_URL still switch to PostgreSQL and Redis, so the same suite
runs against the production services.
"""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, DATABASES, Q_CLUSTER, REDIS_URL

DEBUG = False
SERVE_MEDIA = True
SECRET_KEY = os.environ.get("SECRET_KEY", "test-only-secret-key-not-for-production")  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = CACHES

# django-q2 freezes its settings at import: run tasks inline through the
# configured broker's code path, set here rather than overridden in tests.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}

# SQLite: the test database is a file (one per test process, under var/), not memory, so that worker
# processes a test starts (tests/wechat_channel/test_soak.py runs django-q2 clusters) share it. WAL and
# IMMEDIATE transactions make concurrent writers wait for each other (timeout) instead of failing.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)  # a fresh clone has none yet
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF",
    }
