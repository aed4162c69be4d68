"""Policy versions (append-only) and their audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .document import PolicyDocument, document_hash


class PolicyVersion(models.Model):
    """One version of a scope's policy: draft → validated → active → retired.

    Only drafts change; a validated, active or retired version is never edited
    again — an edit makes a new draft whose parent it is.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        VALIDATED = "validated", _("Validated")
        ACTIVE = "active", pgettext_lazy("policy version", "Active")
        RETIRED = "retired", _("Retired")

    scope = models.CharField(_("scope"), max_length=50, default="default")
    number = models.PositiveIntegerField(_("version"))
    parent = models.ForeignKey(
        "self", verbose_name=_("based on"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    document = models.JSONField(pgettext_lazy("policy", "document"))
    document_sha256 = models.CharField(_("document hash"), max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    change_note = models.TextField(_("change note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    validation_report = models.JSONField(_("validation report"), default=dict, blank=True)

    class Meta:
        ordering = ["scope", "-number"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.UniqueConstraint(fields=["scope", "number"], name="policy_version_number_unique"),
            models.UniqueConstraint(
                fields=["scope"], condition=Q(status="active"), name="policy_one_active_version_per_scope"
            ),
        ]

    def __str__(self):
        return f"{self.scope} v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.document_sha256 = document_hash(self.document)
        super().save(*args, **kwargs)

    @property
    def label(self):
        """How decisions name the version that made them: `default@v3`."""
        return f"{self.scope}@v{self.number}"

    @property
    def ruleset_name(self):
        return f"policy_{self.document_sha256[:16]}"

    def parsed(self):
        """The typed document; raises pydantic.ValidationError if the stored data is invalid."""
        return PolicyDocument.model_validate(self.document)

    @classmethod
    def active_for(cls, scope="default"):
        return cls.objects.filter(scope=scope, status=cls.Status.ACTIVE).first()


class PolicyEvent(models.Model):
    """Who did what to which version, and when (append-only)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")
        DRY_RUN = "dry_run", _("Dry run")
        ACTIVATED = "activated", _("Activated")
        RETIRED = "retired", _("Retired")
        ROLLED_BACK = "rolled_back", _("Rolled back")
        IMPORTED = "imported", _("Imported")

    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("policy event")
        verbose_name_plural = _("policy events")

    def __str__(self):
        return f"{self.version}: {self.get_action_display()}"


class PeriodOutcome(models.Model):
    """A period's outcomes under the scope's active version, computed by the worker; the reports only read these.

    `report` holds what a `PeriodReport` is built from (docs/facts-document.md's outcomes and the policy's numbers
    beside them); `glance` the same with the contributors cut to the dashboard's top ten, so every editor's start
    page decodes a few kilobytes whatever the number of contributors. `problem` says why nothing could be counted.
    """

    scope = models.CharField(_("scope"), max_length=50)
    period_key = models.CharField(_("period"), max_length=100)
    start = models.DateField(pgettext_lazy("period", "start"))
    end = models.DateField(pgettext_lazy("period", "end"))
    through = models.DateField(_("counted through"))
    version = models.ForeignKey(
        PolicyVersion, verbose_name=_("policy version"), on_delete=models.CASCADE, related_name="+"
    )
    document_sha256 = models.CharField(_("document hash"), max_length=64)
    report = models.JSONField(_("report"), null=True, blank=True)
    glance = models.JSONField(_("dashboard summary"), null=True, blank=True)
    problem = models.TextField(_("problem"), blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("period outcome")
        verbose_name_plural = _("period outcomes")
        constraints = [
            models.UniqueConstraint(fields=["scope", "period_key"], name="policy_period_outcome_unique"),
        ]

    def __str__(self):
        return f"{self.scope} {self.period_key} ({self.through})"


class OutcomeRecomputation(models.Model):
    """A scope's pending recomputation of its stored outcomes: one a burst of changes, however many.

    `requested_at` is set by the first change after the worker last started (the one that queues the task) and
    cleared when it starts; `since` is the earliest day the changes reach (None: every period).
    """

    scope = models.CharField(_("scope"), max_length=50, unique=True)
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    since = models.DateField(_("changes since"), null=True, blank=True)
    started_at = models.DateTimeField(pgettext_lazy("recomputation", "started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outcome recomputation")
        verbose_name_plural = _("outcome recomputations")

    def __str__(self):
        return self.scope
