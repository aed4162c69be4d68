"""What a failed WeChat call means and what to do about it, in Chinese and English (WECHAT.md §1.3, §9).

Every error is one of three kinds: `retryable` (try again later: -1, quotas per minute, timeouts),
`token` (the access token was refused: refresh once, then give up) or `permanent` (a person must act).
"""

from dataclasses import dataclass

from django.utils.translation import get_language

RETRYABLE = "retryable"
TOKEN = "token"  # noqa: S105 - a kind of error, not a password
PERMANENT = "permanent"

# Transport failures have no WeChat errcode; they are classified under these names.
TIMEOUT = "timeout"
CONNECTION = "connection"
HTTP = "http"
# Not a transport failure: 40007 again after the remembered images were uploaded anew (wechat_channel.drafting).
STALE_MEDIA_AGAIN = "stale_media_again"

SETTINGS_PATH_ZH = "mp.weixin.qq.com → 设置与开发 → 基本配置"
SETTINGS_PATH_EN = "mp.weixin.qq.com → Settings and Development → Basic Configuration"


@dataclass(frozen=True)
class Meaning:
    kind: str
    zh: str
    en: str


def _m(kind, zh, en):
    return Meaning(kind, zh, en)


REFUSED_ZH = (
    "已重新获取一次 access_token 仍被拒绝：请确认没有其他程序对同一 AppID 强制刷新 token，AppSecret 也未被重置。"
)
REFUSED_EN = (
    "The access token was refused even after one refresh: make sure no other system force-refreshes the token "
    "of this AppID and that the AppSecret was not reset."
)

