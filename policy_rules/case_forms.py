"""Forms around the gates: administrators' test cases, the dry-run period, the activation confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import coverage, labels
from .bounds import in_range, out_of_range
from .document import Category
from .params import parse_number
from .texts import problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
YES_NO = [("yes", _("Allowed")), ("no", _("Refused"))]


class SlotCaseForm(forms.Form):
    """A push the administrator has in mind, and whether it must be allowed (A11, A16)."""

    date = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Time"), widget=TIME)
    breaking = forms.BooleanField(label=_("Breaking news"), required=False)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", "—"), *[(c.value, labels.CATEGORIES[c.value]) for c in Category]],
    )
    lead_hours = forms.FloatField(
        label=_("Hours since reaching the office"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Empty: not known yet"),
    )
    # Selects start at their first option, so a blank extra row a browser submits counts as unchanged.
    allowed = forms.ChoiceField(label=_("Expected"), choices=YES_NO, initial="yes")

    def case(self):
        data = self.cleaned_data
        return {
            "kind": "slot",
            "date": data["date"].isoformat(),
            "time": f"{data['time']:%H:%M}",
            "breaking": data["breaking"],
            "category": data["category"] or None,
            "lead_hours": data["lead_hours"],
            "allowed": data["allowed"] == "yes",
        }


class ErrorsCaseForm(forms.Form):
    """A department's error count this semester and the level it must reach (A20)."""

    errors = forms.IntegerField(label=_("Errors this semester"), min_value=0)
    level = forms.ChoiceField(label=_("Expected level"), choices=list(labels.LEVELS.items()), initial="none")

    def case(self):
        return {"kind": "department_errors", "errors": self.cleaned_data["errors"], "level": self.cleaned_data["level"]}


SlotCaseFormSet = forms.formset_factory(SlotCaseForm, extra=2, can_delete=True, max_num=50)
ErrorsCaseFormSet = forms.formset_factory(ErrorsCaseForm, extra=2, can_delete=True, max_num=50)


class ValidationCases:
    """Both formsets of administrator cases, prefilled with the cases of the last validation."""

    def __init__(self, data=None, previous=()):
        slots = [_slot_initial(c) for c in previous if c.get("kind") == "slot"]
        errors = [c for c in previous if c.get("kind") == "department_errors"]
        self.slots = SlotCaseFormSet(data, prefix="slot-cases", initial=slots)
        self.errors = ErrorsCaseFormSet(data, prefix="error-cases", initial=errors)

    def is_valid(self):
        return all([self.slots.is_valid(), self.errors.is_valid()])

    def cases(self):
        return [
            form.case()
            for formset in (self.slots, self.errors)
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def add_case_errors(self, errors):
        """Put `cases.N.…` errors (from `gates.parse_cases`) on the formset of the N-th kept case."""
        kept = [
            form
            for formset in (self.slots, self.errors)
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for error in errors:
            parts = error["path"].split(".")
            index = parse_number(parts[1]) if len(parts) > 1 else None
            field = parts[3] if len(parts) > 3 else None
            if index is not None and index < len(kept):
                form = kept[index]
                form.add_error(field if field in form.fields else None, problem(error))


def _slot_initial(case):
    return {**case, "allowed": "yes" if case.get("allowed") else "no", "category": case.get("category") or ""}


class PeriodForm(forms.Form):
    """The past period a dry run replays (DURABLE_RULES.md §4.6)."""

    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until (included)"), widget=DATE)

    def __init__(self, *args, **kwargs):
        self.default = coverage.default_period()
        kwargs.setdefault("initial", {"start": self.default["start"], "end": self.default["end"]})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and not in_range(data[name]):
                self.add_error(name, out_of_range(data.pop(name).isoformat()))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data


class ActivationForm(forms.Form):
    """The version the administrator saw active; another activation in between makes this one fail.

    With `warnings` (contradictions.py), the administrator ticks that they read them, or activation is refused.
    """

    expected_active = forms.IntegerField(required=False, widget=forms.HiddenInput)
    acknowledge_warnings = forms.BooleanField(
        label=_("I have read the warnings above and activate this version all the same"), required=False
    )

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not warnings:
            del self.fields["acknowledge_warnings"]
