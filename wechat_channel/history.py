"""Push history and push errors as codes and parameters, rendered in the reader's language (STYLE.md 11).

A `Note` names a text (a key of `TEXTS`) and its parameters. It is stored as JSON (`PushEvent.data`,
`Push.error_note`, `PushItem.error_note`) and rendered when someone reads it, in their language: the worker that
wrote it, a Chinese-speaking office, may be read by an English-speaking administrator and the other way round.
Rows written before notes existed have none; their stored text is shown as it was written.
"""

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wechat_channel.content.limits import LimitProblem
from wechat_channel.push_modes import PushMode
from wechat_channel.wechat.errors import ERROR_FIELDS, WeChatCallError

TEXTS = {
    "started": _("started (%(mode)s)"),
    "page_gone": _("The page was deleted or is no longer pushed to WeChat."),
    "nothing_sendable": _("No article of this push could be sent."),
    "nothing_sendable_because": _("No article of this push could be sent: %(reasons)s"),
    "draft_found": _("found the draft an earlier attempt created"),
    "drafted": _("draft created with %(n)s articles"),
    "images_refreshed": _("WeChat no longer had %(n)s remembered images (40007); they were uploaded again"),
    "draft_waits": _("the draft waits in the draft box (草稿箱) for an editor to send it"),
    "mass_send_used": _("this period's mass send is used; the push goes out as: %(mode)s"),
    "mass_send_used_on_wechat": _("WeChat says this period's mass send is used; the push goes out as: %(mode)s"),
    "mass_send_accepted": _("mass send accepted"),
    "publishing_accepted": _("publishing accepted"),
    "draft_lost": _("WeChat no longer had the push's draft (40007); it is made again"),
    "mass_send_confirmed": _("mass send confirmed"),
    "mass_event_matched": _(
        "WeChat's result event %(msg_id)s is this push's: the account's only mass send that day whose answer was lost"
    ),
    "stopped_mid_call": _("the worker stopped during the call; what WeChat did is checked before sending again"),
    "not_submitted": _("the draft was not submitted; submitting again"),
    "draft_taken": _(
        "WeChat no longer had the draft (40007): the submit whose answer was lost took it; waiting for WeChat's word"
    ),
    "found_published": _("found the published articles"),
    "never_confirmed": _("WeChat took the push but never confirmed it; check mp.weixin.qq.com."),
    "gave_up": _("Gave up after %(n)s attempts: %(error)s"),
    "retried": _("retried by an editor"),
    "backup_removed": _("removed the backup of the failed draft WeChat kept in the draft box (%(n)s)"),
    "seen_published": _("%(name)s saw it published on mp.weixin.qq.com and marked it done"),
    "seen_not_published": _("%(name)s found nothing on mp.weixin.qq.com; it is made and sent again"),
    "cancelled": _("cancelled by an editor"),
    "out_on_wechat": _("%(n)s articles out on WeChat"),
    "followers_reached": _("WeChat sent it to %(sent)s of %(total)s followers"),
    "followers_filtered": _(
        "WeChat sent it to %(sent)s of %(total)s followers: %(n)s had already received their four mass messages "
        "this month (or refuse them) and were left out"
    ),
    "publish_failed": _("WeChat: %(reason)s"),
    "mass_send_failed": _("WeChat: the mass send failed (%(status)s)"),
    "article_failed": _("%(title)s: %(reason)s"),
    "wechat_error": "%(error)s",
    "content_rejected": "%(problems)s",
    "article_added": _("“%(title)s” added"),
    "article_moved_out": _("“%(title)s” moved to another push"),
    "article_moved_in": _("“%(title)s” moved here"),
    "rescheduled": _("moved from %(before)s"),
    "reordered": _("articles reordered"),
    "emptied": _("no articles left"),
}

PUBLISH_FAILURES = {
    2: _("the originality check failed"),
    3: _("publishing failed"),
    4: _("the platform review rejected it"),
    6: _("the platform banned it after publishing"),
}


class Note:
    """A text of the push history by key, with JSON-friendly parameters; `str()` renders it now."""

    def __init__(self, text, **params):
        self.text = text
        self.params = params

    @classmethod
    def of_error(cls, error):
        """A failed WeChat call, re-rendered with its advice in the reader's language."""
        return cls("wechat_error", error={name: getattr(error, name, None) for name in ERROR_FIELDS})

    @classmethod
    def of_problems(cls, problems):
        """WeChat's limits an article breaks (`LimitProblem`s), kept as codes and numbers."""
        return cls("content_rejected", problems=[problem.as_data() for problem in problems])

    def as_dict(self):
        return {"text": self.text, **self.params}

    def __str__(self):
        return render(self.as_dict())


def _problem_text(stored):
    """A stored `LimitProblem`; rows written before problems were stored as codes hold {"zh": …, "en": …}."""
    problem = LimitProblem.from_data(stored)
    if problem is not None:
        return problem.message()
    english = (get_language() or "zh-hans").lower().startswith("en")
    return str(stored.get("en" if english else "zh", ""))


def _param(name, value):
    if name == "error" and isinstance(value, dict):
        return str(WeChatCallError.from_dict(value))
    if name == "problems" and isinstance(value, list):
        return gettext("; ").join(_problem_text(p) for p in value if isinstance(p, dict))
    if name == "reasons" and isinstance(value, list):
        return gettext("; ").join(render(note) for note in value if isinstance(note, dict))
    if name == "mode":
        return PushMode(value).label if value in PushMode.values else value
    if name == "reason" and isinstance(value, int) and not isinstance(value, bool):
        return PUBLISH_FAILURES.get(value, value)
    if isinstance(value, dict) and "text" in value:
        return render(value)
    return value


def render(note):
    """The note (`Note.as_dict()`) in the active language; "" for no note or one this version cannot read."""
    text = note.get("text") if isinstance(note, dict) else None
    if not isinstance(text, str) or text not in TEXTS:
        return ""
    try:
        params = {name: _param(name, value) for name, value in note.items() if name != "text"}
        return str(TEXTS[text]) % params
    except (AttributeError, KeyError, TypeError, ValueError):  # stored by another version, or tampered with
        return ""


def text_of(note, written=""):
    """What a reader sees: the note rendered now, or what was written when there is no note (older rows)."""
    return render(note) or written
