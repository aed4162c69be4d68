"""Admin pages of the working-day calendar: the year arrangements and the overrides the official calendar now
repeats; entering one year's arrangement, previewed as a year calendar before it is saved (A11.1)."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cms.admin.views import FeatureView
from cms.calendar import arrangements
from cms.calendar import services as calendar
from cms.calendar.forms import ArrangementEditor
from cms.models import YearArrangement

WEEKDAYS = [
    pgettext_lazy("weekday, one character", "Mon"),
    pgettext_lazy("weekday, one character", "Tue"),
    pgettext_lazy("weekday, one character", "Wed"),
    pgettext_lazy("weekday, one character", "Thu"),
    pgettext_lazy("weekday, one character", "Fri"),
    pgettext_lazy("weekday, one character", "Sat"),
    pgettext_lazy("weekday, one character", "Sun"),
]
ARRANGE_PERMISSIONS = ("cms.add_calendaroverride", "cms.change_calendaroverride", "cms.delete_calendaroverride")


def can_view(user):
    return user.is_active and user.has_perm("cms.view_calendaroverride")


def can_arrange(user):
    return user.is_active and user.has_perms(ARRANGE_PERMISSIONS)


class CalendarView(FeatureView):
    header_icon = "calendar-alt"
    page_title = section_label = gettext_lazy("Working-day calendar")
    index_url_name = "calendar_admin:index"
    may_view = staticmethod(can_view)


class IndexView(CalendarView):
    template_name = "cms/calendar/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_year = timezone.localdate().year
        context.update(
            arrangements=YearArrangement.objects.select_related("saved_by").annotate(days=Count("overrides")),
            missing=calendar.missing_arrangements(),
            duplicates=calendar.duplicate_overrides(),
            years=[this_year, this_year + 1],
            covered={year: calendar.is_covered(year) for year in (this_year, this_year + 1)},
            can_arrange=can_arrange(self.request.user),
        )
        return context


class ArrangeView(CalendarView):
    """One year's arrangement: "Preview" shows the year calendar and offers "Save"; "Save" checks again and saves."""

    template_name = "cms/calendar/arrange.html"
    may_view = staticmethod(can_arrange)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["year"] not in arrangements.YEARS:
            raise Http404
        self.year = kwargs["year"]
        self.saved = YearArrangement.objects.filter(year=self.year).first()

    def get_page_subtitle(self):
        return _("Arrangement of %(year)s") % {"year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = arrangements.load(self.saved) if self.saved else None
        context.setdefault("editor", ArrangementEditor(self.year, initial=initial))
        context.update(year=self.year, saved=self.saved, weekdays=WEEKDAYS, covered=calendar.is_covered(self.year))
        return context

    def post(self, request, *args, **kwargs):
        editor = ArrangementEditor(self.year, data=request.POST)
        if not editor.is_valid():
            messages.error(request, _("The arrangement was not saved: correct the rows marked below."))
            return self.render_to_response(self.get_context_data(editor=editor))
        if "save" not in request.POST:
            preview = arrangements.preview(editor.arrangement)
            return self.render_to_response(self.get_context_data(editor=editor, preview=preview))
        arrangements.save(editor.arrangement, user=request.user)
        messages.success(request, _("The arrangement of %(year)s is saved.") % {"year": self.year})
        return redirect("calendar_admin:index")
