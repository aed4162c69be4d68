"""Primary keys read from a request: ASCII digits that fit the database's 64-bit integer, nothing else.

`str.isdigit()` is true for "²", which `int()` refuses, and SQLite overflows on an id past 2**63 - 1,
so the channel's admin reads ids only through `parse_id`, `posted_id` and the bounded choice fields.
"""

import re

from django import forms
from django.core.exceptions import BadRequest
from django.db import models

PRIMARY_KEY = re.compile(r"[0-9]{1,18}")
LARGEST = 2**63 - 1


def parse_id(value):
    """`value` as a primary key, or None when it is not one."""
    value = value if isinstance(value, str) else ""
    return int(value) if PRIMARY_KEY.fullmatch(value) else None


def posted_id(request, field):
    """The primary key a form posts in `field`; 0 when left empty, a 400 when not a number."""
    value = request.POST.get(field, "") or "0"
    pk = parse_id(value)
    if pk is None:
        raise BadRequest(f"{field} must be a number")
    return pk


def out_of_range(field, value):
    """Whether `value` is a number the choice field's integer key column cannot hold."""
    meta = field.queryset.model._meta
    if not isinstance(meta.get_field(field.to_field_name) if field.to_field_name else meta.pk, models.IntegerField):
        return False
    try:
        return not -LARGEST - 1 <= int(str(value).strip()) <= LARGEST
    except ValueError:
        return False


class BoundedModelChoiceField(forms.ModelChoiceField):
    """A model choice that answers "not one of the choices" for an id the database cannot hold."""

    def to_python(self, value):
        if value not in self.empty_values and out_of_range(self, value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Model choices that answer "not a valid value" for an id the database cannot hold."""

    def _check_values(self, value):
        for pk in value:
            if out_of_range(self, pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
