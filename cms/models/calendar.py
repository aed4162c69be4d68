"""Semesters, vacations and administrator overrides of the working-day calendar (A11.3)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class DayType(models.TextChoices):
    WORKING = "working", _("Working day")
    REST = "rest", _("Rest day")
    HOLIDAY = "holiday", _("Public holiday")
    VACATION = "vacation", _("Vacation")


class Semester(ClusterableModel):
    """A teaching semester; its vacations are days with no fixed push window (A11.3)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    panels = [
        FieldPanel("name"),
        FieldPanel("start"),
        FieldPanel("end"),
        InlinePanel("vacations", label=_("Vacations")),
    ]

    class Meta:
        ordering = ["-start"]
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")

    def __str__(self):
        return self.name

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day cannot be before the first day.")})
        if not (self.start and self.end):
            return  # the missing date is reported at its field
        overlapping = Semester.objects.filter(start__lte=self.end, end__gte=self.start).exclude(pk=self.pk).first()
        if overlapping is not None:
            raise ValidationError(_("This semester overlaps %(other)s.") % {"other": overlapping.name})


class Vacation(Orderable):
    """Winter or summer vacation (寒暑假) attached to the semester it follows."""

    class Kind(models.TextChoices):
        WINTER = "winter", _("Winter vacation")
        SUMMER = "summer", _("Summer vacation")
        OTHER = "other", _("Other break")

    semester = ParentalKey(Semester, verbose_name=_("semester"), related_name="vacations", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WINTER)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    panels = [FieldPanel("kind"), FieldPanel("start"), FieldPanel("end")]

    class Meta(Orderable.Meta):
        verbose_name = _("vacation")
        verbose_name_plural = _("vacations")

    def __str__(self):
        return f"{self.get_kind_display()} {self.start}–{self.end}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The last day cannot be before the first day.")})


class CalendarOverride(models.Model):
    """An administrator's decision about one date; wins over the official calendar."""

    date = models.DateField(_("date"), unique=True)
    day_type = models.CharField(_("day type"), max_length=10, choices=DayType.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date}: {self.get_day_type_display()}"
