"""What a failed WeChat call means and what to do about it (WECHAT.md §1.3, §9).

Every error is one of three kinds: `retryable` (try again later: -1, quotas per minute, timeouts),
`token` (the access token was refused: refresh once, then give up) or `permanent` (a person must act).
The advice is a gettext message (English source, Chinese in the plugin's catalogue), rendered when it is read,
in the reader's language (STYLE.md 11).
"""

from contextlib import nullcontext
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

RETRYABLE = "retryable"
TOKEN = "token"  # noqa: S105 - a kind of error, not a password
PERMANENT = "permanent"

# Transport failures have no WeChat errcode; they are classified under these names.
TIMEOUT = "timeout"
CONNECTION = "connection"
HTTP = "http"
# Not a transport failure: 40007 again after the remembered images were uploaded anew (wechat_channel.drafting).
STALE_MEDIA_AGAIN = "stale_media_again"
# Not sent at all: the site refused the account (wechat_channel.trust.UntrustedAccount) and WeChat was never asked.
REFUSED = "refused"

SETTINGS_PATH = _("mp.weixin.qq.com → Settings and Development → Basic Configuration")


def _in(language):
    """Render in `language`, or in the active one when None."""
    return nullcontext() if language is None else translation.override(language)


@dataclass(frozen=True)
class Meaning:
    """What an errcode means: its kind and its advice, a gettext message with its parameters."""

    kind: str
    text: str
    params: dict = dataclass_field(default_factory=dict, hash=False)

    def message(self, language=None):
        """The advice in `language` (default: the active language)."""
        with _in(language):
            if not self.params:
                return str(self.text)
            return str(self.text) % {name: str(value) for name, value in self.params.items()}

    @property
    def zh(self):
        return self.message("zh-hans")

    @property
    def en(self):
        return self.message("en")


def _m(kind, text, **params):
    return Meaning(kind, text, params)


REFUSED = _(
    "The access token was refused even after one refresh: make sure no other system force-refreshes the token "
    "of this AppID and that the AppSecret was not reset."
)

