"""In a real browser: a student contributes with two images and picks the second as cover, reads the
status link on the thanks page, is sent back by the department head in the admin, and revises from the
status link (A6.2.5): a form refused by the CSRF check (cookies dropped) explains itself and gives the
text back; sent again, Chromium posts the revision with the site's Origin and it is accepted.

The status page used to send `Referrer-Policy: no-referrer`, under which Chromium posts `Origin: null`
and Django's CSRF check refused 提交修改 with a 403; the test client sends no Origin and never saw it.
"""

import re
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from wagtail.models import WorkflowState

from cms.models import ArticlePage, Contribution, DepartmentHeadTask, SendBack
from tests.browser.test_contribution_to_publication import (
    CONTRIBUTOR_EMAIL,
    TEXT,
    TITLE,
    current_stage,
    leave_editor,
    log_in,
    open_action_menu,
    wait_for_url,
)

pytestmark = pytest.mark.browser

REVISED_TEXT = "4月18日，瑞安学院第十届春季田径运动会开幕。\n\n共有六百余名运动员参加 a<b 且 x>y 的比赛。"
SEND_BACK_COMMENT = "第二段人数有误，请核实后修改。"
# Screenshots of each screen, to look at after a run.
SHOTS = Path(tempfile.gettempdir()) / "shots"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"contributor-{name}.png"), full_page=True)


def two_pictures(directory):
    paths = []
    for name, colour in [("track.png", (200, 40, 40)), ("podium.png", (40, 40, 200))]:
        path = Path(directory) / name
        Image.new("RGB", (64, 48), colour).save(path, format="PNG")
        paths.append(str(path))
    return paths


def fill_public_form(page, department, text=TEXT):
    """Open the public form and fill in everything a student types; returns the form."""
    page.goto("/contribute/")
    form = page.locator("form.contribution")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="text"]').fill(text)
    form.locator('input[name="name"]').fill("张同学")
    form.locator('input[name="number"]').fill("2026000001")
    form.locator('select[name="kind"]').select_option("student")
    form.locator('select[name="department"]').select_option(str(department.pk))
    form.locator('input[name="email"]').fill(CONTRIBUTOR_EMAIL)
    form.locator('input[type="radio"][name="on_behalf_of"][value="self"]').check()
    return form


def contribute_with_cover(page, department, pictures, cover):
    """Fill the public form with `pictures`, pick the `cover`-th as cover and submit; on the thanks page."""
    form = fill_public_form(page, department)
    form.locator('input[type="file"][name="images"]').set_input_files(pictures)
    # The choices name the files just chosen, and offer no position past them.
    cover_select = form.locator('select[name="cover"]')
    chosen = Path(pictures[cover - 1]).name
    assert cover_select.locator(f'option[value="{cover}"]').text_content() == f"投稿图片 {cover} · {chosen}"
    assert cover_select.locator("option:not([hidden])").count() == len(pictures)
    cover_select.select_option(str(cover))
    shot(page, "0-form")
    form.locator('button[type="submit"]').click()
    wait_for_url(page, re.compile(r"/contribute/thanks/$"), "submitting the public form")


def send_back_in_editor(page, article, reason, comment):
    """A reviewer's "Request changes" from the edit view's action menu: the modal asks reason and comment."""
    page.goto(f"/admin/pages/{article.pk}/edit/")
    menu = open_action_menu(page)
    menu.locator('button[data-workflow-action-name="reject"][data-workflow-action-modal-url]').click()
    modal = page.locator(".modal-content form")
    modal.locator('select[name="reason"]').wait_for()
    modal.locator('select[name="reason"]').select_option(reason)
    modal.locator('textarea[name="comment"]').fill(comment)
    modal.locator('button[type="submit"]').click()
    leave_editor(page, article, "sending back in the editor")


def test_student_picks_a_cover_is_sent_back_and_revises_from_the_status_link(
    site_tree, people, media_root, open_context, mailoutbox, server_errors, live_server
):
    work_dir = Path(tempfile.mkdtemp(prefix="newsroom-browser-"))

    # 1. The student contributes two images and picks the second as cover (A6: WeChat needs a cover).
    student = open_context()
    public = student.new_page()
    contribute_with_cover(public, people["dept_a"], two_pictures(work_dir), cover=2)
    article = ArticlePage.objects.get(title=TITLE)
    image_ids = [block.value["image"].pk for block in article.body if block.block_type == "image"]
    assert len(image_ids) == 2
    assert article.cover_image_id == image_ids[1]

    # 2. The thanks page shows the private status link, once.
    link = public.locator("[data-status-link] a")
    status_url = link.get_attribute("href")
    token = re.fullmatch(rf"{re.escape(live_server.url)}/contribute/status/([^/]+)/", status_url).group(1)
    assert Contribution.for_token(token) == article.contribution
    assert "专用链接" in public.locator("[data-status-link]").inner_text()
    shot(public, "1-thanks")
    public.reload()
    assert public.locator("[data-status-link]").count() == 0
    assert "电子邮件" in public.locator("main").inner_text()

    # 3. The department head requests changes with a reason, in the admin.
    send_back_in_editor(log_in(open_context(), "head_a"), article, "content_mismatch", SEND_BACK_COMMENT)
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert SendBack.objects.get(page=article).comment == SEND_BACK_COMMENT

    # 4. The student opens the status link and reads why; the page stays open so long that the browser
    #    drops its cookies: the refused form says so in Chinese and gives the text back (nothing saved).
    public.goto(status_url)
    status_text = public.locator("main").inner_text()
    assert "已退回修改" in status_text and SEND_BACK_COMMENT in status_text
    public.locator('textarea[name="text"]').fill(REVISED_TEXT)
    revisions = article.revisions.count()
    student.clear_cookies()
    with public.expect_response(lambda response: response.request.method == "POST") as refused:
        public.locator("form.contribution button[type='submit']").click()
    assert refused.value.status == 403
    public.locator("[data-csrf-failure]").wait_for()
    shot(public, "2-refused")
    assert "表单未能提交" in public.locator("h1").inner_text()
    assert "Cookie" in public.locator("[data-csrf-failure]").inner_text()
    assert public.locator("textarea[data-typed]").nth(1).input_value() == REVISED_TEXT
    assert article.revisions.count() == revisions

    # 5. Back to the form: the student pastes the text again and clicks 提交修改.
    public.locator("a[data-back]").click()
    wait_for_url(public, status_url, "opening the revise form again")
    assert public.locator('select[name="cover"] option:checked').inner_text() == "投稿图片 2"
    public.locator('textarea[name="text"]').fill(REVISED_TEXT)
    shot(public, "3-revise")
    submit = public.locator("form.contribution button[type='submit']")
    assert submit.inner_text() == "提交修改"
    with public.expect_request(lambda request: request.method == "POST") as posted:
        submit.click()
    wait_for_url(public, re.compile(r"\?revised=1$"), "sending the revision")
    shot(public, "4-revised")

    # Accepted: Chromium sent the site's own origin, not "null".
    assert posted.value.header_value("origin") == live_server.url
    assert "修改后的稿件已重新送审" in public.locator("main").inner_text()
    assert not server_errors

    # 6. The review resumes at the stage that sent it back: the department head (A6.2.5, A6.2.4).
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert current_stage(article) is DepartmentHeadTask
    draft = article.get_latest_revision_as_object()
    paragraphs = [block.value.source for block in draft.body if block.block_type == "paragraph"]
    assert paragraphs[1] == "<p>共有六百余名运动员参加 a&lt;b 且 x&gt;y 的比赛。</p>"
    assert draft.cover_image_id == image_ids[1]
