"""A page adapter for planning tests: arrival at the office is set by the test, not by a review."""

from cms.articles.wechat_adapter import ArticleAdapter
from wechat_channel.adapters import PageAdapter

ENTERED = {}  # page id -> aware datetime


class PlanningAdapter(PageAdapter):
    def category(self):
        return getattr(self.page, "category", None) or None

    def time_sensitive(self):
        return bool(getattr(self.page, "time_sensitive", False))

    def breaking(self):
        return bool(getattr(self.page, "breaking", False))

    def entered_office_at(self):
        return ENTERED.get(self.page.pk)


class ArticlePlanningAdapter(PlanningAdapter, ArticleAdapter):
    """The site's own article adapter (cover, WeChat's limits, department), with the test's arrival times."""
