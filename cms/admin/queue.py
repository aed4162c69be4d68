"""Background work is queued here: after the current transaction commits, by the task's dotted path.

It imports no model, so models (a review stage that starts) and services alike can queue work; the tasks
themselves are in `cms/tasks.py`, which imports what they call.
"""

from django.db import transaction
from django_q.tasks import async_task


def enqueue(func_path, *args):
    """Queue `func_path(*args)` once the current transaction commits."""
    transaction.on_commit(lambda: async_task(func_path, *args))
