"""What the fault soak's clusters and its test process both read: plugin settings and django-q2 tunables.

Short enough that a fault costs about a second: a 1 s HTTP timeout (the sandbox stalls injected timeouts a
little longer), half-second backoffs, and a 10 s claim lease, longer than any single call with its in-call
retries (so a live worker is never taken over) but short enough to recover a killed one quickly.
"""

TIMEOUT = 1.0

WECHAT_CHANNEL = {
    "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.soak_adapter.SyntheticAdapter"},
    "TIMEOUT": TIMEOUT,
    "CALL_RETRIES": 2,
    "CLAIM_LEASE_SECONDS": 10,
    "MAX_ATTEMPTS": 40,
    "BACKOFF_SECONDS": 0.5,
    "BACKOFF_CAP_SECONDS": 2,
    "RESULT_POLL_AFTER_SECONDS": 3,
    "MASS_RESEND_AFTER_SECONDS": 1.5,  # the soak's sandbox lets a clientmsgid be sent again after 1 s (WeChat: 60)
}

CLUSTER = {
    "poll": 0.1,  # ORM broker: how often an idle cluster looks for tasks
    "timeout": 60,  # a task running longer is killed (none should come close)
    "retry": 90,  # ORM broker: a task taken but not acknowledged this long is handed out again
    "save_limit": -1,  # keep no successful task results: thousands of sweeps would only slow SQLite
    "catch_up": False,
}
