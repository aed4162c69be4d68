"""The site's home page: a welcome and the latest published articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    latest_count = 10

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from cms.models import ArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("cover_image", "department")
            .defer_streamfields()
            .order_by("-first_published_at", "-pk")[: self.latest_count]
        )
        return context
