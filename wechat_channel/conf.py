"""Plugin settings, read when used: `settings.WECHAT_CHANNEL` over these defaults."""

from django.conf import settings

DEFAULTS = {
    # Where the WeChat API lives; an account's own `api_base_url` wins. The sandbox: http://127.0.0.1:8765
    "API_BASE_URL": "https://api.weixin.qq.com",
    # WeChat's web authorization (网页授权) for binding staff (A21); an account's own `oauth_base_url` wins.
    "OAUTH_BASE_URL": "https://open.weixin.qq.com",
    # Hosts besides WeChat's own and loopback that may receive an account's secret and tokens: an operator's list
    # (WECHAT_ALLOWED_API_HOSTS), entries "host", "host:port" (https) or "http://host:port" (wechat_channel.trust).
    "ALLOWED_API_HOSTS": (),
    # Page adapters: {"app_label.ModelName": "dotted.path.to.AdapterClass"} (see wechat_channel.adapters).
    "ADAPTERS": {},
    # Dotted path of a `wechat_channel.adapters.PeopleAdapter`: who is staff, and their department (A6.6); None:
    # every active account counts as staff.
    "PEOPLE": None,
    # Dotted path of `recipients() -> [email]` told about system errors (A6.5.1); None: superusers.
    "ERROR_RECIPIENTS": None,
    # Seconds for one HTTP call to WeChat, and how often a retryable error is retried within one call.
    "TIMEOUT": 10,
    "CALL_RETRIES": 2,
    # A claimed push whose worker has been silent this long is taken over by the sweep (a killed worker).
    "CLAIM_LEASE_SECONDS": 300,
    # Attempts of one push step before it is parked as failed.
    "MAX_ATTEMPTS": 8,
    # Backoff between attempts of a push step: base × 2^attempt, capped.
    "BACKOFF_SECONDS": 30,
    "BACKOFF_CAP_SECONDS": 1800,
    # Seconds before a mass send is asked again with the same clientmsgid (after a lost answer, or 45066): WeChat
    # answers 45066 "相同 clientmsgid 重试速度过快，请间隔1分钟重试" to a sooner one (WECHAT.md §5, §12).
    "MASS_RESEND_AFTER_SECONDS": 61,
    # A submitted push with no result event after this long is polled (freepublish/get, mass/get).
    "RESULT_POLL_AFTER_SECONDS": 120,
    # Largest callback body accepted, in bytes.
    "CALLBACK_MAX_BYTES": 64 * 1024,
    # Callback timestamps further than this from now are refused (replays).
    "CALLBACK_MAX_SKEW_SECONDS": 300,
    # A message's own CreateTime further than this from now is refused at the door: WeChat sends the current time.
    "CALLBACK_CREATE_TIME_WINDOW_SECONDS": 86400,
    # A URL of the site's machine-readable health (database, queue, callbacks), linked from the Health page; None: none.
    "HEALTH_URL": None,
    # Failed processings of one stored callback before it is parked for a channel administrator (A6.5.1).
    "CALLBACK_MAX_ATTEMPTS": 5,
}


def get_conf(name):
    return {**DEFAULTS, **getattr(settings, "WECHAT_CHANNEL", {})}[name]
