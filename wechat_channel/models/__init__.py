from .accounts import WeChatAccount
from .callbacks import CallbackEvent
from .media import RehostedImage
from .pushes import MAX_ARTICLES, Push, PushEvent, PushItem

__all__ = ["MAX_ARTICLES", "CallbackEvent", "Push", "PushEvent", "PushItem", "RehostedImage", "WeChatAccount"]
