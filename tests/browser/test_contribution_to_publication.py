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

import tempfile
from pathlib import Path

import pytest
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
from tests.browser.steps import (
    CONTRIBUTOR_EMAIL,
    CREDITS,
    FIRST_PARAGRAPH,
    TITLE,
    approve_and_publish,
    approve_in_editor,
    approve_on_dashboard,
    current_stage,
    fill_credits_and_save,
    log_in,
    small_png,
    submit_on_public_form,
)

pytestmark = pytest.mark.browser


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
