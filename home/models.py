"""The site's home page: a welcome and the latest published articles."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    latest_count = 10

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.ArticleIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from django.db.models import Prefetch
        from wagtail.images import get_image_model

        from cms.models import ArticleIndexPage, ArticlePage

        context = super().get_context(request, *args, **kwargs)
        # One query for every cover's list rendition instead of one per article
        # whenever the rendition cache is cold; the spec matches cms/includes/article_list.html.
        renditions = get_image_model().get_rendition_model().objects.filter(filter_spec="fill-320x200")
        context["latest_articles"] = (
            ArticlePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("cover_image", "department")
            .prefetch_related(Prefetch("cover_image__renditions", queryset=renditions))
            .defer_streamfields()
            .order_by("-first_published_at", "-pk")[: self.latest_count]
        )
        context["article_index"] = ArticleIndexPage.objects.live().child_of(self).first()
        return context
