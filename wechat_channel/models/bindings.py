"""Which follower an admin user is on WeChat: the openid they bound to their account (A21, staff follow the account)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowerBinding(models.Model):
    """An admin user's openid on one account, and whether WeChat last said that openid follows the account."""

    class Subscription(models.TextChoices):
        UNKNOWN = "unknown", _("not known yet")
        SUBSCRIBED = "subscribed", _("follows")
        UNSUBSCRIBED = "unsubscribed", _("does not follow")

    class Source(models.TextChoices):
        NONE = "", _("—")
        CALLBACK = "callback", _("subscribe or unsubscribe event")
        CHECK = "check", _("user information check")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="wechat_bindings"
    )
    account = models.ForeignKey(
        "wechat_channel.WeChatAccount", verbose_name=_("account"), on_delete=models.CASCADE, related_name="bindings"
    )
    openid = models.CharField(_("openid"), max_length=64)
    bound_at = models.DateTimeField(_("bound at"))
    subscription = models.CharField(
        _("subscription"), max_length=20, choices=Subscription.choices, default=Subscription.UNKNOWN
    )
    # When WeChat told us (the event's CreateTime, or the check's time): an older event never overrides a newer check.
    subscription_at = models.DateTimeField(_("subscription known at"), null=True, blank=True)
    subscription_source = models.CharField(
        _("learned from"), max_length=20, choices=Source.choices, default=Source.NONE, blank=True
    )

    class Meta:
        ordering = ["account", "user"]
        verbose_name = _("WeChat binding")
        verbose_name_plural = _("WeChat bindings")
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="wechat_binding_one_per_user"),
            # One WeChat user is one person: an openid bound to someone else is refused.
            models.UniqueConstraint(fields=["account", "openid"], name="wechat_binding_one_per_openid"),
        ]
        permissions = [("check_followerbinding", "Can check whether bound staff still follow the account (A21)")]

    def __str__(self):
        return f"{self.user} → {self.account}: {self.masked_openid}"

    @property
    def masked_openid(self):
        """The openid as pages show it: enough to recognise, not enough to copy."""
        return mask(self.openid)


def mask(openid):
    return f"{openid[:4]}…{openid[-4:]}" if len(openid) > 10 else "…"
