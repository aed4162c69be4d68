"""The site's home page: a welcome and the latest published articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from cms.models import ArticleIndexPage, ArticlePage


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    latest_count = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = ArticlePage.objects.listed().descendant_of(self)[: self.latest_count]
        context["article_index"] = ArticleIndexPage.objects.live().child_of(self).first()
        return context
