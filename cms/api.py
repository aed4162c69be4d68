"""Wagtail API v2 for headless consumers: published articles only, nothing private.

The pages endpoint serves only live, public pages; `ArticlePage.api_fields`
names no contact detail of a contributor, and no owner is exposed.
`/api/v2/pages/?type=cms.ArticlePage&fields=*` lists articles with credits and categories.

There is no images (or documents) endpoint: it would list every upload, held ones and
those of drafts included (A6.3.3). A live article's images come with it instead, as
renditions (`cms.api_images`), under the server-chosen names and with no title.
"""

from django.db.models import Prefetch
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images import get_image_model

from .api_images import API_RENDITION
from .models import ArticlePage


class NewsroomPagesAPIViewSet(PagesAPIViewSet):
    """The stock pages endpoint, loading what each item serialises in the listing's own query."""

    def get_queryset(self):
        # Without this, every item costs a query for its locale (meta), and every
        # article one for its department and one for its cover image and its rendition.
        queryset = super().get_queryset().select_related("locale")
        if issubclass(queryset.model, ArticlePage):
            renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=API_RENDITION)
            queryset = queryset.select_related("department", "cover_image").prefetch_related(
                Prefetch("cover_image__renditions", queryset=renditions)
            )
        return queryset


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", NewsroomPagesAPIViewSet)
