"""Decisions the policy made about people and departments, each naming its policy version."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models.articles import ArticlePage
from cms.models.calendar import Semester
from cms.models.departments import Department, Person


class PointAward(models.Model):
    """Points a student earned for an accepted submission in their own name (A17.1)."""

    person = models.ForeignKey(Person, verbose_name=_("student"), on_delete=models.PROTECT, related_name="awards")
    page = models.OneToOneField(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="point_award"
    )
    semester = models.ForeignKey(
        Semester, verbose_name=_("semester"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveIntegerField(_("points"))
    policy_version = models.CharField(_("policy version"), max_length=80)
    awarded_at = models.DateTimeField(_("awarded at"), default=timezone.now)

    class Meta:
        ordering = ["-awarded_at"]
        verbose_name = _("point award")
        verbose_name_plural = _("point awards")

    def __str__(self):
        return f"{self.person.name} +{self.points} ({self.page})"


class DisciplineNotice(models.Model):
    """A department crossed an error threshold in a semester (A20): sent once per level."""

    class Level(models.TextChoices):
        WARNING = "warning", _("Warning to the department head")
        ESCALATION = "escalation", _("Escalation to the supervising leader")

    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="discipline_notices"
    )
    semester = models.ForeignKey(
        Semester, verbose_name=_("semester"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    errors = models.PositiveIntegerField(_("errors counted"))
    policy_version = models.CharField(_("policy version"), max_length=80)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("discipline notice")
        verbose_name_plural = _("discipline notices")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "semester", "level"], name="one_discipline_notice_per_level_per_semester"
            )
        ]

    def __str__(self):
        return f"{self.department}: {self.get_level_display()}"
