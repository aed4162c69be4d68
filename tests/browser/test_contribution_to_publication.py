"""End to end in a real browser: a contributor submits on the public form, each reviewer
approves in the Wagtail admin, and the article is live on the site (A6.1, A6.2, A6.3).

Each person has their own browser context (own cookies, own login). Selectors are
field names, data attributes and URLs, never the (Chinese) labels; every wait is on
a URL or an element, never a sleep. The three review stages go through the three
doors a reviewer really uses:

- department head: the edit view's action menu, "Approve" (no modal);
- supervising leader: the dashboard's "Awaiting your review" panel, "Approve";
- office: fills the credits in the editor and saves a draft, then "Approve and
  publish" from the action menu, which opens the A6.2 checklist modal.
"""

import re
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cms.models import (
    ArticlePage,
    Contribution,
    DepartmentHeadTask,
    OfficeReviewTask,
    OfficeReviewTaskState,
    ProviderKind,
    SupervisingLeaderTask,
)
from cms.review.forms import CHECKLIST_KEYS

pytestmark = pytest.mark.browser

TITLE = "瑞安学院举办春季田径运动会"
FIRST_PARAGRAPH = "4月18日，瑞安学院第十届春季田径运动会在学院田径场开幕。"
TEXT = FIRST_PARAGRAPH + "\n\n来自各系的六百余名运动员参加了二十个项目的角逐。"
CONTRIBUTOR_EMAIL = "student@example.edu.cn"
CREDITS = {
    "responsible_editor": "王编辑",
    "photographer": "记者团",
    "layout_editor": "王编辑",
    "text_author": "张同学",  # required for personal submissions (A6.3.2)
}


def small_png(directory):
    path = Path(directory) / "sports-day.png"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(path, format="PNG")
    return path


def wait_for_url(page, url, doing):
    """page.wait_for_url, but a timeout says where the browser ended up and what the page said."""
    try:
        page.wait_for_url(url)
        return
    except PlaywrightTimeoutError:
        pass
    said = page.locator(".messages, .error-message, .errorlist, .help-critical, main, body").first.inner_text()
    pytest.fail(f"{doing}: stuck at {page.url}; the page says:\n{said[:1500]}", pytrace=False)


def log_in(context, username):
    """A page of `context`, logged in to the admin as `username`, on the dashboard."""
    page = context.new_page()
    page.goto("/admin/login/")
    form = page.locator("form.login-form")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill("pw")
    form.locator('button[type="submit"]').click()
    wait_for_url(page, re.compile(r"/admin/$"), f"logging in as {username}")
    return page


def open_action_menu(page):
    """Open the edit view's footer action menu (the arrow next to the default "Save draft")."""
    page.locator('footer .w-dropdown-button [data-w-dropdown-target="toggle"]').click()
    return page.locator("footer .w-dropdown-button .w-dropdown__content")


def leave_editor(page, article, doing):
    """Wait until Wagtail has redirected away from the editor after a workflow action, and said so."""
    wait_for_url(page, lambda url: not url.endswith(f"/admin/pages/{article.pk}/edit/"), doing)
    page.locator(".messages .success").first.wait_for()


def current_stage(article):
    article.refresh_from_db()
    state = article.current_workflow_task_state
    return type(state.task.specific) if state else None


def submit_on_public_form(page, department, image):
    page.goto("/contribute/")
    form = page.locator("form.contribution")
    form.locator('input[name="title"]').fill(TITLE)
    form.locator('textarea[name="text"]').fill(TEXT)
    form.locator('input[type="file"][name="images"]').set_input_files(str(image))
    form.locator('input[name="name"]').fill("张同学")
    form.locator('input[name="number"]').fill("2026000001")
    form.locator('select[name="kind"]').select_option("student")
    form.locator('select[name="department"]').select_option(str(department.pk))
    form.locator('input[name="email"]').fill(CONTRIBUTOR_EMAIL)
    form.locator('input[type="radio"][name="on_behalf_of"][value="self"]').check()
    form.locator('button[type="submit"]').click()
    wait_for_url(page, re.compile(r"/contribute/thanks/$"), "submitting the public form")


def approve_in_editor(page, article):
    """A department-scoped reviewer approves from the edit view's action menu ("Approve", no modal)."""
    page.goto(f"/admin/pages/{article.pk}/edit/")
    menu = open_action_menu(page)
    menu.locator('button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])').click()
    leave_editor(page, article, "approving in the editor")


