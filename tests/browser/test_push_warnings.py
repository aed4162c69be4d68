"""The planner's weekend warning (A10.3) reads in the reader's language on the board's card and the push page."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import SHOTS, log_in, speak
from tests.wechat_channel.admin_factories import WEEK, at, make_account, make_push
from wechat_channel import slots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock_before_plan_week")]


@pytest.fixture
def weekend_push(site_tree, people, db):
    account = make_account()
    decision = slots.check(slots.policy_for(account), at(5, 10), category="news", entered_office_at=at(4, 8))
    assert [warning["rule"] for warning in decision.warnings] == ["A10.3"]
    return make_push(account, at(5, 10), titles=("周末新闻",), warnings=[dict(w) for w in decision.warnings])


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("zh-hans", "A10.3：周末推送“新闻”类稿件；周末推送的内容主要以轻松、娱乐、励志为主"),
        ("en", "A10.3: a “News” article on a weekend; weekend pushes are mainly Light, Entertainment, Inspirational"),
    ],
)
def test_the_weekend_warning_reads_in_the_readers_language(weekend_push, open_context, server_errors, language, said):
    speak("office", language)
    page = log_in(open_context(viewport={"width": 1400, "height": 900}), "office")
    page.goto(f"/admin/wechat/plan/?week={WEEK}&account={weekend_push.account_id}")
    warnings = page.locator(f'[data-push="{weekend_push.pk}"] [data-push-warnings]')
    expect(warnings).to_be_visible()
    assert warnings.inner_text().strip() == said
    page.screenshot(path=f"{SHOTS}/push-warnings-board-{language}.png", full_page=True)

    page.goto(f"/admin/wechat/pushes/{weekend_push.pk}/")
    assert page.locator("[data-push-warnings]").inner_text().strip() == said
    page.screenshot(path=f"{SHOTS}/push-warnings-push-{language}.png")
    assert not server_errors
