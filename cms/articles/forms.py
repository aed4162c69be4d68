"""The article editor's form: who may declare which provider (A6.1)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from cms.people.roles import is_office


class ArticlePageForm(WagtailAdminPageForm):
    """Only the office provides "office" material, which skips the department stages (A6.1).

    Anyone else's new article starts as department material of their own department.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if self.instance._state.adding and user is not None and not is_office(user):
            self.initial["provider_kind"] = "department"
            person = getattr(user, "person", None)
            if person is not None and person.department_id:
                self.initial["department"] = person.department_id
                self.initial["contributor"] = person.pk

    def clean_provider_kind(self):
        provider_kind = self.cleaned_data.get("provider_kind")
        if provider_kind == "office" and not is_office(self.for_user):
            raise forms.ValidationError(
                _("Only the office provides office articles; choose your department or your own name (A6.1).")
            )
        return provider_kind
