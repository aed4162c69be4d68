"""Pushes that went out before the site was running: a demo's history, or records brought over from elsewhere.

The article is placed as the planner would have placed it at that moment (`planning.place` with its `now`), and a
push whose slot is past is recorded as WeChat would have answered it: the mass send accepted (what `delivery`
records), then the result with each article's URL, applied by `results.mass_send_finished` as the callback would.
Nothing here talks to WeChat.
"""

from wechat_channel import planning, results
from wechat_channel.events import record
from wechat_channel.history import Note
from wechat_channel.models import Push, PushItem


def place(page, moment):
    """Put `page` into the push the planner would have chosen at `moment` (A11, A12, A16)."""
    return planning.place(page, now=moment)


# Past msg_data_ids lie below the sandbox's own (2247483650 on, `sandbox.publish.msg_data_ids`): never the same.
PAST_MSG_DATA_BASE = 2_000_000_000


def msg_data_id_of(push_pk):
    """The msg_data_id the past push `push_pk` went out under: what WeChat names its articles by for comments
    (A13)."""
    return str(PAST_MSG_DATA_BASE + push_pk)


def went_out(push, followers, url_base):
    """Record that the planned `push` went out at its slot to `followers`, its articles at `url_base`/s/…;
    False when it is no longer planned."""
    msg_id = str(1_000_000_000 + push.pk)
    sent = Push.objects.filter(pk=push.pk, state=Push.State.PLANNED).update(
        state=Push.State.SUBMITTED,
        draft_media_id=f"past-draft-{push.pk}",
        clientmsgid=f"newsroom-{push.pk}",
        msg_id=msg_id,
        msg_data_id=msg_data_id_of(push.pk),
        sent_at=push.slot,
        attempts=1,
    )
    if not sent:
        return False  # it went out, or was cancelled, already
    push.refresh_from_db()
    record(push, "sent", Note("mass_send_accepted"), msg_id=msg_id)
    count = push.items.exclude(state=PushItem.State.FAILED).count()
    urls = {index: f"{url_base.rstrip('/')}/s/past-{push.pk}-{index}" for index in range(1, count + 1)}
    reach = {
        "followers_total": followers,
        "followers_ready": followers,
        "followers_sent": followers,
        "followers_failed": 0,
    }
    return results.mass_send_finished(push.account, msg_id, "send success", urls, reach)


def name_earlier(account):
    """Give the account's past pushes recorded before they kept a msg_data_id theirs (a demo seeded earlier), so
    their comments can be fetched (A13); the number named."""
    earlier = Push.objects.filter(account=account, msg_data_id="", draft_media_id__startswith="past-draft-")
    return sum(
        Push.objects.filter(pk=pk, msg_data_id="").update(msg_data_id=msg_data_id_of(pk))
        for pk in earlier.values_list("pk", flat=True)
    )