CODES = {
    -1: _m(
        RETRYABLE,
        "微信系统繁忙，稍后会自动重试；若一直出现，请查看微信公众平台的公告。",
        "WeChat reported a system error; the call is retried later. If it persists, check WeChat's announcements.",
    ),
    40001: _m(
        TOKEN,
        "access_token 无效或不是最新。" + REFUSED_ZH,
        "The access token is invalid or not the latest. " + REFUSED_EN,
    ),
    40002: _m(
        PERMANENT,
        "请求参数不合法（40002）：这是程序错误，请把错误信息转给技术人员。",
        "WeChat refused an argument (40002): a program error; pass this message to the developers.",
    ),
    40003: _m(
        PERMANENT,
        "openid 无效：该微信用户不属于这个公众号。",
        "Invalid openid: this WeChat user does not belong to this account.",
    ),
    40005: _m(
        PERMANENT,
        "图片格式不被微信接受：只能上传 jpg 或 png 图片，请换一张图片。",
        "WeChat does not accept the image format: only jpg or png; use another image.",
    ),
    40007: _m(
        PERMANENT,
        "media_id 无效：草稿或封面素材已不存在，或封面不是永久素材。请重新上传封面或重新创建草稿。",
        "Invalid media_id: the draft or cover no longer exists, or the cover is not permanent material. "
        "Upload the cover again or create the draft again.",
    ),
    40009: _m(
        PERMANENT,
        "图片太大：正文图片须小于 1 MB，封面不超过 10 MB。请压缩图片后重试。",
        "The image is too large: content images must be under 1 MB, covers at most 10 MB. Compress it and retry.",
    ),
    40013: _m(
        PERMANENT,
        f"AppID 无效：请在公众号设置中核对 AppID（{SETTINGS_PATH_ZH}）。",
        f"Invalid AppID: check the account's AppID ({SETTINGS_PATH_EN}).",
    ),
    40014: _m(TOKEN, "access_token 不合法。" + REFUSED_ZH, "The access token is malformed. " + REFUSED_EN),
    40125: _m(
        PERMANENT,
        f"AppSecret 错误：在 {SETTINGS_PATH_ZH} 核对或重置 AppSecret，并更新服务器上账号指定的环境变量。",
        f"Wrong AppSecret: check or reset it under {SETTINGS_PATH_EN} and update the environment variable "
        "the account names on the server.",
    ),
    40029: _m(
        PERMANENT,
        "授权码（code）无效或已过期：请重新扫码或重新打开绑定链接。",
        "The authorization code is invalid or expired: scan the code or open the binding link again.",
    ),
    40163: _m(
        PERMANENT,
        "授权码（code）已被使用：请重新扫码或重新打开绑定链接。",
        "The authorization code was already used: scan the code or open the binding link again.",
    ),
    40164: _m(
        PERMANENT,
        f"服务器 IP 不在公众号的 IP 白名单中：在 {SETTINGS_PATH_ZH} 添加本机 IP。",
        f"This server's IP is not in the account's IP whitelist: add it under {SETTINGS_PATH_EN}.",
    ),
    40243: _m(
        PERMANENT,
        f"AppSecret 已被冻结：在 {SETTINGS_PATH_ZH} 解冻或重置 AppSecret。",
        f"The AppSecret is frozen: unfreeze or reset it under {SETTINGS_PATH_EN}.",
    ),
    41001: _m(TOKEN, "请求缺少 access_token。" + REFUSED_ZH, "The call carried no access token. " + REFUSED_EN),
    41005: _m(
        PERMANENT,
        "上传时微信没有收到图片数据：请检查图片文件是否完整。",
        "WeChat received no image data: check that the image file is complete.",
    ),
    42001: _m(TOKEN, "access_token 已过期。" + REFUSED_ZH, "The access token expired. " + REFUSED_EN),
    44003: _m(
        PERMANENT,
        "草稿中没有文章：至少需要一篇文章。",
        "The draft holds no article: at least one is needed.",
    ),
    45002: _m(
        PERMANENT,
        "正文太长：微信要求正文少于 2 万字符且小于 1 MB。请删减正文或拆成两篇。",
        "The body is too long: WeChat needs fewer than 20,000 characters and under 1 MB. Shorten it or split it.",
    ),
    45003: _m(
        PERMANENT,
        "标题太长：微信最多 64 字。请缩短标题。",
        "The title is too long: WeChat allows at most 64 characters. Shorten it.",
    ),
    45004: _m(
        PERMANENT,
        "摘要太长：微信最多 128 字。请缩短摘要。",
        "The digest is too long: WeChat allows at most 128 characters. Shorten it.",
    ),
    45005: _m(
        PERMANENT,
        "“阅读原文”链接太长：须小于 1 KB。",
        "The 'read the original' link is too long: it must be under 1 KB.",
    ),
    45008: _m(
        PERMANENT,
        "一次推送的文章太多：最多 8 篇。请把其余文章移到下一次推送。",
        "Too many articles in one push: at most 8. Move the rest to the next push.",
    ),
    45009: _m(
        PERMANENT,
        f"该接口今天的调用次数已用完：明天再试，或在 {SETTINGS_PATH_ZH} → API 调用次数 清零（每月最多 10 次）。",
        f"Today's quota for this API is used up: try tomorrow, or reset it under {SETTINGS_PATH_EN} → "
        "API call quota (at most 10 resets a month).",
    ),
    45011: _m(
        RETRYABLE,
        "调用太频繁（每分钟限额）：一分钟后会自动重试。",
        "Calls are too frequent (per-minute quota): it is retried after a minute.",
    ),
    45028: _m(
        PERMANENT,
        "本期的群发次数已用完：订阅号每天 1 次，服务号每位用户每月 4 次。改为发布，或等到下一期。",
        "This period's mass sends are used up (subscription: 1 a day; service: 4 per follower a month). "
        "Publish instead or wait for the next period.",
    ),
    45065: _m(
        PERMANENT,
        "这次群发已经发出过（clientmsgid 重复），不会重复发送。",
        "This mass send already went out (same clientmsgid); it is not sent twice.",
    ),
    45066: _m(
        RETRYABLE,
        "重复群发请求过快：一分钟后会自动重试。",
        "The same mass send was retried too quickly: it is retried after a minute.",
    ),
    45067: _m(
        PERMANENT,
        "clientmsgid 太长：这是程序错误，请把错误信息转给技术人员。",
        "The clientmsgid is too long: a program error; pass this message to the developers.",
    ),
    45110: _m(
        PERMANENT,
        "作者名太长：微信最多 16 字。请缩短作者名。",
        "The author is too long: WeChat allows at most 16 characters. Shorten it.",
    ),
    45166: _m(
        PERMANENT,
        "微信认为正文内容不合法：检查正文中是否有不支持的代码或敏感内容，修改后重试。",
        "WeChat refused the body as invalid content: look for unsupported markup or sensitive content, then retry.",
    ),
    47001: _m(
        PERMANENT,
        "请求数据格式错误：这是程序错误，请把错误信息转给技术人员。",
        "The request data was malformed: a program error; pass this message to the developers.",
    ),
    48001: _m(
        PERMANENT,
        "公众号没有这个接口的权限：未认证的订阅号不能通过接口群发或发布。请完成微信认证，或把账号的推送方式改为“仅草稿”。",
        "The account lacks permission for this API: unverified subscription accounts cannot mass-send or publish "
        "through the API. Verify the account, or set its delivery to 'draft only'.",
    ),
    48004: _m(
        PERMANENT,
        "该接口因违规被封禁：登录 mp.weixin.qq.com 查看通知。",
        "This API was banned for irregularities: read the notice on mp.weixin.qq.com.",
    ),
    53500: _m(
        PERMANENT,
        "公众号的发布功能被封禁：登录 mp.weixin.qq.com 查看通知。",
        "Publishing is banned for this account: read the notice on mp.weixin.qq.com.",
    ),
    53501: _m(
        RETRYABLE,
        "发布过于频繁：稍后会自动重试。",
        "Publishing too frequently: it is retried later.",
    ),
    53502: _m(
        PERMANENT,
        "发布任务编号（publish_id）无效。",
        "The publish_id is invalid.",
    ),
    53503: _m(
        PERMANENT,
        "草稿未通过发布检查：在 mp.weixin.qq.com 的草稿箱打开该草稿，按提示修改后手动发表。",
        "The draft failed WeChat's publishing check: open it in the draft box on mp.weixin.qq.com, fix what it "
        "reports and publish it by hand.",
    ),
    53504: _m(
        PERMANENT,
        "该草稿只能在公众平台网页上使用：请在 mp.weixin.qq.com 的草稿箱中发表。",
        "This draft can only be used on the web: publish it from the draft box on mp.weixin.qq.com.",
    ),
    53505: _m(
        PERMANENT,
        "请先在 mp.weixin.qq.com 草稿箱中手动保存该草稿，再发表。",
        "Save the draft by hand in the draft box on mp.weixin.qq.com first, then publish it.",
    ),
    53600: _m(
        PERMANENT,
        "文章编号（article_id）无效：文章可能已被删除。",
        "The article_id is invalid: the article may have been deleted.",
    ),
    88000: _m(
        PERMANENT,
        "公众号没有留言功能：请关闭文章的“开启留言”，或在公众平台开通留言。",
        "The account has no comment feature: turn comments off for the article or enable them on the platform.",
    ),
    89503: _m(
        PERMANENT,
        "此次调用需要公众号管理员确认：请管理员在微信中确认后再试。",
        "This call needs the account administrator's confirmation in WeChat; retry after they confirm.",
    ),
    89506: _m(
        PERMANENT,
        "管理员拒绝了本机 IP 的调用：24 小时后才能再试。",
        "The administrator refused calls from this IP: retry after 24 hours.",
    ),
    89507: _m(
        PERMANENT,
        "管理员拒绝了本机 IP 的调用：1 小时后才能再试。",
        "The administrator refused calls from this IP: retry after an hour.",
    ),
    TIMEOUT: _m(
        RETRYABLE,
        "微信在规定时间内没有回应：稍后会自动重试。",
        "WeChat did not answer in time: it is retried later.",
    ),
    STALE_MEDIA_AGAIN: _m(
        PERMANENT,
        "微信仍然不认这篇推送的图片（40007 media_id 无效），即使封面和正文图片刚刚重新上传过："
        "请在 mp.weixin.qq.com 的素材库确认能上传图片，并检查账号的 API 地址设置，然后重试。",
        "WeChat still refused the push's images (40007 invalid media_id) right after the cover and content images "
        "were uploaded again: check on mp.weixin.qq.com that images can be uploaded to the material library and "
        "check the account's API address, then retry.",
    ),
    CONNECTION: _m(
        RETRYABLE,
        "连不上微信服务器：检查服务器的网络和 API 地址设置，稍后会自动重试。",
        "Could not reach WeChat: check the server's network and the API address; it is retried later.",
    ),
}

