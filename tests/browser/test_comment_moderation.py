"""Comment moderation in Chromium (A13, zh-hans): nothing is ticked beforehand, so a click on a harmless follower's
comment blacklists nobody and says why nothing happened; the office then deletes an illegal comment alone."""
# ruff: noqa: F811 - the fixtures imported from comment_fixtures are named as parameters

import pytest
from playwright.sync_api import expect

from tests.browser.steps import SHOTS, log_in
from tests.wechat_channel.followers.comment_fixtures import (  # noqa: F401 - fixtures
    FOLLOWERS,
    blacklisted,
    channel,
    listed,
    published,
    seed,
)
from tests.wechat_channel.followers.comment_fixtures import account as sandbox_account  # noqa: F401 - fixture
from wechat_channel import comments
from wechat_channel.models import ArticleComment, CommentIncident

pytestmark = pytest.mark.browser


@pytest.fixture
def account(sandbox_account):
    """The sandbox's account, pushing only the push built by hand: with the live server's commits, publishing the
    articles would otherwise plan them a second time."""
    sandbox_account.push_approved = False
    sandbox_account.save(update_fields=["push_approved"])
    return sandbox_account


@pytest.fixture
def fetched(sandbox, published, account):
    """A harmless comment on the first article, an illegal one on the second, fetched from the sandbox."""
    seed(sandbox, published, 0, "写得好，为运动员们点赞")
    seed(sandbox, published, 1, "代考办证找我", openid=FOLLOWERS[3])
    comments.fetch(account)
    return {comment.content: comment for comment in ArticleComment.objects.all()}


def test_nothing_is_ticked_a_bare_click_says_so_and_a_delete_alone_blacklists_nobody(
    fetched, account, sandbox, published, open_context, server_errors
):
    page = log_in(open_context(viewport={"width": 1366, "height": 900}), "office")
    page.goto(f"/admin/wechat/comments/?account={account.pk}")
    boxes = page.locator('[data-moderate-form] input[type="checkbox"]')
    expect(boxes).to_have_count(4)
    for box in boxes.all():
        expect(box).not_to_be_checked()
    page.screenshot(path=f"{SHOTS}/comments-nothing-ticked-zh.png", full_page=True)

    harmless = page.locator(f'[data-comment="{fetched["写得好，为运动员们点赞"].pk}"]')
    harmless.get_by_role("button", name="执行勾选的操作").click()

    expect(page.locator(".messages .error")).to_contain_text("请选择删除留言、拉黑作者，或两者都做。")
    page.screenshot(path=f"{SHOTS}/comments-nothing-ticked-refused-zh.png", full_page=True)
    assert not CommentIncident.objects.exists()
    assert blacklisted(sandbox) == [] and listed(sandbox, published, 0)["total"] == 1

    illegal = page.locator(f'[data-comment="{fetched["代考办证找我"].pk}"]')
    illegal.get_by_label("删除留言").check()
    illegal.get_by_role("button", name="执行勾选的操作").click()

    expect(page.locator(".messages .success")).to_contain_text("已记录")
    expect(page.locator(f'[data-comment="{fetched["代考办证找我"].pk}"]')).to_have_attribute("data-state", "deleted")
    assert CommentIncident.objects.get().action == CommentIncident.Action.DELETED
    assert listed(sandbox, published, 1)["total"] == 0
    assert blacklisted(sandbox) == []  # the author was not chosen for the blacklist, so stays a follower
    page.screenshot(path=f"{SHOTS}/comments-deleted-only-zh.png", full_page=True)
    assert not server_errors