def approve_on_dashboard(page, article):
    """A reviewer approves from the dashboard's "Awaiting your review" panel ("Approve", no modal)."""
    page.goto("/admin/")
    approve_button = (
        f'button[data-workflow-action-url^="/admin/pages/workflow/action/{article.pk}/approve/"]'
        ":not([data-launch-modal])"
    )
    row = page.locator("#awaiting-review-section tr", has=page.locator(approve_button))
    row.locator('[data-w-dropdown-target="toggle"]').click()
    with page.expect_navigation():
        row.locator(approve_button).click()
    wait_for_url(page, re.compile(r"/admin/$"), "approving on the dashboard")
    # Back on the dashboard, the article no longer awaits this reviewer.
    page.locator(approve_button).wait_for(state="detached")


def fill_credits_and_save(page, article):
    """The office completes the credits (A6.3.2) in the editor and saves a draft."""
    page.goto(f"/admin/pages/{article.pk}/edit/")
    form = page.locator("form#page-edit-form")
    for name, value in CREDITS.items():
        form.locator(f'input[name="{name}"]').fill(value)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/admin/pages/{article.pk}/edit/")
    ):
        form.locator("footer button.action-save").click()
    wait_for_url(page, re.compile(rf"/admin/pages/{article.pk}/edit/$"), "saving the credits")
    page.locator(".messages .success").wait_for()


def approve_and_publish(page, article):
    """The office's "Approve and publish": the A6.2 checklist modal, every item ticked, a comment."""
    menu = open_action_menu(page)
    menu.locator('button[data-workflow-action-name="approve"][data-workflow-action-modal-url]').click()
    modal = page.locator(".modal-content form[data-newsroom-office-approval]")
    modal.wait_for()
    for key in CHECKLIST_KEYS:
        modal.locator(f'input[type="checkbox"][name="check_{key}"]').check()
    modal.locator('textarea[name="comment"]').fill("内容属实，同意发布。")
    modal.locator('button[type="submit"]').click()
    leave_editor(page, article, "approving and publishing at office review")


def test_contribution_is_reviewed_by_each_stage_and_published(
    site_tree, people, media_root, open_context, mailoutbox, server_errors
):
    work_dir = Path(tempfile.mkdtemp(prefix="newsroom-browser-"))

    # 1. A student submits on the public form, without an account.
    public = open_context().new_page()
    submit_on_public_form(public, people["dept_a"], small_png(work_dir))

    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.provider_kind == ProviderKind.STUDENT
    assert article.department == people["dept_a"]
    assert Contribution.objects.filter(page=article, on_behalf_of="self", email=CONTRIBUTOR_EMAIL).exists()
    assert any(CONTRIBUTOR_EMAIL in message.to for message in mailoutbox)  # the receipt with the status link
    assert current_stage(article) is DepartmentHeadTask

    # 2. The department head approves in the editor.
    approve_in_editor(log_in(open_context(), "head_a"), article)
    assert current_stage(article) is SupervisingLeaderTask

    # 3. The supervising leader approves from the dashboard.
    approve_on_dashboard(log_in(open_context(), "leader_a"), article)
    assert current_stage(article) is OfficeReviewTask

    # 4. The office completes the credits, saves, then approves with the whole checklist.
    office = log_in(open_context(), "office")
    fill_credits_and_save(office, article)
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().missing_publication_details() == []
    approve_and_publish(office, article)

    article.refresh_from_db()
    assert article.live
    assert article.current_workflow_state is None
    # Simply live: no stray revision saved after the publish (autosave, the modal's save).
    assert not article.has_unpublished_changes
    assert article.latest_revision_id == article.live_revision_id
    office_review = OfficeReviewTaskState.objects.get(workflow_state__object_id=str(article.pk), status="approved")
    assert office_review.checklist == CHECKLIST_KEYS
    assert {name: getattr(article, name) for name in CREDITS} == CREDITS

    # 5. Anyone can read it on the site: title, text, the uploaded image and the credits.
    public.goto(article.url)
    expect(public.locator("article h1")).to_have_text(TITLE)
    expect(public.locator(".article-body")).to_contain_text(FIRST_PARAGRAPH)
    image = public.locator(".article-body img")
    expect(image).to_have_count(1)
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    expect(public.locator("dl.credits")).to_contain_text(CREDITS["text_author"])
    screenshot = work_dir / "published-article.png"
    public.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot of the published article: {screenshot}")
    assert server_errors == []
