"""Wagtail API v2 for headless consumers: published articles only, nothing private.

The pages endpoint serves only live, public pages; `ArticlePage.api_fields`
names no contact detail of a contributor, and no owner is exposed.
`/api/v2/pages/?type=cms.ArticlePage&fields=*` lists articles with credits and categories.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
