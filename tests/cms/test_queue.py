"""Background work reaches the configured django-q2 broker (ORM by default, Redis with REDIS_URL)."""

from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string
from django_q.brokers import get_broker
from django_q.signing import SignedPackage
from django_q.tasks import async_task

from tests.review_steps import submit


def test_notification_round_trips_through_the_broker(article_factory, people):
    broker = get_broker()
    assert broker.ping()
    expected = "redis" if settings.REDIS_URL else "orm"
    assert expected in type(broker).__module__
    broker.purge_queue()

    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    task_state_id = page.current_workflow_task_state.pk
    async_task("cms.tasks.notify_stage_started", task_state_id, sync=False, broker=broker)

    ack_id, payload = broker.dequeue()[0]
    task = SignedPackage.loads(payload)
    broker.acknowledge(ack_id)
    assert task["func"] == "cms.tasks.notify_stage_started"

    mail.outbox.clear()
    import_string(task["func"])(*task["args"])  # what a worker does with the task
    assert [message.to for message in mail.outbox] == [["head_a@example.edu.cn"]]
