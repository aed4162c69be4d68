"""The year arrangement form: the source, a row per holiday range and a row per swapped working day (A11.1)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateInput

from cms.calendar.arrangements import MAX_NAME, MAX_ROWS, MAX_SOURCE, Arrangement, HolidayRange, SwappedDay, check


class SourceForm(forms.Form):
    source = forms.CharField(
        label=_("Source"),
        max_length=MAX_SOURCE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The notice it comes from: its title and number, or its address."),
    )


class YearDateInput(AdminDateInput):
    """Wagtail's date picker opening, while empty, on January of the arrangement's year, not on today's month (in
    December the 2027 rows would otherwise start every picker in December 2026)."""

    def __init__(self, year, attrs=None):
        super().__init__(attrs)
        self.year = year

    def get_config(self):
        return {**super().get_config(), "defaultDate": f"{self.year}/01/01"}  # the picker's own date format


class RowForm(forms.Form):
    """A row that counts when filled in: an empty row is left out (so clearing a saved row removes it), a row
    filled in part names each missing field."""

    needed = ()

    def __init__(self, *args, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if year and isinstance(field, forms.DateField):
                field.widget = YearDateInput(year)

    @property
    def is_filled(self):
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.fields)

    def clean(self):
        cleaned = super().clean()
        if self.is_filled:
            for name in self.needed:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned


class HolidayForm(RowForm):
    name = forms.CharField(label=_("Holiday"), max_length=MAX_NAME, required=False)
    start = forms.DateField(label=_("First day off"), widget=AdminDateInput, required=False)
    end = forms.DateField(label=_("Last day off"), widget=AdminDateInput, required=False)
    needed = ("name", "start", "end")

    def row(self):
        return HolidayRange(self.cleaned_data["name"], self.cleaned_data["start"], self.cleaned_data["end"])


class SwappedDayForm(RowForm):
    date = forms.DateField(label=_("Date"), widget=AdminDateInput, required=False)
    name = forms.CharField(label=_("For the holiday"), max_length=MAX_NAME, required=False)
    needed = ("date",)

    def row(self):
        return SwappedDay(self.cleaned_data["date"], self.cleaned_data["name"])


def _formset(form, rows):
    # absolute_max bounds what a forged TOTAL_FORMS can make the server build; validate_max says so in words.
    return forms.formset_factory(form, extra=rows, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True)


class ArrangementEditor:
    """The source form and the two formsets as one form for the year `year`: valid when each is and the
    arrangement they make passes `arrangements.check`, whose problems are shown at their rows."""

    def __init__(self, year, data=None, initial=None):
        self.year = year
        initial = initial or Arrangement(year=year, source="")
        holidays = [{"name": h.name, "start": h.start, "end": h.end} for h in initial.holidays]
        swapped = [{"date": s.date, "name": s.name} for s in initial.swapped_days]
        self.source = SourceForm(data, initial={"source": initial.source})
        rows = {"data": data, "form_kwargs": {"year": year}}
        self.holidays = _formset(HolidayForm, max(8 - len(holidays), 2))(**rows, initial=holidays, prefix="holidays")
        self.swapped_days = _formset(SwappedDayForm, max(8 - len(swapped), 2))(
            **rows, initial=swapped, prefix="swapped"
        )
        self.arrangement = None

    def is_valid(self):
        if not all([self.source.is_valid(), self.holidays.is_valid(), self.swapped_days.is_valid()]):
            return False
        holiday_forms = [f for f in self.holidays.forms if f.is_filled]
        swapped_forms = [f for f in self.swapped_days.forms if f.is_filled]
        arrangement = Arrangement(
            year=self.year,
            source=self.source.cleaned_data["source"],
            holidays=tuple(f.row() for f in holiday_forms),
            swapped_days=tuple(f.row() for f in swapped_forms),
        )
        problems = check(arrangement)
        for problem in problems:
            rows = {"holidays": holiday_forms, "swapped_days": swapped_forms}.get(problem.field)
            if problem.field == "source":
                self.source.add_error("source", problem.message)
            elif rows is not None and problem.index is not None:
                rows[problem.index].add_error(None, problem.message)
            else:
                self.source.add_error(None, problem.message)
        if problems:
            return False
        self.arrangement = arrangement
        return True

    @property
    def has_errors(self):
        return bool(
            self.source.errors
            or self.holidays.non_form_errors()
            or self.swapped_days.non_form_errors()
            or any(self.holidays.errors)
            or any(self.swapped_days.errors)
        )
