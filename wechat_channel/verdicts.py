"""A person settles a push whose outcome WeChat never confirmed (issue 12: "a person must always be able to act").

After a lost answer the channel reconciles on its own (`delivery._reconcile`); when WeChat shows nothing (the draft
gone, nothing in `freepublish/batchget`, no result event) the push waits in "answer lost" and, a day on, is parked.
Either way a person looks on mp.weixin.qq.com (发表记录 / 群发记录) and says what they see:

- *published*: the push is done, with the article URLs they paste (the first is required);
- *not published*: the push goes back to work from a new draft, as if it had never been sent.

Both are compare-and-set on the push's state (a worker settling it meanwhile wins), and both are written to the
push's history with who said it.
"""

from urllib.parse import urlsplit

from django.db import transaction
from django.utils.translation import gettext as _

from wechat_channel import results
from wechat_channel.events import record
from wechat_channel.history import Note
from wechat_channel.models import Push, PushItem

S = Push.State
WECHAT_HOSTS = ("mp.weixin.qq.com",)
MAX_URL = 1000


def unconfirmed(push):
    """Whether `push` may have gone out without WeChat saying so: answer lost, or parked after a send."""
    return push.state == S.UNKNOWN or (push.state == S.FAILED and push.sent_at is not None)


def _require_unconfirmed(push):
    if not unconfirmed(push):
        raise ValueError(_("Only a push whose outcome WeChat never confirmed can be settled by hand."))


def article_urls(push, text):
    """`{1-based index: URL}` from one URL per line, in the push's order; ValueError with the reason otherwise.

    Only WeChat's article pages are taken (and the account's own API host, where the sandbox serves them).
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValueError(_("Paste the URL of the first article as mp.weixin.qq.com shows it."))
    count = push.items.exclude(state=PushItem.State.FAILED).count()
    if len(lines) > count:
        raise ValueError(_("The push has %(n)s articles; one URL per line, at most that many.") % {"n": count})
    allowed = {*WECHAT_HOSTS, urlsplit(push.account.base_url).hostname}
    urls = {}
    for index, line in enumerate(lines, start=1):
        parts = urlsplit(line)
        if len(line) > MAX_URL or parts.scheme not in ("http", "https") or parts.hostname not in allowed:
            raise ValueError(_("Line %(n)s is not an article address on mp.weixin.qq.com.") % {"n": index})
        urls[index] = line
    return urls


def mark_published(push, user, text):
    """The person saw the push on WeChat: done, with the URLs in `text`. ValueError when it cannot be."""
    _require_unconfirmed(push)
    urls = article_urls(push, text)
    with transaction.atomic():
        if not _take(push, state=S.UNKNOWN):
            raise ValueError(_("The push changed meanwhile; look at it again."))
        results.complete(push, push.article_id, urls)
        record(push, "settled_by_person", Note("seen_published", name=_name(user)), by=user.pk, urls=urls)
    return push


def mark_not_published(push, user):
    """The person found nothing on WeChat: the push is made and sent again from a new draft."""
    _require_unconfirmed(push)
    with transaction.atomic():
        if not _take(
            push,
            state=S.PREPARING,
            draft_media_id="",
            sent_at=None,
            publish_id="",
            msg_id="",
            msg_data_id="",
            attempts=0,
            next_attempt_at=None,
            finished_at=None,
        ):
            raise ValueError(_("The push changed meanwhile; look at it again."))
        push.items.filter(state=PushItem.State.FAILED, problems=[]).update(
            state=PushItem.State.QUEUED, error_message="", error_note={}
        )
        record(push, "settled_by_person", Note("seen_not_published", name=_name(user)), by=user.pk)
    push.refresh_from_db()
    return push


def _name(user):
    return user.get_full_name() or user.get_username()


def _take(push, **fields):
    """Move the push on only if it is still unconfirmed and no worker holds it."""
    fields.update(error_code=None, error_kind="", error_message="", error_note={})
    taken = (
        Push.objects.filter(pk=push.pk, claimed_by="")
        .filter(state__in=(S.UNKNOWN, S.FAILED), sent_at__isnull=False)
        .update(**fields)
    )
    return bool(taken)
