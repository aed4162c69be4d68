"""The push history: one line per thing that happened, read by editors in the admin."""

from django.utils import timezone

from wechat_channel import push_rows
from wechat_channel.history import Note
from wechat_channel.models import PushEvent


def record(push, action, message="", **data):
    """One line of `push`'s history; a `Note` as `message` is kept as its code and parameters (`data["text"]`),
    so each reader sees it in their own language; its text in the writer's language stays as `message`."""
    if isinstance(message, Note):
        data = {**message.as_dict(), **data}
    fields = {"push": push.pk, "at": timezone.now(), "action": action, "message": str(message)[:2000], "data": data}
    push_rows.insert(PushEvent, fields)
