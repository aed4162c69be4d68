"""Forms of the cases admin (A6.5): assign, note, extend the deadline, resolve, dismiss; and the index filters."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cms.admin.params import BoundedModelChoiceField
from cms.cases import services as cases
from cms.models import Case

NOTE_MAX_LENGTH = 5000
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _note(label, required_message):
    return forms.CharField(
        label=label,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required_message},
    )


class AssignForm(forms.Form):
    owner = BoundedModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none())

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=[user.pk for user in handlers])
        self.fields["owner"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class NoteForm(forms.Form):
    note = _note(_("Note"), _("Write the note."))


class ExtendForm(forms.Form):
    deadline = forms.DateTimeField(label=_("New deadline"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    reason = _note(_("Why the deadline is extended"), _("Say why the deadline is extended."))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if self.case is not None and deadline > cases.latest_extension(self.case):
            raise forms.ValidationError(cases.too_far())
        return deadline


class ResolveForm(forms.Form):
    note = _note(_("What was done"), _("Say what was done to resolve the case."))


class DismissForm(forms.Form):
    reason = _note(_("Why the case is dismissed"), _("Say why the case is dismissed."))


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *Case.Kind.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("Open")), ("", _("All")), *Case.Status.choices],
        required=False,
    )
    late = forms.BooleanField(label=_("Late only"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)
