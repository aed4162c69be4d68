"""In a real browser, against the real processes (the site, a django-q2 cluster, the WeChat sandbox:
tests/browser/journey.py): a student contributes with two images and picks the second as cover, reads the
status link on the thanks page and in the receipt the worker sends, is sent back by the department head in the
admin, and revises from the status link (A6.2.5): a form refused by the CSRF check (cookies dropped) explains
itself and gives the text back; sent again, Chromium posts the revision with the site's Origin and it is
accepted, and the review resumes at the stage that sent it back.

The student's browser asks for Chinese in one run and for English in the other: every screen and both e-mails
read in that language (the admin stays in the head's Chinese).

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
from tests.browser.steps import (
    CONTRIBUTOR_EMAIL,
    TEXT,
    TITLE,
    current_stage,
    leave_editor,
    log_in,
    open_action_menu,
    wait_for_url,
)
from tests.live_processes import poll

pytestmark = pytest.mark.browser

REVISED_TEXT = "4月18日，瑞安学院第十届春季田径运动会开幕。\n\n共有六百余名运动员参加 a<b 且 x>y 的比赛。"
SEND_BACK_COMMENT = "第二段人数有误，请核实后修改。"
# Screenshots of each screen, to look at after a run.
SHOTS = Path(tempfile.gettempdir()) / "shots"
# What the student reads, by the language their browser asks for.
READS = {
    "zh-CN": {
        "image": "投稿图片 {n}",
        "thanks": "专用链接",
        "thanks_again": "电子邮件",
        "receipt": "已收到稿件",
        "sent_back_mail": "在“科室负责人审核”环节被退回修改",
        "sent_back": "已退回修改",
        "refused": "表单未能提交",
        "cookie": "Cookie",
        "submit": "提交修改",
        "revised": "修改后的稿件已重新送审",
    },
    "en-US": {
        "image": "Contributed image {n}",
        "thanks": "private link",
        "thanks_again": "e-mail",
        "receipt": "Received:",
        "sent_back_mail": "was sent back for revision at the department head review stage",
        "sent_back": "Sent back for revision",
        "refused": "The form could not be sent",
        "cookie": "cookie",
        "submit": "Send the revision",
        "revised": "your revision was sent back to review",
    },
}


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


def contribute_with_cover(page, department, pictures, cover, reads, language):
    """Fill the public form with `pictures`, pick the `cover`-th as cover and submit; on the thanks page."""
    form = fill_public_form(page, department)
    form.locator('input[type="file"][name="images"]').set_input_files(pictures)
    # The choices name the files just chosen, and offer no position past them.
    cover_select = form.locator('select[name="cover"]')
    chosen = Path(pictures[cover - 1]).name
    assert cover_select.locator(f'option[value="{cover}"]').text_content() == reads["image"].format(n=cover) + (
        f" · {chosen}"
    )
    assert cover_select.locator("option:not([hidden])").count() == len(pictures)
    cover_select.select_option(str(cover))
    shot(page, f"{language}-0-form")
    form.locator('button[type="submit"]').click()
    wait_for_url(page, re.compile(r"/contribute/thanks/$"), "submitting the public form")


def contribution_linked(text, journey):
    """The contribution whose status link (on the journey's site) `text` carries; links are signed afresh each
    time, so two links to one contribution differ."""
    match = re.search(rf"{re.escape(journey.url)}/contribute/status/([^/\s]+)/", text)
    return Contribution.for_token(match.group(1)) if match else None


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


@pytest.mark.parametrize("language", ["zh-CN", "en-US"])
def test_student_picks_a_cover_is_sent_back_and_revises_from_the_status_link(
    people, journey, journey_context, tmp_path, language
):
    reads = READS[language]

    # 1. The student contributes two images and picks the second as cover (A6: WeChat needs a cover).
    student = journey_context(locale=language)
    public = student.new_page()
    contribute_with_cover(public, people["dept_a"], two_pictures(tmp_path), 2, reads, language)
    article = ArticlePage.objects.get(title=TITLE)
    image_ids = [block.value["image"].pk for block in article.body if block.block_type == "image"]
    assert len(image_ids) == 2
    assert article.cover_image_id == image_ids[1]

    # 2. The thanks page shows the private status link, once; the worker mails it too, in the form's language.
    link = public.locator("[data-status-link] a")
    status_url = link.get_attribute("href")
    token = re.fullmatch(rf"{re.escape(journey.url)}/contribute/status/([^/]+)/", status_url).group(1)
    assert Contribution.for_token(token) == article.contribution
    assert reads["thanks"] in public.locator("[data-status-link]").inner_text()
    shot(public, f"{language}-1-thanks")
    public.reload()
    assert public.locator("[data-status-link]").count() == 0
    assert reads["thanks_again"] in public.locator("main").inner_text()
    ((subject, text),) = journey.read_mails(CONTRIBUTOR_EMAIL)
    assert subject.startswith(reads["receipt"]) and TITLE in subject
    assert contribution_linked(text, journey) == article.contribution

    # 3. The department head requests changes with a reason, in the admin (in Chinese).
    send_back_in_editor(log_in(journey_context(), "head_a"), article, "content_mismatch", SEND_BACK_COMMENT)
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert SendBack.objects.get(page=article).comment == SEND_BACK_COMMENT
    _receipt, (subject, text) = journey.read_mails(CONTRIBUTOR_EMAIL, count=2)
    assert reads["sent_back_mail"] in text and SEND_BACK_COMMENT in text
    assert contribution_linked(text, journey) == article.contribution

    # 4. The student opens the status link and reads why; the page stays open so long that the browser
    #    drops its cookies: the refused form says so in their language and gives the text back (nothing saved).
    public.goto(status_url)
    status_text = public.locator("main").inner_text()
    assert reads["sent_back"] in status_text and SEND_BACK_COMMENT in status_text
    public.locator('textarea[name="text"]').fill(REVISED_TEXT)
    revisions = article.revisions.count()
    student.clear_cookies()
    with public.expect_response(lambda response: response.request.method == "POST") as refused:
        public.locator("form.contribution button[type='submit']").click()
    assert refused.value.status == 403
    public.locator("[data-csrf-failure]").wait_for()
    shot(public, f"{language}-2-refused")
    assert reads["refused"] in public.locator("h1").inner_text()
    assert reads["cookie"] in public.locator("[data-csrf-failure]").inner_text()
    assert public.locator("textarea[data-typed]").nth(1).input_value() == REVISED_TEXT
    assert article.revisions.count() == revisions

    # 5. Back to the form: the student pastes the text again and sends the revision.
    public.locator("a[data-back]").click()
    wait_for_url(public, status_url, "opening the revise form again")
    assert public.locator('select[name="cover"] option:checked').inner_text() == reads["image"].format(n=2)
    public.locator('textarea[name="text"]').fill(REVISED_TEXT)
    shot(public, f"{language}-3-revise")
    submit = public.locator("form.contribution button[type='submit']")
    assert submit.inner_text() == reads["submit"]
    with public.expect_request(lambda request: request.method == "POST") as posted:
        submit.click()
    wait_for_url(public, re.compile(r"\?revised=1$"), "sending the revision")
    shot(public, f"{language}-4-revised")

    # Accepted: Chromium sent the site's own origin, not "null".
    assert posted.value.header_value("origin") == journey.url
    assert reads["revised"] in public.locator("main").inner_text()

    # 6. The review resumes at the stage that sent it back: the department head (A6.2.5, A6.2.4).
    assert poll(lambda: current_stage(article) is DepartmentHeadTask, 10)
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    draft = article.get_latest_revision_as_object()
    paragraphs = [block.value.source for block in draft.body if block.block_type == "paragraph"]
    assert paragraphs[1] == "<p>共有六百余名运动员参加 a&lt;b 且 x&gt;y 的比赛。</p>"
    assert draft.cover_image_id == image_ids[1]
    assert not journey.server_errors()
