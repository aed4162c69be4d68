"""Wagtail API v2 for headless consumers: published articles only, nothing private.

The pages endpoint serves only live, public pages; `ArticlePage.api_fields`
names no contact detail of a contributor, and no owner is exposed.
`/api/v2/pages/?type=cms.ArticlePage&fields=*` lists articles with credits and categories.

There is no images (or documents) endpoint: it would list every upload, held ones and
those of drafts included (A6.3.3). A live article's images come with it instead, as
renditions (`cms.images.api`), under the server-chosen names and with no title.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from cms.images.api import api_renditions, load_stream_images
from cms.models import ArticlePage

MAX_OFFSET = 10**9  # far past any listing; the database's integer ends at 2**63 - 1


class RequestPageHtmlUrlField(PageHtmlUrlField):
    """A page's html_url, the site root paths read once per request rather than once per page.

    With the database cache each read is a query; `page.full_url` caches them on the page only.
    """

    def to_representation(self, page):
        return page.get_full_url(self.context["request"])


class NewsroomPageSerializer(PageSerializer):
    """The stock page serializer, with `RequestPageHtmlUrlField` as html_url."""

    html_url = RequestPageHtmlUrlField(read_only=True)


class NewsroomPagesAPIViewSet(PagesAPIViewSet):
    """The stock pages endpoint, loading what each item serialises in the listing's own query."""

    base_serializer_class = NewsroomPageSerializer

    def check_query_parameters(self, queryset):
        """The stock checks, and a 400 for what the database would fail on: a NUL byte, a huge offset."""
        super().check_query_parameters(queryset)
        if any("\x00" in value for values in self.request.GET.lists() for value in values[1]):
            raise BadRequestError(_("query parameters cannot contain NUL characters"))
        offset = self.request.GET.get("offset", "0")
        if offset.isascii() and offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(_("offset cannot be higher than %(max)d") % {"max": MAX_OFFSET})

    def get_queryset(self):
        # Without this, every item costs a query for its locale (meta), and every
        # article one for its department and one for its cover image and its rendition.
        queryset = super().get_queryset().select_related("locale")
        if issubclass(queryset.model, ArticlePage):
            queryset = queryset.select_related("department", "cover_image").prefetch_related(
                Prefetch("cover_image__renditions", queryset=api_renditions())
            )
        return queryset

    def get_serializer(self, *args, **kwargs):
        """The listing's or detail's serializer, the body images of its articles loaded beforehand."""
        serializer = super().get_serializer(*args, **kwargs)
        many = kwargs.get("many", False)
        if "body" in (serializer.child if many else serializer).Meta.fields:
            # Otherwise every body costs a query for its images and every image one for its rendition.
            # The listing's page is a queryset: this evaluates it, and the serializer reuses its pages.
            pages = serializer.instance if many else [serializer.instance]
            load_stream_images([page.body for page in pages if isinstance(page, ArticlePage)], "image")
        return serializer


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", NewsroomPagesAPIViewSet)
