"""Which pages a user finds in the admin: explorer, page search, page chooser, admin API and site history.

Material is seen by whoever provides it, by the reviewers of its department and by the office (A6.1, A6.2):
a contributor finds their own articles, a department head or supervising leader their departments' as well,
and whoever may edit others' pages (the office) the whole tree.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.models import ArticleIndexPage, ArticlePage
from cms.review.views import ArticleEditView, ArticleWorkflowActionView

WHOLE_TREE = {"change_page", "publish_page"}  # page permissions that reach other people's articles


class NewsroomPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with the articles it lets a user explore narrowed to their own material."""

    def sees_whole_tree(self, user):
        if not user.is_active:
            return False
        return user.is_superuser or any(
            grant.permission.codename in WHOLE_TREE for grant in self.get_cached_permissions_for_user(user)
        )

    def explorable_instances(self, user):
        pages = super().explorable_instances(user)
        if self.sees_whole_tree(user) or not user.is_active:
            return pages
        articles = ArticlePage.objects.values("pk")
        material = ArticlePage.objects.filter(
            Q(owner=user) | Q(department__heads=user) | Q(department__supervising_leader=user)
        ).values("pk")
        structure = pages.exclude(pk__in=articles).values("pk")  # the home page and the article index
        return self.model._default_manager.filter(Q(pk__in=structure) | Q(pk__in=material))


page_policy = NewsroomPagePermissionPolicy()


def chooser_pages(pages, request):
    """construct_page_chooser_queryset: the chooser offers only the pages the explorer would show."""
    if page_policy.sees_whole_tree(request.user):
        return pages
    return pages.filter(pk__in=page_policy.explorable_instances(request.user).values("pk"))


class VisibleExplorableIndexView(ExplorableIndexView):
    """The explorer of one page (/admin/pages/<id>/) opens only for a page the user may find: its title is there."""

    def get(self, request, parent_page_id=None):
        explorable = page_policy.explorable_instances(request.user)
        if parent_page_id and not explorable.filter(pk=parent_page_id).exists():
            raise PermissionDenied
        return super().get(request, parent_page_id)


class ArticlePageViewSet(PageViewSet):
    """Wagtail's page views for articles, exploring the article index or an article through the view above."""

    index_view_class = VisibleExplorableIndexView
    edit_view_class = ArticleEditView  # says what a review action did (cms/review/outcome.py)
    workflow_action_view_class = ArticleWorkflowActionView  # the same, from the dashboard's review panel

    @property
    def parent_models(self):
        return [ArticleIndexPage, ArticlePage]


class WholeTreePageTypesUsageView(PageTypesUsageReportView):
    """Page types usage counts every draft and names each type's last-edited page: for whoever sees the whole tree.

    cms/urls.py serves it at Wagtail's own paths, so a contributor asking for the report is refused (A6.1).
    """

    def dispatch(self, request, *args, **kwargs):
        if not page_policy.sees_whole_tree(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


WHOLE_TREE_REPORTS = {"page-types-usage"}  # report menu items only the whole tree's users see


def hide_whole_tree_reports(request, menu_items):
    """construct_reports_menu: the reports above leave the menu of everyone else."""
    if not page_policy.sees_whole_tree(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in WHOLE_TREE_REPORTS]
