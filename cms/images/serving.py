"""Uploads (media) served by Django itself, in development and the demo only.

Production serves media from its web server (docs/operations.md, "Serving uploads"); this
view applies the same rules so that what is tried locally is what runs there.
"""

from django.conf import settings
from django.views.static import serve

# Raster images a browser shows inline; anything else (SVG, HTML, PDF, …) is only ever downloaded.
INLINE_CONTENT_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"}


def serve_upload(request, path):
    """A file under MEDIA_ROOT that a browser never treats as a page of this site."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    # Even a file that slips through is a sandboxed document with no script, style or frame.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in INLINE_CONTENT_TYPES:
        response["Content-Disposition"] = "attachment"
    return response
