"""Cases (A6.5): reports (举报, A6.5.2) and system errors of the channel (A6.5.1), each with its history."""

from django.conf import settings
from django.db import IntegrityError, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.models.numbering import save_with_next_number

OPEN_STATUSES = ("new", "in_progress")


class Case(models.Model):
    """One report or system error: who handles it, by when, and how it ended."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report (举报)")
        SYSTEM_ERROR = "system_error", _("System error")

    class Source(models.TextChoices):
        WECHAT = "wechat", _("WeChat message")
        SITE = "site", _("Form on the site")
        CHANNEL = "channel", _("WeChat channel")

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("case status", "New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    class Category(models.TextChoices):
        HARMFUL = "harmful", _("Illegal or harmful content")
        FALSE = "false", _("False information")
        COMMENT = "comment", _("A comment")
        ACCOUNT = "account", _("Account security")
        OTHER = "other", _("Other")

    PREFIXES = {Kind.REPORT: "JB", Kind.SYSTEM_ERROR: "XT"}

    # Assigned by the system, one sequence per kind and year: JB-2026-0001, XT-2026-0001.
    number = models.CharField(_("case number"), max_length=20, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    category = models.CharField(_("what is reported"), max_length=20, choices=Category.choices, blank=True)
    summary = models.CharField(_("summary"), max_length=200)
    text = models.TextField(_("full text"))
    link = models.URLField(_("link"), max_length=1000, blank=True)
    # Private: shown only to those who may handle the case.
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_contact = models.CharField(_("reporter's contact"), max_length=200, blank=True)
    reporter_openid = models.CharField(_("reporter's openid"), max_length=64, blank=True)
    account = models.ForeignKey(
        "wechat_channel.WeChatAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("WeChat account"),
    )
    push_id = models.PositiveBigIntegerField(_("push"), null=True, blank=True)
    # One open case per key: a failing push (`push:<id>`) or a callback message (`callback:<id>`, for ever).
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("owner"),
    )
    deadline = models.DateTimeField(_("deadline"))
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    escalation_count = models.PositiveIntegerField(_("escalations"), default=0)
    created_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution note or reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        default_permissions = ()
        permissions = [
            ("view_report", "Can see reports"),
            ("handle_report", "Can handle reports"),
            ("view_systemerror", "Can see system errors"),
            ("handle_systemerror", "Can handle system errors"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="unique_case_sequence"),
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key="") & (Q(kind="report") | Q(status__in=OPEN_STATUSES)),
                name="one_open_case_per_key",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="case_status_deadline")]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self.number:
            return super().save(*args, **kwargs)
        self.year = timezone.localtime(self.created_at).year
        return save_with_next_number(
            self,
            lambda: super(Case, self).save(*args, **kwargs),
            lambda: Case.objects.filter(kind=self.kind, year=self.year),
            self.PREFIXES[self.kind],
            collided=self._raise_if_opened_meanwhile,
        )

    def _raise_if_opened_meanwhile(self):
        """The same report or failing push, opened meanwhile: the caller adds to that case."""
        duplicate = self.dedupe_key and Case.objects.filter(dedupe_key=self.dedupe_key)
        if duplicate and duplicate.filter(Q(kind="report") | Q(status__in=OPEN_STATUSES)).exists():
            raise IntegrityError(f"case {self.dedupe_key} was opened meanwhile")

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_late(self, now=None):
        return self.is_open and self.deadline <= (now or timezone.now())


class CaseEvent(models.Model):
    """One line of a case's history: opened, assigned, started, note, deadline extended, escalated, closed."""

    class Action(models.TextChoices):
        OPENED = "opened", _("Opened")
        REPEATED = "repeated", _("Happened again")
        ASSIGNED = "assigned", _("Assigned")
        STARTED = "started", _("Work started")
        NOTE = "note", _("Note")
        EXTENDED = "extended", _("Deadline extended")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Resolved")
        DISMISSED = "dismissed", _("Dismissed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )  # None: the system
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("case history line")
        verbose_name_plural = _("case history")
        default_permissions = ()

    def __str__(self):
        return f"{self.case} · {self.get_action_display()}"
