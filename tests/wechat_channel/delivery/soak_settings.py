"""Settings of the django-q2 clusters the fault soak starts (test_soak.py): the test settings, with tasks
queued for real and the soak's short timeouts, leases and backoffs.

The soak passes the test database's name (`SOAK_DB_NAME`) and its queue's name (`SOAK_QUEUE`); the broker
follows the test settings: the ORM broker on the test database, or Redis when REDIS_URL is set.
"""

import os

from cms.settings.test import *  # noqa: F403
from cms.settings.test import DATABASES, Q_CLUSTER
from tests.process_guard import watch_parent
from tests.wechat_channel.delivery import soak_config

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["SOAK_DB_NAME"]}}
Q_CLUSTER = {
    **Q_CLUSTER,
    **soak_config.CLUSTER,
    "sync": False,
    "name": os.environ["SOAK_QUEUE"],
    "workers": int(os.environ.get("SOAK_WORKERS", "2")),
}
WECHAT_CHANNEL = soak_config.WECHAT_CHANNEL
LOGGING = {"version": 1, "disable_existing_loggers": False}


watch_parent()  # the clusters die with the soak, even when its test run is killed outright
