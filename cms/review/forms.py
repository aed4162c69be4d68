"""Forms behind the review actions' modals."""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from cms.review import wechat_check
from cms.review.checklist import CHECKLIST, CHECKLIST_KEYS
from cms.review.reasons import SendBackReason

ARTICLE = "cms.ArticlePage"


class SendBackForm(forms.Form):
    """Request changes: a reason category and a comment are both required (A6.2.5)."""

    # No default: "content does not match the facts" and "typos" record an error against the department
    # (A20), so the reviewer picks a reason on purpose.
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", _("Choose a reason…")), *SendBackReason.choices],
        error_messages={"required": _("Choose the reason for requesting changes.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Tell the provider what to change; they receive it by e-mail."),
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say what needs to change."))
        return comment


class OfficeApprovalForm(forms.Form):
    """Office approval: every A6.2 item confirmed, and the credits and repost source filled in."""

    article = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, article in CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(
                label=f"{label} ({article})",
                required=True,
                error_messages={"required": _("Confirm this item before approving.")},
            )

    def clean(self):
        cleaned = super().clean()
        article_id = cleaned.get("article")
        # Named by its label, as the review's models name it: the forms of a Task import no model (Wagtail's own
        # TaskStateCommentForm neither), so cms.models.review can offer them.
        page = apps.get_model(ARTICLE).objects.filter(pk=article_id).first() if article_id else None
        if page is None:
            raise forms.ValidationError(_("The article under review could not be found."))
        missing = page.get_latest_revision_as_object().missing_publication_details()
        if missing:
            raise forms.ValidationError(
                _("Fill in before approving (A6.3.2, A6.3.3): %(missing)s. Edit the article, save it, then approve.")
                % {"missing": "、".join(str(m) for m in missing)}
            )
        if refused := wechat_check.refusal(page.get_latest_revision_as_object()):
            raise forms.ValidationError(refused)
        return cleaned

    @property
    def confirmed_items(self):
        return [key for key in CHECKLIST_KEYS if self.cleaned_data.get(f"check_{key}")]
