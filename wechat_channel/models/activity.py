"""What followers do that reaches the site, kept for the authorities (A14), and the audit of every export."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FollowerActivity(models.Model):
    """One thing a follower did (subscribe, menu click, message …), with their openid and WeChat's time."""

    class Kind(models.TextChoices):
        SUBSCRIBE = "subscribe", _("subscribed")
        UNSUBSCRIBE = "unsubscribe", _("unsubscribed")
        MENU_CLICK = "menu_click", _("menu click")
        MENU_VIEW = "menu_view", _("menu link opened")
        MESSAGE = "message", _("message")
        # In context: the site's catalogue reads a bare "comment" as a reviewer's 意见, and the site's wins.
        COMMENT = "comment", pgettext_lazy("WeChat", "comment")
        OTHER = "other", _("other")

    # PROTECT: an account with records cannot be deleted and take them along unseen (A14).
    account = models.ForeignKey(
        "wechat_channel.WeChatAccount", verbose_name=_("account"), on_delete=models.PROTECT, related_name="activities"
    )
    openid = models.CharField(_("openid"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    occurred_at = models.DateTimeField(_("time"))
    # One record per stored callback, so processing it twice records it once.
    callback_event = models.OneToOneField(
        "wechat_channel.CallbackEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="activity"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("follower activity")
        verbose_name_plural = _("follower activity")
        indexes = [
            models.Index(fields=["account", "openid", "occurred_at"], name="wechat_activity_openid"),
            models.Index(fields=["occurred_at"], name="wechat_activity_time"),
        ]
        permissions = [("export_followeractivity", "Can export follower activity records (A14)")]

    def __str__(self):
        return f"{self.openid} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class ActivityExport(models.Model):
    """One export of follower activity: who took which records out, and when (A14)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    # PROTECT: the audit keeps naming who exported, whatever happens to the user or account later.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        "wechat_channel.WeChatAccount",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    openid = models.CharField(_("openid"), max_length=64, blank=True)
    # Who asked for the records and their reference (A14: given to the authorities on their request). Blank only on
    # exports made before these were asked for.
    authority = models.CharField(_("requesting authority"), max_length=200, blank=True)
    reference = models.CharField(_("case reference"), max_length=100, blank=True)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    row_count = models.PositiveIntegerField(_("rows"))
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity export")
        verbose_name_plural = _("activity exports")

    def __str__(self):
        return f"{self.user} {self.format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def first_day(self):
        return timezone.localtime(self.start).date()

    @property
    def last_day(self):
        """The last day the export covers, as the requester entered it: `end` is the midnight after it."""
        return (timezone.localtime(self.end) - datetime.timedelta(microseconds=1)).date()


class RetentionRun(models.Model):
    """Records removed because they outlived the policy's retention: how many, which span, under which rule."""

    account = models.ForeignKey("wechat_channel.WeChatAccount", on_delete=models.PROTECT, related_name="retention_runs")
    ran_at = models.DateTimeField(db_index=True)
    retention_days = models.PositiveIntegerField()
    policy_version = models.CharField(max_length=100, blank=True)  # e.g. default@v3
    cutoff = models.DateTimeField()
    deleted = models.PositiveIntegerField()
    oldest = models.DateTimeField(null=True, blank=True)
    newest = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"{self.account_id}: {self.deleted} removed before {self.cutoff:%Y-%m-%d}"
