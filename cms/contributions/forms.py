"""Forms of the public contribution portal: submit material (A6.1) and revise it when sent back (A6.2.5).

Every check explains itself at the field it concerns, so the contributor knows
what to change; nothing is silently dropped or rewritten.
"""

import re

from django import forms
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cms.models import Contribution, Department, PersonKind
from cms.models.articles import TITLE_MAX_LENGTH
from cms.params import BoundedModelChoiceField
from cms.review.routing import reviewable_departments

from . import get_conf
from .images import image_problem

TEXT_MAX_LENGTH = 20_000

# Plain text only: anything a browser could read as a tag, a script URL or an event handler.
MARKUP_PATTERN = re.compile(r"<[a-z!?/]|(?:java|vb)script\s*:|\bon[a-z]+\s*=", re.IGNORECASE)


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Any number of uploaded files, as a list; each is checked by the form that uses it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


class ArticleContentForm(forms.Form):
    """Title, plain text and images: what the contributor writes, at submission and at revision."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("New, short and factual (A10.1)."),
        error_messages={
            "required": _("Enter a title."),
            "max_length": _("The title may be at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Plain text; leave a blank line between paragraphs."),
        error_messages={"required": _("Enter the text of your material.")},
    )
    images = MultipleImageField(
        label=_("Images"),
        required=False,
        help_text=_("Optional: JPEG, PNG, GIF or WebP."),
    )

    def __init__(self, *args, images_before=0, **kwargs):
        """`images_before`: images the article already has or that were kept from an earlier attempt."""
        super().__init__(*args, **kwargs)
        self.images_before = images_before
        # Uploads that passed their checks, even when others did not, so they can be kept.
        self.accepted_images = []
        conf = get_conf()
        self.fields["images"].help_text = _(
            "Optional: at most %(count)d JPEG, PNG, GIF or WebP images of up to %(size)s each."
        ) % {"count": conf["CONTRIBUTION_MAX_IMAGES"], "size": filesizeformat(conf["CONTRIBUTION_MAX_IMAGE_BYTES"])}

    def clean_text(self):
        text = self.cleaned_data["text"]
        found = MARKUP_PATTERN.search(text)
        if found:
            raise forms.ValidationError(
                _("Write plain text only: remove the markup or script starting at “%(found)s”."),
                params={"found": text[found.start() : found.end() + 12].strip()},
                code="markup",
            )
        return text

    def clean_images(self):
        uploads = self.cleaned_data["images"]
        conf = get_conf()
        limit = conf["CONTRIBUTION_MAX_IMAGES"]
        total = self.images_before + len(uploads)
        if total > limit:
            raise forms.ValidationError(
                _("An article may have at most %(limit)d images; this would make %(total)d. Choose fewer."),
                params={"limit": limit, "total": total},
                code="too_many",
            )
        problems = []
        for upload in uploads:
            problem = image_problem(upload, conf["CONTRIBUTION_MAX_IMAGE_BYTES"])
            if problem:
                problems.append(problem)
            else:
                self.accepted_images.append(upload)
        if problems:
            raise forms.ValidationError(problems)
        return uploads


class ContributionForm(ArticleContentForm):
    """The public submission form: the material and who provides it (A6.1)."""

    name = forms.CharField(label=_("Your name"), max_length=100, error_messages={"required": _("Enter your name.")})
    number = forms.CharField(
        label=_("Student or staff number"),
        max_length=32,
        validators=[RegexValidator(r"^[\w-]+$", _("Use letters and digits only."))],
        error_messages={"required": _("Enter your student or staff number.")},
    )
    kind = forms.ChoiceField(label=_("I am"), choices=PersonKind.choices)
    department = BoundedModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.filter(active=True),
        error_messages={
            "required": _("Choose your department."),
            "invalid_choice": _("Choose one of the listed departments."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("We send the private link to follow your material here."),
        error_messages={"required": _("Enter your e-mail address."), "invalid": _("Enter a valid e-mail address.")},
    )
    on_behalf_of = forms.ChoiceField(
        label=_("On whose behalf"),
        choices=Contribution.OnBehalfOf.choices,
        initial=Contribution.OnBehalfOf.SELF,
        widget=forms.RadioSelect,
        help_text=_("Material sent on behalf of the department earns no personal reward (A19)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A6.1: only departments whose material someone in their own line reviews; none swallows a submission.
        self.fields["department"].queryset = reviewable_departments()


class RevisionForm(ArticleContentForm):
    """Revise material that was sent back (A6.2.5); new images are added after the existing ones."""

    images = MultipleImageField(label=_("Add images"), required=False)
