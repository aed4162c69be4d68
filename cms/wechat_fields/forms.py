"""The WeChat settings form: a cover among the images the editor may choose, and a digest."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser

from cms.admin.params import BoundedModelChoiceField
from cms.models import ArticlePage
from cms.wechat_fields.services import choosable_images


class WeChatFieldsForm(forms.Form):
    cover_image = BoundedModelChoiceField(
        label=_("Cover image"),
        queryset=get_image_model().objects.none(),
        widget=AdminImageChooser,
        error_messages={"required": _("WeChat needs a cover image: choose one.")},
        help_text=_("Shown in the chat list and at the top of the article on WeChat."),
    )
    digest = forms.CharField(
        label=_("Digest"),
        required=False,
        max_length=ArticlePage._meta.get_field("digest").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown under the title when the article is alone in a push; blank: WeChat takes the body's start."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cover_image"].queryset = choosable_images(user)
        self.fields["cover_image"].error_messages["invalid_choice"] = _(
            "Choose one of the images you may use; this one is not among them."
        )
