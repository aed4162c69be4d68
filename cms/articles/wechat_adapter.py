"""What wechat_channel needs to know of an `ArticlePage` (registered in `WECHAT_CHANNEL["ADAPTERS"]`)."""

import os
from urllib.parse import unquote, urlsplit

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from cms.models import Submission
from cms.wechat_fields.services import PROBLEM_FIELDS
from wechat_channel.adapters import ImageFile, PageAdapter

# Credit lines as printed under WeChat articles (A6.3.2): (field, label).
CREDIT_LINES = (
    ("text_author", "文字"),
    ("photographer", "摄影"),
    ("layout_editor", "排版"),
    ("responsible_editor", "责任编辑"),
)


def _read(field_file):
    """The bytes of an image or rendition file, through its storage (local disk or object storage)."""
    with field_file.storage.open(field_file.name, "rb") as handle:
        return ImageFile(os.path.basename(field_file.name), handle.read())


class ArticleAdapter(PageAdapter):
    """An article page as a WeChat article: body, credits, repost source, cover, and planning facts."""

    def author(self):
        page = self.page
        if page.text_author.strip():
            return page.text_author.strip()
        return page.contributor.name if page.contributor_id else ""

    def digest(self):
        return self.page.digest or ""

    def body_html(self):
        return str(self.page.body)  # each block through its site template

    def credits(self):
        return [f"{label}：{value.strip()}" for name, label in CREDIT_LINES if (value := getattr(self.page, name))]

    def repost_source(self):
        return self.page.repost_source.strip() if self.page.is_repost else ""

    @classmethod
    def for_listing(cls, queryset):
        reached = Submission.objects.filter(page_id=OuterRef("pk")).values("reached_office_at")[:1]
        return queryset.select_related("cover_image", "department", "contributor").annotate(
            reached_office=Subquery(reached)
        )

    def department(self):
        return self.page.department.name if self.page.department_id else ""

    def has_cover(self):
        return self.page.cover_image_id is not None

    def cover(self):
        image = self.page.cover_image
        return _read(image.file) if image is not None else None

    def _images(self):
        """The page's images: the cover and every image block of the body."""
        images = [self.page.cover_image] if self.page.cover_image_id else []
        images += [block.value["image"] for block in self.page.body if block.block_type == "image"]
        return [image for image in images if image is not None]

    def open_image(self, src):
        """The original or rendition file behind `src`, if it belongs to one of this page's images."""
        path = unquote(urlsplit(src).path)
        for image in self._images():
            if unquote(urlsplit(image.file.url).path) == path:
                return _read(image.file)
            for rendition in image.renditions.all():
                if unquote(urlsplit(rendition.url).path) == path:
                    return _read(rendition.file)
        return None

    # Where a failed push is fixed: cover and digest without a new review (cms/wechat_fields), the rest in the editor.

    def wechat_only_fields(self):
        return PROBLEM_FIELDS

    def wechat_fields_url(self):
        return reverse("wechat_fields:edit", args=[self.page.pk])

    # Planning facts.

    def category(self):
        return self.page.category

    def time_sensitive(self):
        return self.page.time_sensitive

    def breaking(self):
        return self.page.breaking

    def entered_office_at(self):
        if hasattr(self.page, "reached_office"):  # loaded by `for_listing`
            return self.page.reached_office
        return Submission.objects.filter(page_id=self.page.pk).values_list("reached_office_at", flat=True).first()