CODES = {
    -1: _m(
        RETRYABLE,
        _("WeChat reported a system error; the call is retried later. If it persists, check WeChat's announcements."),
    ),
    40001: _m(
        TOKEN,
        _("The access token is invalid or not the latest. %(refused)s"),
        refused=REFUSED,
    ),
    40002: _m(
        PERMANENT,
        _("WeChat refused an argument (40002): a program error; pass this message to the developers."),
    ),
    40003: _m(
        PERMANENT,
        _("Invalid openid: this WeChat user does not belong to this account."),
    ),
    40005: _m(
        PERMANENT,
        _("WeChat does not accept the image format: only jpg or png; use another image."),
    ),
    40007: _m(
        PERMANENT,
        _(
            "Invalid media_id: the draft or cover no longer exists, or the cover is not permanent material. "
            "Upload the cover again or create the draft again."
        ),
    ),
    40009: _m(
        PERMANENT,
        _("The image is too large: content images must be under 1 MB, covers at most 10 MB. Compress it and retry."),
    ),
    40013: _m(
        PERMANENT,
        _("Invalid AppID: check the account's AppID (%(settings)s)."),
        settings=SETTINGS_PATH,
    ),
    40014: _m(
        TOKEN,
        _("The access token is malformed. %(refused)s"),
        refused=REFUSED,
    ),
    40125: _m(
        PERMANENT,
        _(
            "Wrong AppSecret: check or reset it under %(settings)s and update the environment variable the "
            "account names on the server."
        ),
        settings=SETTINGS_PATH,
    ),
    40029: _m(
        PERMANENT,
        _("The authorization code is invalid or expired: scan the code or open the binding link again."),
    ),
    40163: _m(
        PERMANENT,
        _("The authorization code was already used: scan the code or open the binding link again."),
    ),
    40164: _m(
        PERMANENT,
        _("This server's IP is not in the account's IP whitelist: add it under %(settings)s."),
        settings=SETTINGS_PATH,
    ),
    40243: _m(
        PERMANENT,
        _("The AppSecret is frozen: unfreeze or reset it under %(settings)s."),
        settings=SETTINGS_PATH,
    ),
    41001: _m(
        TOKEN,
        _("The call carried no access token. %(refused)s"),
        refused=REFUSED,
    ),
    41005: _m(
        PERMANENT,
        _("WeChat received no image data: check that the image file is complete."),
    ),
    42001: _m(
        TOKEN,
        _("The access token expired. %(refused)s"),
        refused=REFUSED,
    ),
    44003: _m(
        PERMANENT,
        _("The draft holds no article: at least one is needed."),
    ),
    45002: _m(
        PERMANENT,
        _("The body is too long: WeChat needs fewer than 20,000 characters and under 1 MB. Shorten it or split it."),
    ),
    45003: _m(
        PERMANENT,
        _("The title is too long: WeChat allows at most 64 characters. Shorten it."),
    ),
    45004: _m(
        PERMANENT,
        _("The digest is too long: WeChat allows at most 128 characters. Shorten it."),
    ),
    45005: _m(
        PERMANENT,
        _("The 'read the original' link is too long: it must be under 1 KB."),
    ),
    45008: _m(
        PERMANENT,
        _("Too many articles in one push: at most 8. Move the rest to the next push."),
    ),
    45009: _m(
        PERMANENT,
        _(
            "Today's quota for this API is used up: try tomorrow, or reset it under %(settings)s → API call quota "
            "(at most 10 resets a month)."
        ),
        settings=SETTINGS_PATH,
    ),
    45011: _m(
        RETRYABLE,
        _("Calls are too frequent (per-minute quota): it is retried after a minute."),
    ),
    45028: _m(
        PERMANENT,
        _(
            "This period's mass sends are used up (subscription: 1 a day; service: 4 per follower a month). "
            "Publish instead or wait for the next period."
        ),
    ),
    45065: _m(
        PERMANENT,
        _("This mass send already went out (same clientmsgid); it is not sent twice."),
    ),
    45066: _m(
        RETRYABLE,
        _("The same mass send was retried too quickly: it is retried after a minute."),
    ),
    45067: _m(
        PERMANENT,
        _("The clientmsgid is too long: a program error; pass this message to the developers."),
    ),
    45110: _m(
        PERMANENT,
        _("The author is too long: WeChat allows at most 16 characters. Shorten it."),
    ),
    45166: _m(
        PERMANENT,
        _("WeChat refused the body as invalid content: look for unsupported markup or sensitive content, then retry."),
    ),
    47001: _m(
        PERMANENT,
        _("The request data was malformed: a program error; pass this message to the developers."),
    ),
    48001: _m(
        PERMANENT,
        _(
            "The account lacks permission for this API: unverified subscription accounts cannot mass-send or "
            "publish through the API. Verify the account, or set its delivery to 'draft only'."
        ),
    ),
    48004: _m(
        PERMANENT,
        _("This API was banned for irregularities: read the notice on mp.weixin.qq.com."),
    ),
    53500: _m(
        PERMANENT,
        _("Publishing is banned for this account: read the notice on mp.weixin.qq.com."),
    ),
    53501: _m(
        RETRYABLE,
        _("Publishing too frequently: it is retried later."),
    ),
    53502: _m(
        PERMANENT,
        _("The publish_id is invalid."),
    ),
    53503: _m(
        PERMANENT,
        _(
            "The draft failed WeChat's publishing check: open it in the draft box on mp.weixin.qq.com, fix what "
            "it reports and publish it by hand."
        ),
    ),
    53504: _m(
        PERMANENT,
        _("This draft can only be used on the web: publish it from the draft box on mp.weixin.qq.com."),
    ),
    53505: _m(
        PERMANENT,
        _("Save the draft by hand in the draft box on mp.weixin.qq.com first, then publish it."),
    ),
    53600: _m(
        PERMANENT,
        _("The article_id is invalid: the article may have been deleted."),
    ),
    88000: _m(
        PERMANENT,
        _("The account has no comment feature: turn comments off for the article or enable them on the platform."),
    ),
    89503: _m(
        PERMANENT,
        _("This call needs the account administrator's confirmation in WeChat; retry after they confirm."),
    ),
    89506: _m(
        PERMANENT,
        _("The administrator refused calls from this IP: retry after 24 hours."),
    ),
    89507: _m(
        PERMANENT,
        _("The administrator refused calls from this IP: retry after an hour."),
    ),
    TIMEOUT: _m(
        RETRYABLE,
        _("WeChat did not answer in time: it is retried later."),
    ),
    STALE_MEDIA_AGAIN: _m(
        PERMANENT,
        _(
            "WeChat still refused the push's images (40007 invalid media_id) right after the cover and content "
            "images were uploaded again: check on mp.weixin.qq.com that images can be uploaded to the material "
            "library and check the account's API address, then retry."
        ),
    ),
    CONNECTION: _m(
        RETRYABLE,
        _("Could not reach WeChat: check the server's network and the API address; it is retried later."),
    ),
    # What a stored refusal reads later, when the account's problems of that moment are no longer known.
    REFUSED: _m(
        PERMANENT,
        _(
            "Nothing was sent: the site refused to use this account, whose settings broke a rule of the channel. "
            "A channel administrator corrects the account (its page says what is wrong), then retries."
        ),
    ),
}

