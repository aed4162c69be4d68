"""The sweep finds what a worker should look at: due pushes, retries whose time came, pushes stuck past their slot."""

import datetime
import itertools

import pytest
from django.utils import timezone

from wechat_channel import tasks
from wechat_channel.models import Push, WeChatAccount

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return WeChatAccount.objects.create(name="校园", slug="campus", appid="wx0123456789abcdef", secret_env="WECHAT_S")


def test_due_pushes_are_the_ones_a_worker_should_take_now(account):
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)

    instants = itertools.count(1)

    def push(**fields):
        # Each a second apart: one account never has two live pushes at one instant (A12).
        slot = now - minutes - datetime.timedelta(seconds=next(instants))
        return Push.objects.create(account=account, **{"slot": slot, **fields})

    due = push()
    retry_now = push(state=Push.State.DRAFTED, next_attempt_at=now - minutes)
    stuck = push(state=Push.State.SENDING, claimed_by="dead", claimed_at=now - datetime.timedelta(hours=1))
    push(slot=now + minutes)  # not yet
    push(state=Push.State.DRAFTED, next_attempt_at=now + minutes)  # backing off
    push(state=Push.State.PREPARING, claimed_by="alive", claimed_at=now)  # a worker holds it
    push(state=Push.State.DONE)
    push(state=Push.State.FAILED)  # parked: a person decides

    assert set(tasks.due_pushes(now)) == {due, retry_now, stuck}


def test_the_sweep_is_scheduled_every_minute():
    from django_q.models import Schedule

    sweep = Schedule.objects.get(func="wechat_channel.tasks.sweep")
    assert (sweep.schedule_type, sweep.minutes, sweep.repeats) == (Schedule.MINUTES, 1, -1)
