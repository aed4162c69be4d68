"""Images uploaded through the public portal: what they really are, and the name they are stored under.

The client's file name and content type are never trusted: the decoded format decides
whether a file is an image and which extension it is stored with (JPEG, PNG, GIF, WebP).
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField

# What every browser and WeChat can show, by Pillow's name for the decoded format.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def decoded_extension(upload):
    """The extension for the format Pillow decodes `upload` as, or None if it is not an allowed image."""
    try:
        upload.seek(0)
        with PILImage.open(upload) as picture:
            image_format = picture.format
            picture.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for files it cannot decode
        return None
    finally:
        upload.seek(0)
    return EXTENSIONS.get(image_format)


def stored_file(upload, extension):
    """`upload` under a name the server chose: random, so held and draft images cannot be guessed (A6.3.3)."""
    return File(upload, name=f"{uuid.uuid4().hex}.{extension}")


def image_problem(upload, max_bytes):
    """Why `upload` cannot be used as an article image, or None; the name is only used to say which file."""
    name = upload.name
    if upload.size > max_bytes:
        return _("“%(name)s” is %(size)s; each image may be at most %(max)s.") % {
            "name": name,
            "size": filesizeformat(upload.size),
            "max": filesizeformat(max_bytes),
        }
    extension = decoded_extension(upload)
    if extension is None:
        return _("“%(name)s” is not a JPEG, PNG, GIF or WebP image.") % {"name": name}
    # Wagtail's own checks, as in the admin's upload: format against extension, size, pixels × frames.
    try:
        WagtailImageField().clean(stored_file(upload, extension))
    except ValidationError as error:
        return _("“%(name)s” cannot be used: %(problem)s") % {"name": name, "problem": " ".join(error.messages)}
    finally:
        upload.seek(0)
    return None
