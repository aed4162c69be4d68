"""Primary keys read from a request, and model choice fields bounded to what the database can hold.

The parser and the bounded fields are the channel's (`wechat_channel.params`): one rule for ASCII digits
that fit a 64-bit integer, wherever an id comes from. The site adds `bounded_formfield`, with which its
ModelViewSets build their forms, so a department's heads or a person's user cannot be an id past the integer.
"""

from django.db import models

from wechat_channel.params import BoundedModelChoiceField, BoundedModelMultipleChoiceField, parse_id

__all__ = ["BoundedModelChoiceField", "BoundedModelMultipleChoiceField", "bounded_formfield", "parse_id"]


def bounded_formfield(db_field, **kwargs):
    """`db_field`'s form field, a relation's choices through the bounded fields (for a ModelViewSet's forms)."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", BoundedModelChoiceField)
    return db_field.formfield(**kwargs)
