"""Background work queued after the current transaction commits (django-q2, addressed by dotted path).

Imports nothing of the channel's, so signal handlers, views and tasks can all queue work without a cycle.
"""

from django.db import transaction
from django_q.tasks import async_task


def enqueue(func, *args):
    """Queue `func(*args)` once the current transaction commits."""
    transaction.on_commit(lambda: async_task(func, *args, group="wechat_channel"))
