"""Plain covers for demo articles: WeChat needs a cover on every article (the office adds one before approving)."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

COVER_COLORS = [(178, 34, 52), (31, 96, 160), (46, 125, 50), (216, 120, 24), (96, 64, 160)]


def cover(title, color):
    """A plain 900×383 (2.35:1) JPEG cover in `color`, stored as a Wagtail image titled `title`."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 383), color).save(buffer, "JPEG", quality=85)
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="demo-cover.jpg"))
