"""Wagtail API v2 for headless consumers: published articles only, nothing private.

The pages endpoint serves only live, public pages; `ArticlePage.api_fields`
names no contact detail of a contributor, and no owner is exposed.
`/api/v2/pages/?type=cms.ArticlePage&fields=*` lists articles with credits and categories.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from .models import ArticlePage


class NewsroomPagesAPIViewSet(PagesAPIViewSet):
    """The stock pages endpoint, loading what each item serialises in the listing's own query."""

    def get_queryset(self):
        # Without this, every item costs a query for its locale (meta), and every
        # article one for its department and one for its cover image.
        queryset = super().get_queryset().select_related("locale")
        if issubclass(queryset.model, ArticlePage):
            queryset = queryset.select_related("department", "cover_image")
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", NewsroomPagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
