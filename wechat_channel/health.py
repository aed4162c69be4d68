"""What the site's health endpoint reports of the channel: when WeChat last reached each active account's callback.

A callback is stored only once its signature (and, in safe mode, its encryption) checked out, so the newest stored
event of an account is its last successful callback. Read in one query; nothing of an account but its slug."""

from django.db.models import Max

from wechat_channel.models import WeChatAccount


def last_callbacks():
    """[(account slug, time of its newest accepted callback or None)] of the active accounts, by slug."""
    accounts = WeChatAccount.objects.filter(is_active=True).annotate(last=Max("events__received_at"))
    return list(accounts.order_by("slug").values_list("slug", "last"))
