"""Settings of the processes a journey starts — the site, the django-q2 cluster, the WeChat sandbox.

The test settings, except that work is queued for real (the site enqueues, the cluster runs it: Q_CLUSTER
sync=False) and that everything the processes share lives where all of them, and a restarted one, find it:
the test database (`JOURNEY_DB_NAME`), the media directory, a file cache (the WeChat access token, rate limits)
and a directory of e-mails the test reads. Nothing is kept in one process's memory.

Timeouts, leases and backoffs are short so that a killed worker costs seconds: a task is handed out again
after `retry` seconds, and a push whose worker went silent is taken over after CLAIM_LEASE_SECONDS — longer
than any single call with its in-call retries, so a live worker is never taken over.
"""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F403
from cms.settings.test import DATABASES, Q_CLUSTER, REDIS_URL, WECHAT_CHANNEL
from tests.process_guard import watch_parent

WORK_DIR = Path(os.environ["JOURNEY_DIR"])

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["JOURNEY_DB_NAME"]}}
SITE_URL = os.environ["JOURNEY_SITE_URL"]
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL
MEDIA_ROOT = str(WORK_DIR / "media")
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(WORK_DIR / "mail")
if not REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(WORK_DIR / "cache"),
        }
    }

Q_CLUSTER = {
    **Q_CLUSTER,
    "sync": False,
    "name": os.environ["JOURNEY_QUEUE"],
    "workers": 2,
    "poll": 0.1,  # ORM broker: how often an idle cluster looks for tasks
    "timeout": 20,
    "retry": 22,  # a task taken by a killed worker is handed out again after this long
    "max_attempts": 3,
    "catch_up": False,
}
WECHAT_CHANNEL = {
    **WECHAT_CHANNEL,
    "TIMEOUT": 3,
    "CALL_RETRIES": 1,
    "CLAIM_LEASE_SECONDS": 10,
    "BACKOFF_SECONDS": 0.5,
    "BACKOFF_CAP_SECONDS": 2,
    "RESULT_POLL_AFTER_SECONDS": 5,
}

watch_parent()
