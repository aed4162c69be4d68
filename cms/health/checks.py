"""The checks behind `GET /healthz`: the database, Redis (when configured), the task queue and the WeChat callbacks.

Each check answers a dict that is safe to show anyone: a failure is named by its exception's class, never its
message (a database error can carry the host and user of `DATABASE_URL`)."""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.signing import SignedPackage

from wechat_channel.health import last_callbacks

CACHE_KEY = "newsroom:healthz"


def timed(check):
    """`check()`'s dict with the milliseconds it took; a failure named by its exception's class alone."""
    started = time.perf_counter()
    try:
        result = {"ok": True, **(check() or {})}
    except Exception as error:  # noqa: BLE001 - a health check reports every failure instead of failing itself
        result = {"ok": False, "error": error.__class__.__name__}
    return {**result, "ms": round((time.perf_counter() - started) * 1000, 1)}


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def redis():
    """A write and a read through the cache, which is Redis when REDIS_URL is set (sessions, tokens, rate limits)."""
    if not settings.REDIS_URL:
        return {"configured": False}
    token = secrets.token_hex(8)
    cache.set(CACHE_KEY, token, 30)
    if cache.get(CACHE_KEY) != token:
        raise LookupError("the value written was not read back")
    return {"configured": True}


def oldest_started(broker):
    """When the oldest task still waiting in the queue was queued, or None when none waits."""
    if isinstance(broker, ORM):  # a waiting task's `lock` is the time it was queued
        first = broker.get_connection().filter(key=broker.list_key, lock__lte=timezone.now()).order_by("lock").first()
        return first.lock if first else None
    first = broker.connection.lindex(broker.list_key, 0)  # Redis: tasks are pushed on the right, taken from the left
    return SignedPackage.loads(first)["started"] if first else None


def queue():
    """How many tasks wait for a worker and how long the oldest has waited (seconds)."""
    broker = get_broker()
    started = oldest_started(broker)
    age = (timezone.now() - started).total_seconds() if started else 0
    return {"waiting": broker.queue_size(), "oldest_seconds": max(0, round(age))}


def callbacks():
    """Each active WeChat account's last accepted callback and its age in seconds (None: never)."""
    now = timezone.now()
    return {
        "accounts": [
            {
                "account": slug,
                "last": last.isoformat() if last else None,
                "age_seconds": round((now - last).total_seconds()) if last else None,
            }
            for slug, last in last_callbacks()
        ]
    }