LOST_ZH = "请求可能已经到达微信但没有收到回复：不会盲目重发，系统会先核对微信那边的结果。"
LOST_EN = (
    "The request may have reached WeChat but no answer came back: it is not resent blindly; "
    "the result is checked first."
)


def classify(code, http_status=None):
    """The `Meaning` of an errcode, a transport failure name, or (`HTTP`, status); unknown codes are permanent."""
    if code == HTTP:
        if http_status is not None and http_status >= 500:
            return _m(
                RETRYABLE,
                f"微信服务器返回 HTTP {http_status}：稍后会自动重试。",
                f"WeChat answered HTTP {http_status}: it is retried later.",
            )
        return _m(
            PERMANENT,
            f"微信服务器返回 HTTP {http_status}：请检查账号的 API 地址设置。",
            f"WeChat answered HTTP {http_status}: check the account's API address.",
        )
    meaning = CODES.get(code)
    if meaning is not None:
        return meaning
    return _m(
        PERMANENT,
        f"微信返回错误码 {code}：请把错误信息转给技术人员，或在微信开放文档中查询该错误码。",
        f"WeChat returned error code {code}: pass this message to the developers or look the code up in "
        "WeChat's documentation.",
    )


class WeChatCallError(Exception):
    """A WeChat call that failed: `code` (errcode, None for transport failures), `kind`, `lost`, and advice.

    `lost` means the request may have reached WeChat (a timeout on a call that is not idempotent): the caller
    must find out what happened before sending again.
    """

    def __init__(self, code, path="", errmsg="", lost=False, kind=None, http_status=None, reason=None):
        reason = reason or (HTTP if http_status is not None else None)
        meaning = classify(reason or code, http_status=http_status)
        self.code = code if isinstance(code, int) else None
        self.reason = reason  # TIMEOUT, CONNECTION or HTTP for transport failures; None for WeChat errcodes
        self.http_status = http_status
        self.kind = kind or meaning.kind
        self.lost = lost
        self.path = path
        self.errmsg = errmsg or ""
        self.body = None  # WeChat's JSON answer, when there was one (45065 carries the first msg_id)
        self.message_zh = meaning.zh + (LOST_ZH if lost else "")
        self.message_en = meaning.en + (" " + LOST_EN if lost else "")
        super().__init__(self.message_en)

    def message(self, language=None):
        """The advice in `language` (default: the active one; Chinese unless English is active)."""
        language = language or get_language() or "zh-hans"
        return self.message_en if language.lower().startswith("en") else self.message_zh

    def __str__(self):
        detail = " ".join(str(part) for part in (self.path, self.code, self.errmsg) if part not in ("", None))
        return f"{self.message()} [{detail}]" if detail else self.message()

    def __repr__(self):
        return f"WeChatCallError(code={self.code!r}, kind={self.kind!r}, lost={self.lost!r}, path={self.path!r})"

    def as_dict(self):
        """A JSON-friendly summary for health pages and logs."""
        return {
            "code": self.code,
            "kind": self.kind,
            "lost": self.lost,
            "path": self.path,
            "errmsg": self.errmsg,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }
