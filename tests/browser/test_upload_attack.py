"""Security issue, hole 1, as it was found: a visitor uploads a GIF with a script appended, named
`notice.html`, through the public form; a signed-in channel administrator opens its address in
Chromium. It must be shown as the image it is: no page of this site, no script, nothing changed.
"""

import io
import re
import tempfile
from pathlib import Path

import pytest
from django.test.testcases import _MediaFilesHandler
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import PlatformSettings
from tests.browser.steps import log_in, wait_for_url

pytestmark = pytest.mark.browser

# What the attacker's script would do with the administrator's session: mark the page, then change a setting.
SCRIPT = (
    b"<script>document.title='pwned';"
    b"fetch('/admin/settings/cms/platformsettings/1/').then(r=>r.text()).then(t=>{window.__pwned=t.length})"
    b"</script>"
)


def polyglot(directory):
    buffer = io.BytesIO()
    PILImage.new("RGB", (3, 3), (10, 200, 10)).save(buffer, "GIF")
    path = Path(directory) / "notice.html"
    path.write_bytes(buffer.getvalue() + SCRIPT)
    return path


@pytest.fixture
def media_served_by_the_site(media_root, monkeypatch):
    """The live server's own /media/ shortcut is turned off: the site's media view answers, as in the demo."""
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda handler, path: False)
    return media_root


def test_an_uploaded_polyglot_opens_as_an_image_for_a_signed_in_administrator(
    site_tree, people, media_served_by_the_site, open_context, server_errors
):
    notice = PlatformSettings.load().contribution_notice

    # A visitor's form fails on the server (a student number with a "!"), so the upload is only held.
    visitor = open_context().new_page()
    visitor.goto("/contribute/")
    form = visitor.locator("form.contribution")
    form.locator('input[name="title"]').fill("通知")
    form.locator('textarea[name="text"]').fill("见附件。")
    form.locator('input[type="file"][name="images"]').set_input_files(str(polyglot(tempfile.mkdtemp())))
    form.locator('input[name="name"]').fill("某人")
    form.locator('input[name="number"]').fill("2026!")
    form.locator('select[name="kind"]').select_option("student")
    form.locator('select[name="department"]').select_option(str(people["dept_a"].pk))
    form.locator('input[name="email"]').fill("someone@example.com")
    form.locator('button[type="submit"]').click()
    visitor.locator(".notice-error").first.wait_for()

    held = get_image_model().objects.get()
    assert re.fullmatch(r"original_images/[0-9a-f]{32}\.gif", held.file.name), held.file.name
    assert "notice" not in held.title

    admin = log_in(open_context(), "channel")
    response = admin.goto(held.file.url)
    wait_for_url(admin, re.compile(re.escape(held.file.url) + "$"), "opening the uploaded file")

    assert response.headers["content-type"] == "image/gif"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert admin.evaluate("document.contentType") == "image/gif"
    assert admin.title() != "pwned"
    assert admin.evaluate("window.__pwned === undefined")
    assert admin.locator("img").count() == 1  # Chromium's image viewer, not a page
    assert PlatformSettings.load().contribution_notice == notice
    assert not server_errors
