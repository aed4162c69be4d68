"""Primary keys read from a request: ASCII digits that fit the database's 64-bit integer, nothing else.

`str.isdigit()` is true for "²", which `int()` refuses, and SQLite overflows on an id past 2**63 - 1,
so the site reads ids only through `parse_id` and the bounded choice fields (the twin of
`wechat_channel.params`, which a plugin keeps for itself). The site's ModelViewSets build their forms with
`bounded_formfield`, so a department's heads or a person's user cannot be an id past the integer.
"""

import re

from django import forms
from django.db import models

PRIMARY_KEY = re.compile(r"[0-9]{1,18}")
LARGEST = 2**63 - 1


def parse_id(value):
    """`value` as a primary key, or None when it is not one."""
    value = value if isinstance(value, str) else ""
    return int(value) if PRIMARY_KEY.fullmatch(value) else None


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


def bounded_formfield(db_field, **kwargs):
    """`db_field`'s form field, a relation's choices through the bounded fields (for a ModelViewSet's forms)."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    return db_field.formfield(**kwargs)
