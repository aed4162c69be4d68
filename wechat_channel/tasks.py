"""django-q2 tasks: thin, addressed by dotted path, taking primary keys; each is safe to run twice."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task
from wagtail.models import Page

from wechat_channel import delivery, planning
from wechat_channel.conf import get_conf
from wechat_channel.models import CallbackEvent, Push
from wechat_channel.queue import enqueue

CALLBACK_GRACE = datetime.timedelta(minutes=2)  # a stored callback's own task has had its chance by then


def place_page(page_id):
    """Office approval published a page: put it into the next push (A12)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not page.live:
        return 0
    items = planning.place(page)
    for item in items:
        if item.push.slot <= timezone.now():
            enqueue("wechat_channel.tasks.advance_push", item.push_id)
    return len(items)


def advance_push(push_id):
    push = delivery.advance(push_id)
    return push.state if push else None


def due_pushes(now=None):
    """Pushes a worker should look at now: due, retry time reached, result late, or holder silent."""
    now = now or timezone.now()
    lease = now - datetime.timedelta(seconds=get_conf("CLAIM_LEASE_SECONDS"))
    ready = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease)
    return Push.objects.filter(ready, free, state__in=delivery.RUNNABLE, slot__lte=now).order_by("slot", "pk")


def stalled(now):
    """A stored callback still unprocessed after the grace time: its task died or a receiver failed."""
    return Q(processed_at__isnull=True, parked_at__isnull=True, received_at__lt=now - CALLBACK_GRACE)


def parked():
    """A stored callback that failed `CALLBACK_MAX_ATTEMPTS` times: it waits for a channel administrator."""
    return Q(processed_at__isnull=True, parked_at__isnull=False)


def stalled_callbacks(now=None):
    return CallbackEvent.objects.filter(stalled(now or timezone.now())).order_by("received_at", "pk")


def sweep():
    """Every minute: queue every push that is due or stuck past its slot (a killed worker, a lost answer), and
    every stored callback whose processing never finished, so nothing WeChat delivered is lost (A6.5.2, A14);
    a parked callback waits for a person instead (A6.5.1)."""
    ids = list(due_pushes().values_list("pk", flat=True)[:500])
    for push_id in ids:
        async_task("wechat_channel.tasks.advance_push", push_id, group="wechat_channel")
    for event_id in stalled_callbacks().values_list("pk", flat=True)[:200]:
        async_task("wechat_channel.callbacks.process_event", event_id, group="wechat_channel")
    return len(ids)
