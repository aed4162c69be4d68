"""The user's own name in the admin (Account → Name and email).

Wagtail's name form requires a first and a last name, so a user whose name is one field — most Chinese names
as people write them, 王晓明 — could not save any preference. The name is asked as one full name (kept in
`first_name`, so Django's get_full_name() shows it whole); a surname stays possible but optional.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import NameEmailSettingsPanel


class FullNameEmailForm(NameEmailForm):
    """Wagtail's name and e-mail form with one required full name and an optional surname."""

    first_name = forms.CharField(
        required=True,
        max_length=150,
        label=_("Full name"),
        help_text=_("As colleagues know you, e.g. 王晓明."),
    )
    last_name = forms.CharField(
        required=False,
        max_length=150,
        label=_("Surname (optional)"),
        help_text=_("Only if you write your name as given name, then surname."),
    )


def use_full_name_form():
    """Give Wagtail's Name and email panel the full-name form (called once from CmsConfig.ready)."""
    NameEmailSettingsPanel.form_class = FullNameEmailForm
