"""The office tries to publish an article without office review, in Chromium: nothing becomes live (A6.3.1),
and nothing reaches WeChat.

The create and edit views offer no "发布"; a request that asks for it anyway (a stale tab, a hand-made
form) is refused with the reason, and so is the explorer's bulk "发布". It runs against the real processes
(tests/browser/journey.py) with a WeChat account that pushes approved articles, so an article that slipped
through would be planned by the worker: once the worker is idle, no push exists.
"""

import re
import tempfile
from pathlib import Path

import pytest

from cms.models import ArticlePage, ProviderKind
from tests.browser.journey import journey_account
from tests.browser.steps import log_in, open_action_menu, wait_for_url
from tests.factories import make_article
from wechat_channel.models import Push

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "shots"
REFUSAL = "稿件须经办公室审核批准后发布"


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"publish-guard-{name}.png"), full_page=True)


def footer_actions(page):
    """The names of the edit form's footer buttons, with the dropdown opened when there is one."""
    page.locator("footer button.action-save").wait_for()
    if page.locator('footer .w-dropdown-button [data-w-dropdown-target="toggle"]').count():
        open_action_menu(page)
    return page.locator("footer button[name]").evaluate_all("buttons => buttons.map(b => b.name)")


def force_publish(page):
    """Submit the edit form as if its "发布" button were there: what a stale tab or a hand-made request sends."""
    page.locator("form#page-edit-form").evaluate(
        """form => {
            const input = document.createElement("input");
            input.type = "hidden"; input.name = "action-publish"; input.value = "action-publish";
            form.appendChild(input);
            form.requestSubmit();
        }"""
    )


def assert_never_live(article):
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.live_revision_id is None and article.first_published_at is None


def refusal_shown(page):
    page.locator(".messages .error").first.wait_for()
    return page.locator(".messages").inner_text()


def test_office_cannot_publish_from_create_edit_or_bulk(site_tree, people, journey, journey_context):
    _home, index = site_tree
    journey_account(journey)
    office = log_in(journey_context(), "office")

    # 1. Create view: only "保存草稿"; asking for "发布" anyway saves a draft and says why.
    office.goto(f"/admin/pages/add/cms/articlepage/{index.pk}/")
    actions = footer_actions(office)
    assert "action-publish" not in actions and "action-submit" not in actions
    assert "发布" not in office.locator("footer").inner_text()
    shot(office, "create-menu")
    form = office.locator("form#page-edit-form")
    form.locator('input[name="title"]').fill("办公室未经审核的稿件")
    form.locator('input[name="slug"]').evaluate("input => { input.value = 'office-unreviewed'; }")  # 推荐 tab
    force_publish(office)
    wait_for_url(office, re.compile(r"/admin/pages/\d+/edit/$"), "publishing from the create view")
    assert REFUSAL in refusal_shown(office)
    shot(office, "create-refused")
    created = ArticlePage.objects.get(title="办公室未经审核的稿件")
    assert_never_live(created)

    # 2. Edit view: no "发布" either; a forced one is refused with the same words.
    actions = footer_actions(office)
    assert "action-publish" not in actions
    shot(office, "edit-menu")
    office.keyboard.press("Escape")
    force_publish(office)
    wait_for_url(office, re.compile(rf"/admin/pages/{created.pk}/edit/$"), "publishing from the edit view")
    assert REFUSAL in refusal_shown(office)
    shot(office, "edit-refused")
    assert_never_live(created)

    # 3. Bulk actions in the explorer: select two articles, "发布", confirm → refused, none live.
    other = make_article(index, owner=people["office"], provider_kind=ProviderKind.OFFICE, title="另一篇草稿")
    office.goto(f"/admin/pages/{index.pk}/")
    for article in (created, other):
        office.locator(f'input[data-bulk-action-checkbox][data-object-id="{article.pk}"]').check()
    office.locator('[data-bulk-action-footer] a[href*="/publish/"]').click()
    wait_for_url(office, re.compile(r"/admin/bulk/.*/publish/"), "opening the bulk publish confirmation")
    shot(office, "bulk-confirm")
    office.locator('main form[action*="/publish/"] button[type="submit"]').click()
    wait_for_url(office, lambda url: "/admin/bulk/" not in url, "confirming the bulk publish")
    assert REFUSAL in refusal_shown(office)
    shot(office, "bulk-refused")
    assert_never_live(created)
    assert_never_live(other)

    # Nowhere on the site either.
    public = journey_context().new_page()
    public.goto(index.url)
    assert "办公室未经审核的稿件" not in public.locator("body").inner_text()
    # Nor on WeChat: the worker has run whatever the attempts set off, and planned nothing.
    assert journey.idle()
    assert not Push.objects.exists()
    assert not journey.server_errors()