LOST = _(
    "The request may have reached WeChat but no answer came back: it is not resent blindly; "
    "the result is checked first."
)
# The advice, then LOST: one space in English, none in Chinese.
WITH_LOST = pgettext_lazy("a WeChat error's advice, then that the request may have arrived", "%(advice)s %(lost)s")
ERROR_FIELDS = ("code", "path", "errmsg", "lost", "kind", "http_status", "reason")


def classify(code, http_status=None):
    """The `Meaning` of an errcode, a transport failure name, or (`HTTP`, status); unknown codes are permanent."""
    if code == HTTP:
        if http_status is not None and http_status >= 500:
            return _m(RETRYABLE, _("WeChat answered HTTP %(status)s: it is retried later."), status=http_status)
        return _m(PERMANENT, _("WeChat answered HTTP %(status)s: check the account's API address."), status=http_status)
    meaning = CODES.get(code)
    if meaning is not None:
        return meaning
    return _m(
        PERMANENT,
        _(
            "WeChat returned error code %(code)s: pass this message to the developers or look the code up in "
            "WeChat's documentation."
        ),
        code=code,
    )


class WeChatCallError(Exception):
    """A WeChat call that failed: `code` (errcode, None for transport failures), `kind`, `lost`, and advice.

    `lost` means the request may have reached WeChat (a timeout on a call that is not idempotent): the caller
    must find out what happened before sending again.
    """

    def __init__(self, code, path="", errmsg="", lost=False, kind=None, http_status=None, reason=None):
        reason = reason or (HTTP if http_status is not None else None)
        self.meaning = classify(reason or code, http_status=http_status)
        self.code = code if isinstance(code, int) else None
        self.reason = reason  # TIMEOUT, CONNECTION or HTTP for transport failures; None for WeChat errcodes
        self.http_status = http_status
        self.kind = kind or self.meaning.kind
        self.lost = lost
        self.path = path
        self.errmsg = errmsg or ""
        self.body = None  # WeChat's JSON answer, when there was one (45065 carries the first msg_id)
        super().__init__(self.message_en)

    @classmethod
    def from_dict(cls, data):
        """The error again from its stored fields (`as_dict`, `history.Note.of_error`), to word it for a reader."""
        return cls(**{name: value for name, value in data.items() if name in ERROR_FIELDS})

    def advice(self):
        """What went wrong and what to do, in the active language."""
        return self.meaning.message()

    def message(self, language=None):
        """The advice in `language` (default: the active language), and that the request may have arrived."""
        with _in(language):
            if not self.lost:
                return str(self.advice())
            return str(WITH_LOST) % {"advice": self.advice(), "lost": LOST}

    @property
    def message_zh(self):
        return self.message("zh-hans")

    @property
    def message_en(self):
        return self.message("en")

    def __str__(self):
        detail = " ".join(str(part) for part in (self.path, self.code, self.errmsg) if part not in ("", None))
        return f"{self.message()} [{detail}]" if detail else self.message()

    def __repr__(self):
        return f"WeChatCallError(code={self.code!r}, kind={self.kind!r}, lost={self.lost!r}, path={self.path!r})"

    def as_dict(self):
        """A JSON-friendly summary for health pages, task results and logs: its fields (`from_dict` words them
        for a reader) and the advice in the site's two languages, for a record read without a language."""
        return {
            "code": self.code,
            "kind": self.kind,
            "lost": self.lost,
            "path": self.path,
            "errmsg": self.errmsg,
            "http_status": self.http_status,
            "reason": self.reason,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
