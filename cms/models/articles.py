"""Article pages and their index."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.articles.blocks import ArticleBodyBlock
from cms.articles.forms import ArticlePageForm
from cms.images.api import ArticleImageField
from cms.models.departments import Department, Person, ProviderKind
from cms.models.publication import guard_article_save
from cms.models.review import ReviewRouting
from cms.policy.content import content_rules
from wechat_channel.adapters import adapter_for
from wechat_channel.content.article import render_phone_preview
from wechat_channel.content.limits import MAX_TITLE

# WeChat's own hard limit for a news title (draft/add: 32, WECHAT.md §12), from the channel's one list of limits;
# a shorter recommended length (A10.1) is a policy warning, not a model constraint.
TITLE_MAX_LENGTH = MAX_TITLE
DIGEST_MAX_LENGTH = 120


class Category(models.TextChoices):
    CAMPUS_LIFE = "campus_life", _("Campus life")
    STUDY = "study", _("Study")
    NEWS = "news", _("News")
    LIGHT = "light", pgettext_lazy("article category", "Light")
    ENTERTAINMENT = "entertainment", _("Entertainment")
    INSPIRATIONAL = "inspirational", _("Inspirational")


# The cover's size in a list of articles: cms/includes/article_list.html renders this spec.
LIST_RENDITION = "fill-320x200"


class ArticlePageQuerySet(PageQuerySet):
    def listed(self):
        """Live, public articles as the site lists them, newest first, in a number of queries that does not grow
        with the list: cover and department joined, every cover's list rendition prefetched in one query
        (instead of one per article whenever the rendition cache is cold), the body not loaded."""
        renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=LIST_RENDITION)
        return (
            self.live()
            .public()
            .select_related("cover_image", "department")
            .prefetch_related(Prefetch("cover_image__renditions", queryset=renditions))
            .defer_streamfields()
            .order_by("-first_published_at", "-pk")
        )


class ArticleIndexPage(Page):
    """Lists published articles, newest first."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.ArticlePage"]
    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1
    page_size = 20

    class Meta:
        verbose_name = _("article index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.listed().child_of(self)
        category = request.GET.get("category")
        if category in Category.values:
            articles = articles.filter(category=category)
        context["articles"] = Paginator(articles, self.page_size).get_page(request.GET.get("page"))
        context["categories"] = Category.choices
        context["current_category"] = category
        return context


class ArticlePage(Page):
    """A rich article: the unit that is reviewed, published on the site and pushed to WeChat."""

    digest = models.TextField(
        _("digest"),
        max_length=DIGEST_MAX_LENGTH,
        blank=True,
        help_text=_("One or two sentences shown under the title in lists and on WeChat."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.NEWS)
    time_sensitive = models.BooleanField(
        _("time-sensitive"), default=False, help_text=_("Goes first in the next push (A12.2).")
    )
    breaking = models.BooleanField(
        _("breaking news"), default=False, help_text=_("Not bound by the push windows (A11.1).")
    )
    provider_kind = models.CharField(
        _("provided by"), max_length=20, choices=ProviderKind.choices, default=ProviderKind.OFFICE
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    contributor = models.ForeignKey(
        Person,
        verbose_name=_("contributor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    # Credits (A6.3.2)
    responsible_editor = models.CharField(_("responsible editor"), max_length=100, blank=True)
    photographer = models.CharField(_("photographer"), max_length=100, blank=True)
    layout_editor = models.CharField(_("layout"), max_length=100, blank=True)
    text_author = models.CharField(
        _("text by"), max_length=100, blank=True, help_text=_("Required for personal submissions (A6.3.2).")
    )
    # Reposts (A6.3.3)
    is_repost = models.BooleanField(_("repost"), default=False)
    repost_source = models.CharField(_("repost source"), max_length=200, blank=True)
    repost_url = models.URLField(_("original URL"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("digest"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("provider_kind")]),
                FieldRowPanel([FieldPanel("department"), FieldPanel("contributor")]),
                FieldRowPanel([FieldPanel("time_sensitive"), FieldPanel("breaking")]),
            ],
            heading=_("Classification"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("responsible_editor"), FieldPanel("photographer")]),
                FieldRowPanel([FieldPanel("layout_editor"), FieldPanel("text_author")]),
            ],
            heading=_("Credits (A6.3.2)"),
        ),
        MultiFieldPanel(
            [FieldPanel("is_repost"), FieldPanel("repost_source"), FieldPanel("repost_url")],
            heading=_("Repost (A6.3.3)"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("digest"),
        index.SearchField("body"),
        index.FilterField("category"),
    ]

    api_fields = [
        APIField("digest"),
        APIField("category"),
        APIField("category_display"),
        APIField("body"),
        APIField("cover_image", serializer=ArticleImageField()),
        APIField("time_sensitive"),
        APIField("breaking"),
        APIField("provider_kind"),
        APIField("department_name"),
        APIField("credits"),
        APIField("repost"),
    ]

    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []
    base_form_class = ArticlePageForm

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    # -- derived values -------------------------------------------------
    @property
    def category_display(self):
        return str(self.get_category_display())

    @property
    def department_name(self):
        return self.department.name if self.department_id else None

    @property
    def credits(self):
        """The credits block (A6.3.2) as shown on the site and served by the API."""
        return {
            "responsible_editor": self.responsible_editor,
            "photographer": self.photographer,
            "layout": self.layout_editor,
            "text_author": self.text_author,
        }

    @property
    def repost(self):
        if not self.is_repost:
            return None
        return {"source": self.repost_source, "url": self.repost_url}

    @property
    def is_personal(self):
        return self.provider_kind in (ProviderKind.STAFF, ProviderKind.STUDENT)

    def missing_publication_details(self, rules=None):
        """What A6.3.2/A6.3.3 still require before the office may approve; empty when complete.

        `rules` is the policy's content section (default: the active policy's).
        """
        rules = rules or content_rules()
        missing = []
        if rules.credits_required:
            if not self.responsible_editor.strip():
                missing.append(_("responsible editor"))
            if not self.photographer.strip():
                missing.append(_("photographer"))
            if not self.layout_editor.strip():
                missing.append(_("layout"))
            if self.is_personal and not self.text_author.strip():
                missing.append(_("text by"))
        if rules.repost_requires_source and self.is_repost and not self.repost_source.strip():
            missing.append(_("repost source"))
        return missing

    def clean(self):
        super().clean()
        errors = {}
        if len(self.title) > TITLE_MAX_LENGTH:
            errors["title"] = _("WeChat accepts titles of at most %(max)s characters.") % {"max": TITLE_MAX_LENGTH}
        if self.provider_kind != ProviderKind.OFFICE and not self.department_id:
            errors["department"] = _("Material from a department or a person names the department (A6.1).")
        if self.is_personal and not self.contributor_id:
            errors["contributor"] = _("A personal submission names its contributor.")
        if self.is_repost and not self.repost_source.strip() and content_rules().repost_requires_source:
            errors["repost_source"] = _("A repost must name its source (A6.3.3).")
        if errors:
            raise ValidationError(errors)

    # -- previews: the site page, and the article as WeChat shows it on a phone --
    @property
    def preview_modes(self):
        return [*super().preview_modes, ("wechat", _("WeChat"))]

    def serve_preview(self, request, mode_name):
        if mode_name == "wechat":
            # The adapter the channel has for this page type (`WECHAT_CHANNEL["ADAPTERS"]`), as a push would use it.
            return HttpResponse(render_phone_preview(adapter_for(self), request=request))
        return super().serve_preview(request, mode_name)

    def save(self, *args, **kwargs):
        # A6.3.1: whichever door publishes (views, bulk, schedule, API, copy), going live needs office approval.
        guard_article_save(self, kwargs.get("update_fields"))
        return super().save(*args, **kwargs)

    # -- review routing (A6.1) --------------------------------------------
    def get_workflow(self):
        return ReviewRouting.workflow_for(self)

    @property
    def has_workflow(self):
        return self.get_workflow() is not None
