"""`GET /healthz` (issue 16): what a load balancer and a monitor read, without signing in and without a secret.

503 only when this web process cannot serve (database or Redis); a queue whose oldest task has waited too long is
"degraded" with 200 (pages still serve); each WeChat account's last accepted callback is reported by slug."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM
from django_q.conf import Conf
from django_q.signing import SignedPackage

from tests.wechat_channel.admin_factories import make_account
from wechat_channel.models import CallbackEvent

SECRET_VALUE = "s3cr3t-app-secret-never-shown"


@pytest.fixture
def own_queue(monkeypatch):
    """A task queue of this test's own (its name), emptied afterwards: Redis is shared by the test processes."""
    monkeypatch.setattr(Conf, "CLUSTER_NAME", f"healthz-{uuid.uuid4().hex[:8]}")
    broker = get_broker()
    yield broker
    broker.purge_queue()


def waiting_task(broker, seconds_ago):
    """A task queued `seconds_ago` and taken by no worker (none runs in this test)."""
    started = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    task = {"id": uuid.uuid4().hex, "func": "math.floor", "args": (1,), "started": started}
    broker.enqueue(SignedPackage.dumps(task))
    if isinstance(broker, ORM):  # the ORM broker dates a waiting task by its `lock`, set when it was queued
        queued = broker.get_connection().filter(key=broker.list_key)
        queued.filter(pk=queued.latest("pk").pk).update(lock=started)


def read(client, path="/healthz"):
    response = client.get(path)
    return response, json.loads(response.content)


def test_anyone_reads_each_check_and_the_last_callback_of_each_account(client, db, settings, monkeypatch, own_queue):
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET_VALUE)
    heard, silent = make_account(slug="campus-news"), make_account(slug="campus-life")
    event = CallbackEvent.objects.create(account=heard, dedupe_key="e1", event="PUBLISHJOBFINISH")

    response, body = read(client)

    assert response.status_code == 200 and body["status"] == "ok"
    assert body["database"]["ok"] and body["queue"] == {**body["queue"], "ok": True, "waiting": 0, "oldest_seconds": 0}
    assert body["redis"]["ok"] and body["redis"]["configured"] is bool(settings.REDIS_URL)
    accounts = {row["account"]: row for row in body["callbacks"]["accounts"]}
    assert accounts[heard.slug]["last"] == event.received_at.isoformat() and accounts[silent.slug]["last"] is None
    text = response.content.decode()
    assert SECRET_VALUE not in text and settings.SECRET_KEY not in text and heard.appid not in text
    assert "no-cache" in response["Cache-Control"] and not response.cookies  # a probe is never cached nor tracked


def test_a_task_waiting_past_the_limit_is_degraded_and_still_served(client, db, settings, own_queue):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 600
    waiting_task(own_queue, seconds_ago=60)
    response, body = read(client)
    assert (response.status_code, body["status"], body["queue"]["waiting"]) == (200, "ok", 1)

    own_queue.purge_queue()
    waiting_task(own_queue, seconds_ago=900)  # no worker has taken a task for a quarter of an hour
    waiting_task(own_queue, seconds_ago=60)

    response, body = read(client)
    assert (response.status_code, body["status"], body["queue"]["waiting"]) == (200, "degraded", 2)
    assert 900 <= body["queue"]["oldest_seconds"] < 960


def test_redis_unreachable_takes_the_process_out_with_503_and_names_only_the_error(client, db, settings):
    settings.REDIS_URL = "redis://:hunter2-password@127.0.0.1:1/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL}
    }

    response, body = read(client)

    assert response.status_code == 503 and body["status"] == "down"
    assert body["redis"]["ok"] is False and body["redis"]["error"] == "ConnectionError"
    assert body["database"]["ok"] is True
    assert "hunter2" not in response.content.decode() and "127.0.0.1:1" not in response.content.decode()


def test_only_get_and_head_are_answered(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz", {"status": "ok"}).status_code == 405
    assert client.generic("PUT", "/healthz", b"x" * 10_000).status_code == 405
