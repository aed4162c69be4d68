"""Follower comments on published articles (A13): fetched from WeChat, flagged, moderated, recorded.

`fetch(account)` lists the comments of every article the account published recently (`comment/list`, 0-based
`index`, pages of 49) and keeps them, flagged by the words of the account's policy (`comments.flag_words`);
each new comment is also a follower activity record (A14). `moderate()` is the office's one action on an
illegal comment: delete it on WeChat, blacklist its author, or both, and record the incident for follow-up (A13).
`set_open()` opens or closes the comments of one article.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from wechat_channel import activity, slots
from wechat_channel.models import (
    ArticleComment,
    ArticleCommentSetting,
    CommentIncident,
    FollowerActivity,
    PushItem,
    WeChatAccount,
)
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

logger = logging.getLogger(__name__)

PAGE = 49  # `count` must be < 50 (WECHAT.md §8.1)
FETCH_DAYS = 30  # articles published this long ago or later are fetched
NO_COMMENT_PRIVILEGE = 88000  # comments closed on the article, or no comment feature
ALREADY_GONE = frozenset({88004, 88008})  # deleted by its author, or no longer exists
MODERATE_ACTION = "wechat_channel.comment.moderate"
OPEN_ACTION = "wechat_channel.comment.open"
CLOSE_ACTION = "wechat_channel.comment.close"


class ModerationFailed(Exception):
    """Nothing was done on WeChat, so nothing was recorded; the message says why."""


@dataclass
class FetchResult:
    articles: int = 0
    new: int = 0
    errors: list[str] = field(default_factory=list)


def flag_words(account) -> list[str]:
    """The account's policy word list; the policy's default list when its scope has no usable version."""
    return list(slots.section(account, "comments").flag_words)


def flags(content: str, words) -> list[str]:
    """The words of `words` that `content` contains (case-insensitive)."""
    lowered = content.lower()
    return [word for word in words if word.lower() in lowered]


def published_items(account, now=None):
    """The account's recently published articles that WeChat can name: their push has a msg_data_id."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=FETCH_DAYS)
    return (
        PushItem.objects.filter(account=account, state=PushItem.State.PUBLISHED)
        .exclude(push__msg_data_id="")
        .filter(Q(push__sent_at__gte=cutoff) | Q(push__sent_at__isnull=True, push__created_at__gte=cutoff))
        .select_related("push")
        .order_by("push_id", "position", "pk")
    )


def article_index(item) -> int:
    """The 0-based index WeChat knows the article by: its place among the push's sent articles."""
    sent = item.push.items.filter(state=PushItem.State.PUBLISHED).order_by("position", "pk")
    return list(sent.values_list("pk", flat=True)).index(item.pk)


def fetch(account, now=None) -> FetchResult:
    """Fetch and keep the comments of the account's published articles; safe to run twice."""
    now = now or timezone.now()
    client = client_for(account)
    words = flag_words(account)
    result = FetchResult()
    for item in published_items(account, now):
        result.articles += 1
        try:
            result.new += _fetch_article(client, account, item, words, now)
        except WeChatCallError as error:
            if error.code != NO_COMMENT_PRIVILEGE:  # closed comments are not a failure
                logger.warning("comments of %s (item %s) not fetched: %s", account.slug, item.pk, error)
                result.errors.append(f"{item.title}: {error}")
    return result


def fetch_all():
    """Every account's comments (the django-q2 schedule's task)."""
    for account in WeChatAccount.objects.order_by("pk"):
        fetch(account)


def _fetch_article(client, account, item, words, now) -> int:
    index = article_index(item)
    listed, begin = [], 0
    while True:
        page = client.comments.list(item.push.msg_data_id, index, begin=begin, count=PAGE)
        comments = page.get("comment") or []
        listed.extend(comments)
        begin += len(comments)
        if not comments or begin >= int(page.get("total") or 0):
            break
    new = 0
    with transaction.atomic():
        for entry in listed:
            new += _keep(account, item, entry, words, now)
        seen = [int(entry["user_comment_id"]) for entry in listed]
        # Listed whole: a comment WeChat no longer lists was deleted there (by its author or on the platform).
        gone = ArticleComment.objects.filter(item=item, state=ArticleComment.State.VISIBLE)
        gone.exclude(user_comment_id__in=seen).update(state=ArticleComment.State.DELETED)
    return new


