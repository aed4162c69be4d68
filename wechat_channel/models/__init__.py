from .accounts import WeChatAccount
from .activity import ActivityExport, FollowerActivity, RetentionRun
from .bindings import FollowerBinding
from .callbacks import CallbackEvent
from .comments import ArticleComment, ArticleCommentSetting, CommentIncident
from .credentials import CredentialHolder, CredentialRotation
from .media import RehostedImage
from .pushes import MAX_ARTICLES, Push, PushEvent, PushItem

__all__ = [
    "MAX_ARTICLES",
    "ActivityExport",
    "ArticleComment",
    "ArticleCommentSetting",
    "CallbackEvent",
    "CommentIncident",
    "CredentialHolder",
    "CredentialRotation",
    "FollowerActivity",
    "FollowerBinding",
    "Push",
    "PushEvent",
    "PushItem",
    "RehostedImage",
    "RetentionRun",
    "WeChatAccount",
]
