"""Menu-change applications (A6.4 and its attachment form) and the opinions given on them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models.numbering import save_with_next_number


class MenuChangeApplication(models.Model):
    """One 微信公众号板块设计更改申请表: the proposed menu, its three approvals, and the result of applying it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting the department head")
        HEAD_APPROVED = "head_approved", _("Awaiting the supervising leader")
        LEADER_APPROVED = "leader_approved", _("Awaiting the college leader")
        APPROVED = "approved", _("Approved, awaiting application")
        REJECTED = "rejected", _("Rejected")
        APPLIED = "applied", _("Applied to WeChat")
        APPLY_FAILED = "apply_failed", _("WeChat refused the menu")

    # Assigned by the system on creation (the form says 申请人不用填); unique within its year's sequence.
    number = models.CharField(_("application number"), max_length=20, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    date = models.DateField(_("application date"), default=timezone.localdate)
    department = models.ForeignKey(
        "cms.Department", on_delete=models.PROTECT, related_name="menu_changes", verbose_name=_("department")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="menu_changes", verbose_name=_("applicant")
    )
    account = models.ForeignKey(
        "wechat_channel.WeChatAccount",
        on_delete=models.PROTECT,
        related_name="menu_changes",
        verbose_name=_("WeChat account"),
    )
    menu = models.JSONField(_("proposed menu"), default=dict, blank=True)
    reason = models.TextField(_("reason for the change"))
    remarks = models.TextField(_("remarks"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # What happened when a channel administrator applied it with menu/create.
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    apply_errcode = models.IntegerField(_("WeChat errcode"), null=True, blank=True)
    apply_message = models.TextField(_("WeChat result"), blank=True)

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("menu change application")
        verbose_name_plural = _("menu change applications")
        permissions = [("apply_menuchangeapplication", "Can apply an approved menu change to WeChat")]
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="unique_menu_change_sequence")]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self.number:
            return super().save(*args, **kwargs)
        self.year = self.date.year if self.date else timezone.localdate().year
        return save_with_next_number(
            self,
            lambda: super(MenuChangeApplication, self).save(*args, **kwargs),
            lambda: MenuChangeApplication.objects.filter(year=self.year),
            "CD",
        )


class MenuChangeOpinion(models.Model):
    """One approver's opinion at one stage of an application: who, when, approve or reject, and why."""

    class Stage(models.TextChoices):
        HEAD = "head", _("Department head's opinion")
        LEADER = "leader", _("Supervising leader's opinion")
        COLLEGE = "college", _("College leader's approval")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")

    application = models.ForeignKey(
        MenuChangeApplication, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("application")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    opinion = models.TextField(_("opinion"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("menu change opinion")
        verbose_name_plural = _("menu change opinions")
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_opinion_per_stage")]

    def __str__(self):
        return f"{self.application} · {self.get_stage_display()}"
