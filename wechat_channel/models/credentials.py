"""Who holds each WeChat account's credentials (A6.6.1) and when they were rotated (A6.6.2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CredentialRotation(models.Model):
    """A recorded rotation of an account's credentials: it clears the releases before it (A6.6.2)."""

    account = models.ForeignKey(
        "wechat_channel.WeChatAccount",
        on_delete=models.CASCADE,
        related_name="credential_rotations",
        verbose_name=_("WeChat account"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("credential rotation")
        verbose_name_plural = _("credential rotations")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.account} @ {self.recorded_at:%Y-%m-%d %H:%M}"


class CredentialHolder(models.Model):
    """One person's holding of one account's credentials; kept as history once it ends."""

    class EndReason(models.TextChoices):
        RELEASED = "released", _("left the role")
        DEACTIVATED = "deactivated", _("account deactivated")
        REMOVED = "removed", _("user removed")

    account = models.ForeignKey(
        "wechat_channel.WeChatAccount",
        on_delete=models.CASCADE,
        related_name="credential_holders",
        verbose_name=_("WeChat account"),
    )
    # SET_NULL and a copied name: removing a user must not erase the release the alarm is about.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="credential_holdings",
        verbose_name=_("holder"),
    )
    holder_name = models.CharField(_("holder name"), max_length=150)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )
    end_reason = models.CharField(_("why it ended"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("note"), max_length=200, blank=True)
    # The rotation that answered this release; an ended holding without one is the alarm (A6.6.2).
    rotation = models.ForeignKey(
        CredentialRotation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="releases",
        verbose_name=_("rotation"),
    )

    class Meta:
        verbose_name = _("credential holder")
        verbose_name_plural = _("credential holders")
        ordering = ["-ended_at", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "user"], condition=Q(ended_at__isnull=True), name="one_current_holding_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.account}"

    @property
    def is_current(self):
        return self.ended_at is None
