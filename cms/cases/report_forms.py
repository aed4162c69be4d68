"""The public report form (A6.5.2): what is reported, the text, an optional link and optional contact.

Every check explains itself at the field it concerns; what was typed is shown again.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.cases.services import TEXT_MAX_LENGTH
from cms.models import Case


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What are you reporting?"),
        choices=Case.Category.choices,
        error_messages={
            "required": _("Choose what you are reporting."),
            "invalid_choice": _("Choose one of the listed kinds."),
        },
    )
    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Describe what you are reporting: where you saw it, when, and why it is a problem."),
        error_messages={
            "required": _("Describe what you are reporting."),
            "max_length": _("The text may be at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
    )
    link = forms.URLField(
        label=_("Link to the article"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("Optional: the address of the article or page concerned."),
        error_messages={"invalid": _("Enter a full web address, such as https://mp.weixin.qq.com/s/…")},
    )
    name = forms.CharField(label=_("Your name"), required=False, max_length=100, help_text=_("Optional."))
    contact = forms.CharField(
        label=_("How to reach you"),
        required=False,
        max_length=200,
        help_text=_("Optional: a telephone number or e-mail address, seen only by those who handle reports."),
    )
    # A field people never see: a form that fills it in is a robot's.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""
