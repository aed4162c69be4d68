"""Images as the headless API shows them: a rendition of an image a live article uses, nothing more.

No title (a contributor's file name before these were chosen by the server), no original
file and no image id to look further with; the API has no images endpoint (cms.api).
"""

from wagtail.images.api.fields import ImageRenditionField

# The article page's own size (article_page.html, blocks/captioned_image.html): no extra files.
API_RENDITION = "width-800"


def rendition_fields(image):
    """`image` as url, full_url, width and height of its API rendition; an "error" key if its file is gone."""
    data = dict(ImageRenditionField(API_RENDITION).to_representation(image))
    data.pop("alt", None)  # Wagtail falls back to the title
    return data


class ArticleImageField(ImageRenditionField):
    """An article's image field in the API: its rendition, as `rendition_fields` gives it."""

    def __init__(self, *args, **kwargs):
        super().__init__(API_RENDITION, *args, **kwargs)

    def to_representation(self, image):
        return rendition_fields(image)
