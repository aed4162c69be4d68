"""Platform settings that only channel administrators change (A7, A15)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import register_setting


@register_setting(icon="cogs")
class PlatformSettings(BaseGenericSetting):
    """Switches for the public side of the platform; publishers may not change them (A15)."""

    contributions_open = models.BooleanField(
        _("accept contributions"), default=True, help_text=_("Show the public contribution form.")
    )
    contribution_notice = models.TextField(
        _("notice on the contribution form"),
        blank=True,
        default="投稿经科室负责人、分管领导和办公室审核后发布。",
    )
    office_email = models.EmailField(_("office e-mail"), blank=True)

    panels = [FieldPanel("contributions_open"), FieldPanel("contribution_notice"), FieldPanel("office_email")]

    class Meta:
        verbose_name = _("platform settings")
