import re

from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cms.articles.api import api_router
from cms.articles.visibility import WholeTreePageTypesUsageView
from cms.cases import report_views
from cms.contributions import views as contribution_views
from cms.health.views import healthz

urlpatterns = [
    # Wagtail's page types usage report at its own paths, for whoever sees the whole page tree (A6.1).
    path(
        "admin/reports/page-types-usage/",
        require_admin_access(WholeTreePageTypesUsageView.as_view()),
        name="whole_tree_page_types_usage",
    ),
    path(
        "admin/reports/page-types-usage/results/",
        require_admin_access(WholeTreePageTypesUsageView.as_view(results_only=True)),
        name="whole_tree_page_types_usage_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/policy/", include("policy_rules.urls")),
    path("wechat/", include("wechat_channel.urls")),
    path("contribute/", contribution_views.contribute, name="contribute"),
    path("contribute/thanks/", contribution_views.thanks, name="contribution_thanks"),
    path("contribute/status/<str:token>/", contribution_views.status, name="contribution_status"),
    path("report/", report_views.report, name="report"),
    path("report/thanks/", report_views.thanks, name="report_thanks"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every site and admin page, whatever the page links.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("cms/favicon.ico"), permanent=True)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

if settings.SERVE_MEDIA:
    # Development, the demo and the tests; production serves media from its web server.
    from cms.images.serving import serve_upload

    media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve_upload)]

urlpatterns += [path("", include(wagtail_urls))]
