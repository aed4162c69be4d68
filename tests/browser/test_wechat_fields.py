"""The office gives an approved article with no cover a cover, in Chromium, without a new review (issue 11 item 3).

The article was approved before the checklist asked for a cover; its planned push would fail "没有封面图".
The office editor opens the article's WeChat settings from the editor's header, sees why WeChat would refuse
it, picks a cover through Wagtail's image chooser and saves: the page says it is ready and that the planned
push will use the new cover; no review is re-opened.
"""

import io
import re
import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, PageLogEntry, WorkflowState

from cms.models import ArticlePage, ProviderKind
from cms.review.actions import perform
from cms.review.forms import CHECKLIST_KEYS
from cms.wechat_fields.audit import CHANGE
from tests.browser.steps import log_in, wait_for_url
from tests.factories import make_article
from wechat_channel.adapters import wechat_problems
from wechat_channel.models import Push, PushItem, WeChatAccount

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "shots"  # looked at by people; not asserted on


def library_image(title):
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 500), (30, 90, 160)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ContentFile(buffer.getvalue(), name="cover.png"), collection=Collection.get_first_root_node()
    )


def approved_without_cover(index, office):
    """Approved through the office review while no account pushed (so nothing asked for a cover), then planned."""
    page = make_article(index, owner=office, provider_kind=ProviderKind.OFFICE, title="春季运动会闭幕")
    page.get_workflow().start(page, office)
    page.refresh_from_db()
    state = page.current_workflow_task_state.specific
    perform(state.task.specific, state, office, "approve", **{f"check_{key}": True for key in CHECKLIST_KEYS})
    page.refresh_from_db()
    account = WeChatAccount.objects.create(name="学院微信", slug="news", appid="wx0000000000000001")
    push = Push.objects.create(account=account, slot=page.first_published_at.replace(year=2099))
    PushItem.objects.create(push=push, account=account, page=page, title=page.title, planned_by=office)
    return page


def test_the_office_sets_a_missing_cover_and_the_article_is_ready(
    site_tree, people, media_root, open_context, server_errors
):
    article = approved_without_cover(site_tree[1], people["office"])
    cover = library_image("闭幕式合影")
    assert [p.code for p in wechat_problems(article)] == ["no_cover", "digest_default"]
    workflows = WorkflowState.objects.filter(object_id=str(article.pk)).count()

    office = log_in(open_context(), "office")
    office.goto(f"/admin/pages/{article.pk}/edit/")
    office.screenshot(path=SHOTS / "wechat-ready-fields-editor.png", full_page=True)
    link = f'a[href="/admin/articles/{article.pk}/wechat/"]'
    # The header's "…" actions (Wagtail mounts the dropdown's links only once it is opened).
    office.locator(
        "header.w-slim-header [data-controller~='w-dropdown'] [data-w-dropdown-target='toggle']"
    ).first.click()
    shown = office.locator(f"{link} >> visible=true").first
    assert shown.inner_text().strip() == "微信设置"
    shown.click()
    wait_for_url(office, re.compile(rf"/admin/articles/{article.pk}/wechat/$"), "opening the WeChat settings")
    problems = office.locator("[data-wechat-problems]")
    assert "没有封面图" in problems.inner_text()
    assert "尚未开始" in office.locator("[data-wechat-pushes]").inner_text()
    office.screenshot(path=SHOTS / "wechat-ready-fields-before.png", full_page=True)

    form = office.locator("[data-wechat-fields-form]")
    form.locator("[data-chooser-action-choose]").first.click()
    choice = office.locator(".modal-content").get_by_text("闭幕式合影").first
    choice.click()
    office.locator(".modal-content").wait_for(state="hidden")
    assert "闭幕式合影" in form.locator("[data-chooser-title]").first.inner_text()
    form.locator('textarea[name="digest"]').fill("春季运动会今天闭幕，各系选手合影留念。")
    form.locator('button[name="save"]').click()

    office.locator("[data-wechat-ready]").wait_for()
    assert "微信设置已保存，无需重新审核" in office.locator(".messages").inner_text()
    assert "可以推送到微信" in office.locator("[data-wechat-ready]").inner_text()
    assert office.locator("[data-wechat-problems]").count() == 0
    office.screenshot(path=SHOTS / "wechat-ready-fields-after.png", full_page=True)

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.cover_image == cover
    assert wechat_problems(article) == []
    assert WorkflowState.objects.filter(object_id=str(article.pk)).count() == workflows  # no new review
    assert PageLogEntry.objects.filter(page=article, action=CHANGE.code, user=people["office"]).exists()

    office.goto(f"/admin/pages/{article.pk}/history/")
    assert "封面图：— → 闭幕式合影" in office.locator("main").inner_text()
    office.screenshot(path=SHOTS / "wechat-ready-fields-history.png", full_page=True)
    assert server_errors == []
