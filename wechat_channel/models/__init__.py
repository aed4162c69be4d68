from .accounts import WeChatAccount
from .activity import ActivityExport, FollowerActivity, RetentionRun
from .callbacks import CallbackEvent
from .media import RehostedImage
from .pushes import MAX_ARTICLES, Push, PushEvent, PushItem

__all__ = [
    "MAX_ARTICLES",
    "ActivityExport",
    "CallbackEvent",
    "FollowerActivity",
    "RetentionRun",
    "Push",
    "PushEvent",
    "PushItem",
    "RehostedImage",
    "WeChatAccount",
]
