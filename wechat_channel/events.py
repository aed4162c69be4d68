"""The push history: one line per thing that happened, read by editors in the admin."""

from wechat_channel.models import PushEvent


def record(push, action, message="", **data):
    return PushEvent.objects.create(push=push, action=action, message=str(message)[:2000], data=data)
