"""Adapters: what the channel needs to know of the site's pages and people, without knowing their models.

A site registers one adapter class per page model in `WECHAT_CHANNEL["ADAPTERS"]`
(`{"app_label.ModelName": "dotted.path.Adapter"}`). Only pages with an adapter are
syndicated. Subclass `PageAdapter` and override what the base cannot guess.

Who the site's people are (staff or not, their department) is asked of one `PeopleAdapter`,
named in `WECHAT_CHANNEL["PEOPLE"]`; without one, every active account counts as staff.
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.module_loading import import_string
from wagtail.models import Page, PageLogEntry

from wechat_channel.conf import get_conf
from wechat_channel.content.article import problems_of
from wechat_channel.content.images import ImageFile  # noqa: F401 - what `open_image` and `cover` return, for the site
from wechat_channel.models import WeChatAccount


class PageAdapter:
    """The article view of a page: content for WeChat, and facts the push planner needs."""

    def __init__(self, page):
        self.page = page

    # Content (rendered at push time from the live page).
    def title(self):
        return self.page.title

    def author(self):
        return ""

    def digest(self):
        return getattr(self.page, "search_description", "") or ""

    def body_html(self):
        """The article body as HTML; `<img src>` may point at site URLs that `open_image` resolves."""
        return ""

    def source_url(self):
        """The "read the original" link (阅读原文): the page on the site."""
        return self.page.full_url or ""

    def credits(self):
        """Lines of the credits block appended to the article (A6.3.2), e.g. ["文字：张三", "摄影：李四"]."""
        return []

    def repost_source(self):
        """Where reposted material comes from (A6.3.3); blank for original material."""
        return ""

    def cover(self):
        """The cover image as an `ImageFile`, or None."""
        return None

    def has_cover(self):
        """Whether the article has a cover; override to answer without reading the image."""
        return self.cover() is not None

    def department(self):
        """The name of the department the material comes from, for the weekly plan; blank when none."""
        return ""

    @classmethod
    def for_listing(cls, queryset):
        """The pages' queryset with what many adapters read at once (related rows, annotations) loaded."""
        return queryset

    def open_image(self, src):
        """The bytes behind an `<img src>` of `body_html`, as an `ImageFile`, or None when unknown."""
        return None

    # Planning facts (A10.3, A11.1, A12.2, A16).
    def category(self):
        return None

    def time_sensitive(self):
        return False

    def breaking(self):
        return False

    def entered_office_at(self):
        """When the material reached office review; the lead time is counted from here (A16)."""
        return None

    def preview_url(self):
        return self.source_url()

    # Who is answerable for the page's push, and where a failure is fixed.
    def planned_by(self):
        """The user who made the page go out (the latest publish in Wagtail's log, e.g. the office approval)."""
        entry = PageLogEntry.objects.filter(page_id=self.page.pk, action="wagtail.publish", user__isnull=False)
        entry = entry.order_by("-timestamp", "-pk").select_related("user").first()
        return entry.user if entry else None

    def wechat_only_fields(self):
        """Problem fields (`LimitProblem.field`) an editor may change for WeChat without a new content review."""
        return ()

    def wechat_fields_url(self):
        """Where those fields are changed (an admin URL); the page's editor by default."""
        return self.edit_url()

    def edit_url(self):
        """Where the page's content is changed (it is then reviewed again)."""
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk])


class PeopleAdapter:
    """The site's people as the channel's pickers show them: who is staff, and in which department."""

    def staff(self, users):
        """`users` (a user queryset) narrowed to the institution's staff; students never hold credentials (A6.6)."""
        return users

    def departments(self, users):
        """{user pk: department name} of `users`, in a fixed number of queries; a user without one is left out."""
        return {}


def people():
    """The site's `PeopleAdapter` (`WECHAT_CHANNEL["PEOPLE"]`), or the base one when the site names none."""
    path = get_conf("PEOPLE")
    return import_string(path)() if path else PeopleAdapter()


def adapter_class(model):
    path = get_conf("ADAPTERS").get(model._meta.label)
    return import_string(path) if path else None


def adapter_for(page):
    """The adapter of `page`'s specific class, or None when its type is not syndicated."""
    specific = page.specific
    cls = adapter_class(type(specific))
    return cls(specific) if cls else None


def adapters_for(page_ids, page_types=None):
    """{page id: adapter} for the pages that exist and are syndicated; one query per page type.

    `page_types` ({page id: content type id}) saves the query that finds them, when the caller read them already.
    """
    if page_types is None:
        page_types = dict(Page.objects.filter(pk__in=page_ids).values_list("pk", "content_type_id"))
    by_type = {}
    for pk in page_ids:
        if page_types.get(pk) is not None:
            by_type.setdefault(page_types[pk], []).append(pk)
    adapters = {}
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        cls = adapter_class(model) if model is not None else None
        if cls is not None:
            pages = cls.for_listing(model.objects.filter(pk__in=pks))
            adapters.update({page.pk: cls(page) for page in pages})
    return adapters


def syndicated_models():
    """Labels of the page models the site syndicates."""
    return list(get_conf("ADAPTERS"))


def wechat_problems(page):
    """What WeChat would refuse or warn about in `page` (`LimitProblem`s, blocking first), checked without uploading.

    Empty when the page's type is not syndicated or no active account pushes approved articles: then nothing
    sends it to WeChat and WeChat's limits do not apply. `page` may be an unsaved revision's object.
    """
    cls = adapter_class(type(page))
    if cls is None or not WeChatAccount.objects.filter(is_active=True, push_approved=True).exists():
        return []
    return sorted(problems_of(cls(page)), key=lambda problem: not problem.blocking)
