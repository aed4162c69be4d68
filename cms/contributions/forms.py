"""Forms of the public contribution portal: submit material (A6.1) and revise it when sent back (A6.2.5).

Every check explains itself at the field it concerns, so the contributor knows
what to change; nothing is silently dropped or rewritten.
"""

from django import forms
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cms.admin.params import BoundedModelChoiceField
from cms.contributions import get_conf
from cms.contributions.images import image_problem
from cms.models import Contribution, Department, PersonKind
from cms.models.articles import TITLE_MAX_LENGTH
from cms.review.routing import reviewable_departments

TEXT_MAX_LENGTH = 20_000


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

    cover = forms.TypedChoiceField(
        label=_("Cover image"),
        coerce=int,
        required=False,
        initial=1,
        empty_value=None,
        help_text=_(
            "WeChat shows it above the title. The images are numbered in the order you choose them; "
            "the first is the cover unless you pick another. If you send no image, the office adds a cover."
        ),
        error_messages={"invalid_choice": _("Choose the cover among the listed images.")},
    )

    def __init__(self, *args, images_before=0, article_images=(), **kwargs):
        """`images_before`: images the article already has or that were kept from an earlier attempt;
        `article_images`: the images the article already has, in order (a revision's cover choices)."""
        super().__init__(*args, **kwargs)
        self.images_before = images_before
        self.fields["cover"].choices = cover_choices(article_images)
        # cover-choice.js names the files chosen next to the positions that follow these images.
        self.fields["cover"].widget.attrs["data-images-before"] = images_before
        # Uploads that passed their checks, even when others did not, so they can be kept.
        self.accepted_images = []
        conf = get_conf()
        self.fields["images"].help_text = _(
            "Optional: at most %(count)d JPEG, PNG, GIF or WebP images of up to %(size)s each."
        ) % {"count": conf["CONTRIBUTION_MAX_IMAGES"], "size": filesizeformat(conf["CONTRIBUTION_MAX_IMAGE_BYTES"])}

    def clean(self):
        """A6 (WeChat needs a cover): the cover is one of the article's images, counted with the new uploads."""
        cleaned = super().clean()
        cover = cleaned.get("cover")
        if cover is None or self.has_error("images"):
            return cleaned
        total = self.images_before + len(self.accepted_images)
        if cover > max(total, 1):
            if total:
                message = _("Image %(cover)d cannot be the cover: there are only %(total)d images. Choose one of them.")
            else:
                message = _("There is no image to be the cover: add images, or leave the cover to the office.")
            self.add_error("cover", forms.ValidationError(message, params={"cover": cover, "total": total}))
        return cleaned

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


def cover_choices(article_images=()):
    """(position, name) of every image an article may have: its own images by title, then the new ones."""
    titles = [image.title for image in article_images]
    limit = get_conf()["CONTRIBUTION_MAX_IMAGES"]
    titles += [_("Contributed image %(number)d") % {"number": number} for number in range(len(titles) + 1, limit + 1)]
    return list(enumerate(titles[:limit], start=1))


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

    def __init__(self, *args, office_cover=None, **kwargs):
        """`office_cover`: a cover that is not one of the article's images (the office chose it); kept by default."""
        super().__init__(*args, **kwargs)
        if office_cover is not None:
            keep = _("Keep the cover the office chose (%(title)s)") % {"title": office_cover.title}
            self.fields["cover"].choices = [("", keep), *self.fields["cover"].choices]
