"""The policy's edit form as a browser submits it: the admin's URLs and the form's data as shown, with changes."""

import datetime

from django import forms as django_forms
from django.urls import reverse

from policy_rules.forms import DocumentEditor


def url(name, *args):
    return reverse(f"policy_admin:{name}", args=args)


def _value(bound):
    value = bound.value()
    field = bound.field
    if isinstance(field, django_forms.ChoiceField) and not isinstance(field, django_forms.MultipleChoiceField):
        options = [str(option) for option, _label in field.choices]
        return str(value) if str(value) in options else options[0]  # a select always submits an option
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


def form_data(forms):
    """What a browser submits for these forms (and formsets) as they are shown."""
    data = {}
    for form in forms:
        if isinstance(form, django_forms.BaseFormSet):
            data.update(form_data([form.management_form, *form.forms]))
            continue
        for bound in form:
            value = _value(bound)
            if isinstance(bound.field, django_forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = value
    return data


def editor_post(version, **changes):
    """The edit form of `version` as shown, with `section-field` values changed."""
    editor = DocumentEditor(version.document, change_note="admin test")
    return {**form_data(editor.forms()), **{name.replace("__", "-"): value for name, value in changes.items()}}
