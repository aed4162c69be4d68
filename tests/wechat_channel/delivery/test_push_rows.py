"""`push_rows` reads a push, its account, its history and an early result event exactly as the ORM would: every
field's value and type (aware datetimes, JSON, choices), on SQLite and on PostgreSQL; and its claim lets one worker
in at a time, as `delivery.claim` promises."""

import datetime

import pytest
from django.utils import timezone

from tests.wechat_channel.delivery.soak_data import articles, plan
from wechat_channel import push_rows
from wechat_channel.events import record
from wechat_channel.models import CallbackEvent, Push, PushEvent, WeChatAccount

pytestmark = pytest.mark.django_db
S = Push.State


@pytest.fixture
def push(index):
    account = WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid="wx0000000000000001",
        kind=WeChatAccount.Kind.SERVICE,
        secret_env="WECHAT_ROWS_SECRET",
        api_base_url="http://127.0.0.1:9",
    )
    push = plan(account, articles(index, "rows", 2), 8, Push.Mode.PUBLISH)[0]
    Push.objects.filter(pk=push.pk).update(
        warnings=[{"code": "早于窗口", "n": 2}], error_note={"text": "gave_up", "n": 3}, sent_at=timezone.now()
    )
    return push


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def assert_same(read, orm):
    assert fields_of(read) == fields_of(orm)
    for name, value in fields_of(orm).items():
        assert type(fields_of(read)[name]) is type(value), name


def test_a_push_and_its_account_read_in_one_statement_are_what_the_orm_reads(push, django_assert_num_queries):
    with django_assert_num_queries(1):
        read = push_rows.get_with(Push, "account", pk=push.pk)
        account = read.account  # already there: no second query
    orm = Push.objects.select_related("account").get(pk=push.pk)
    assert_same(read, orm)
    assert_same(account, orm.account)
    assert read.sent_at.tzinfo is not None and read.warnings == [{"code": "早于窗口", "n": 2}]
    assert push_rows.get_with(Push, "account", pk=push.pk + 1000) is None


def test_the_latest_history_line_and_an_early_event_are_what_the_orm_reads(push):
    record(push, "draft_requested", "", titles=["第一版"])
    record(push, "drafted", "")
    record(push, "draft_requested", "", titles=["第二版", "乙"])
    latest = push_rows.latest(PushEvent, ("id", "data"), push=push.pk, action="draft_requested")
    orm = push.events.filter(action="draft_requested").order_by("-pk").first()
    assert (latest.pk, latest.data) == (orm.pk, {"titles": ["第二版", "乙"]})
    assert push_rows.latest(PushEvent, ("id", "data"), push=push.pk, action="failed") is None

    event = CallbackEvent.objects.create(
        account=push.account, dedupe_key="publish:42", event="PUBLISHJOBFINISH", payload={"PublishID": "42"}
    )
    assert_same(push_rows.get(CallbackEvent, account=push.account_id, dedupe_key="publish:42"), event)
    assert push_rows.get(CallbackEvent, account=push.account_id, dedupe_key="publish:43") is None


def test_the_claim_lets_one_worker_in_until_its_lease_runs_out(push):
    now = timezone.now()
    lease = datetime.timedelta(minutes=5)
    runnable = (S.PLANNED, S.PREPARING)
    assert push_rows.claim(Push, push.pk, "worker-a", now, now - lease, runnable)
    assert not push_rows.claim(Push, push.pk, "worker-b", now, now - lease, runnable)  # held
    later = now + lease + datetime.timedelta(seconds=1)
    assert push_rows.claim(Push, push.pk, "worker-b", later, later - lease, runnable)  # worker-a went silent
    assert Push.objects.get(pk=push.pk).claimed_by == "worker-b"

    Push.objects.filter(pk=push.pk).update(claimed_by="", claimed_at=None, next_attempt_at=later)
    assert not push_rows.claim(Push, push.pk, "worker-c", now, now - lease, runnable)  # not due yet
    assert not push_rows.claim(Push, push.pk, "worker-c", later, later - lease, (S.DONE,))  # not runnable
    assert push_rows.claim(Push, push.pk, "worker-c", later, later - lease, runnable)