def _keep(account, item, entry, words, now) -> int:
    content = str(entry.get("content") or "")
    reply = entry.get("reply") or {}
    created_at = datetime.datetime.fromtimestamp(int(entry.get("create_time") or 0), tz=datetime.UTC)
    comment, created = ArticleComment.objects.update_or_create(
        item=item,
        user_comment_id=int(entry["user_comment_id"]),
        defaults={
            "account": account,
            "openid": str(entry.get("openid") or "")[:64],
            "content": content,
            "created_at": created_at,
            "comment_type": int(entry.get("comment_type") or 0),
            "reply": str(reply.get("content") or "") if isinstance(reply, dict) else "",
            "flagged_words": flags(content, words),
            "fetched_at": now,
        },
    )
    if created and comment.openid:
        detail = f"{item.title}: {content}"
        activity.record(account, comment.openid, FollowerActivity.Kind.COMMENT, detail, created_at)
    return int(created)


def moderate(comment, user, *, delete, blacklist, note="") -> CommentIncident:
    """Delete the comment on WeChat, blacklist its author, or both, as chosen, then record the incident (A13).

    Neither is assumed: the caller says each (a harmless follower is never blacklisted by a default).

    Raises ModerationFailed when WeChat did nothing asked (nothing recorded). When the delete succeeded and
    the blacklist failed, the incident records the delete alone and `problem` says what failed.
    """
    if not (delete or blacklist):
        raise ModerationFailed(_("Choose to delete the comment, blacklist its author, or both."))
    client = client_for(comment.account)
    item = comment.item
    deleted = blacklisted = False
    problem = ""
    if delete:
        try:
            client.comments.delete(item.push.msg_data_id, article_index(item), comment.user_comment_id)
        except WeChatCallError as error:
            if error.code not in ALREADY_GONE:
                raise ModerationFailed(_("The comment was not deleted: %(error)s") % {"error": error}) from error
        deleted = True
    if blacklist:
        try:
            if not comment.openid:
                raise ModerationFailed(_("The author has no openid (not a WeChat user) and cannot be blacklisted."))
            client.followers.blacklist([comment.openid])
            blacklisted = True
        except (WeChatCallError, ModerationFailed) as error:
            message = (
                error if isinstance(error, ModerationFailed) else _("blacklisting failed: %(error)s") % {"error": error}
            )
            if not deleted:
                raise ModerationFailed(str(message)) from error
            problem = str(message)
    action = CommentIncident.Action
    return _record(
        comment,
        user,
        action.BOTH if deleted and blacklisted else (action.DELETED if deleted else action.BLACKLISTED),
        note,
        problem,
    )


def _record(comment, user, incident_action, note, problem):
    with transaction.atomic():
        if incident_action in (CommentIncident.Action.DELETED, CommentIncident.Action.BOTH):
            comment.state = ArticleComment.State.DELETED
            comment.save(update_fields=["state"])
        incident = CommentIncident.objects.create(
            comment=comment,
            item=comment.item,
            openid=comment.openid,
            content=comment.content,
            action=incident_action,
            by=user,
            note=note,
            problem=problem,
        )
        log(
            instance=incident,
            action=MODERATE_ACTION,
            user=user,
            data={
                "account": comment.account.slug,
                "article": comment.item.title,
                "item": comment.item_id,
                "user_comment_id": comment.user_comment_id,
                "openid": comment.openid,
                "action": incident_action,
                "problem": problem,
            },
        )
    return incident


def set_open(item, open, user) -> ArticleCommentSetting:
    """Open or close the comments of one published article on WeChat, then remember it; raises WeChatCallError."""
    client = client_for(item.account)
    index = article_index(item)
    if open:
        client.comments.open(item.push.msg_data_id, index)
    else:
        client.comments.close(item.push.msg_data_id, index)
    with transaction.atomic():
        setting, _created = ArticleCommentSetting.objects.update_or_create(
            item=item, defaults={"open": open, "changed_by": user}
        )
        log(
            instance=item.push,
            action=OPEN_ACTION if open else CLOSE_ACTION,
            user=user,
            data={"item": item.pk, "article": item.title},
        )
    return setting
