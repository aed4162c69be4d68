"""Semesters, vacations and administrator overrides of the working-day calendar (A11.3)."""

from django.conf import settings
from django.contrib import admin
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


class YearArrangement(models.Model):
    """The State Council's holiday arrangement for one year as the office entered it (A11.1): holiday ranges and
    swapped working days, with the notice it comes from. Its days are the `CalendarOverride` rows linked to it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.TextField(_("source"), max_length=500)
    holidays = models.JSONField(_("holidays"), default=list)  # [{"name", "start", "end"}], ISO dates
    swapped_days = models.JSONField(_("swapped working days"), default=list)  # [{"name", "date"}]
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("year arrangement")
        verbose_name_plural = _("year arrangements")

    def __str__(self):
        return str(self.year)


class CalendarOverride(models.Model):
    """An administrator's decision about one date; wins over the official calendar. One entered by hand has no
    arrangement; one a year arrangement wrote is replaced when the arrangement is saved again."""

    date = models.DateField(_("date"), unique=True)
    day_type = models.CharField(_("day type"), max_length=10, choices=DayType.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    arrangement = models.ForeignKey(
        YearArrangement,
        verbose_name=_("year arrangement"),
        related_name="overrides",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
    )

    # An override refers to nothing an editor would look up; indexing it would cost queries per day saved.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date}: {self.get_day_type_display()}"

    @admin.display(description=_("Entered"))
    def entered(self):
        """How the override came: by a year arrangement (replaced when it is saved again) or by hand (kept)."""
        return _("by a year arrangement") if self.arrangement_id else _("by hand")
