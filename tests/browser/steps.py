"""What people do in the admin and on the public pages, as steps the browser tests share: log in, wait for a page,
submit on the public form, approve at each stage, publish. Selectors are field names, data attributes and URLs,
never the (Chinese) labels; every wait is on a URL or an element, never a sleep."""

import io
import re
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from wagtail.images import get_image_model
from wagtail.users.models import UserProfile

from cms.review.forms import CHECKLIST_KEYS
from tests.factories import make_article
from tests.live_processes import poll
from tests.publishing import publish_approved
from wechat_channel.models import PushItem

SHOTS = "/tmp/shots"  # noqa: S108 - screenshots for people to look at, as the project's browser tests do
PUSH_SECONDS = 60  # from office approval to the URL on the site; seconds in practice (the deadline is generous)

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


def speak(username, language):
    from django.contrib.auth import get_user_model

    profile = UserProfile.get_for_user(get_user_model().objects.get(username=username))
    profile.preferred_language = language
    profile.save()


def cover_image():
    """One photograph (JPEG) both articles use as their cover, so the second reuses the remembered media id."""
    buffer = io.BytesIO()
    Image.new("RGB", (360, 200), (200, 60, 30)).save(buffer, "JPEG")
    return get_image_model().objects.create(title="运动会封面", file=ImageFile(buffer, name="sports-day-cover.jpg"))


def approved(site_tree, people, title, cover):
    """An article with complete credits (A6.3.2) and the cover, approved by the office: live, so it is planned."""
    page = make_article(site_tree[1], department=people["dept_a"], title=title, cover_image=cover)
    return publish_approved(page)


def pushed(journey, article):
    """The article's push item once it carries its WeChat URL (the sandbox's PUBLISHJOBFINISH brought it)."""
    item = poll(
        lambda: PushItem.objects.filter(page=article).exclude(wechat_url="").select_related("push").first(),
        PUSH_SECONDS,
        every=0.2,
    )
    if item is None:
        items = list(PushItem.objects.filter(page=article).select_related("push"))
        states = [(i.state, i.push.state, i.push.error_message) for i in items]
        pytest.fail(f"{article.title}: no WeChat URL; {states}\n{journey.worker.log_tail()}", pytrace=False)
    return item
