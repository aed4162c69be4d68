"""Images as the headless API shows them: a rendition of an image a live article uses, nothing more.

No title (a contributor's file name before these were chosen by the server), no original
file and no image id to look further with; the API has no images endpoint (cms.articles.api).
"""

from django.db.models import Prefetch
from wagtail.images import get_image_model
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.models import SourceImageIOError

# The article page's own size (article_page.html, blocks/captioned_image.html): no extra files.
API_RENDITION = "width-800"


def api_renditions():
    """The renditions the API shows: the queryset to prefetch an image's `renditions` with."""
    return get_image_model().get_rendition_model().objects.filter(filter_spec=API_RENDITION)


def rendition_fields(image):
    """`image` as url, full_url, width and height of its API rendition; an "error" key if its file is gone."""
    try:
        # get_renditions, not get_rendition: the latter writes the rendition cache on every call, even
        # for a prefetched rendition, and the default cache is the database (one SQL write per image).
        rendition = image.get_renditions(API_RENDITION)[API_RENDITION]
    except SourceImageIOError:
        return {"error": "SourceImageIOError"}
    return {"url": rendition.url, "full_url": rendition.full_url, "width": rendition.width, "height": rendition.height}


def load_stream_images(streams, block_name):
    """Give the `block_name` blocks of `streams` their images, API renditions prefetched: two queries in all.

    Left to itself, each stream loads its own images (ImageChooserBlock.bulk_to_python) and each
    image then looks up its rendition in the cache and the database.
    """
    blocks = [
        (stream, i, item) for stream in streams for i, item in enumerate(stream.raw_data) if item["type"] == block_name
    ]
    image_ids = {item["value"].get("image") for _, _, item in blocks} - {None}
    if not image_ids:
        return
    images = get_image_model().objects.prefetch_related(Prefetch("renditions", api_renditions())).in_bulk(image_ids)
    for stream, i, item in blocks:
        block = stream.stream_block.child_blocks[block_name]
        value = block.to_python({**item["value"], "image": None})  # the other fields as Wagtail reads them
        value["image"] = images.get(item["value"].get("image"))  # None if the image was deleted
        stream[i] = (block_name, value, item.get("id"))


class ArticleImageField(ImageRenditionField):
    """An article's image field in the API: its rendition, as `rendition_fields` gives it."""

    def __init__(self, *args, **kwargs):
        super().__init__(API_RENDITION, *args, **kwargs)

    def to_representation(self, image):
        return rendition_fields(image)
