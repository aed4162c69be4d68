"""The weekly plan in Chromium (A12): drag an article to another push, a refused move shown in place, the keyboard.

The week of Monday 7 December 2026 (the site's clock is set to the Sunday before). Monday and Tuesday have a push
at 16:00 each; 丙 reached the office on Monday at 10:00, so the lead time (A16, 12 h) keeps it off Monday.
"""

import datetime
import time
import zoneinfo

import pytest
from playwright.sync_api import expect
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from tests.browser.steps import SHOTS, log_in, speak, wait_for_url
from tests.factories import make_article
from tests.wechat_channel.admin_factories import WEEK, at, make_account, make_push
from tests.wechat_channel.delivery import planning_adapter
from wechat_channel.models import Push, PushItem

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("clock_before_plan_week")]
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DEADLINE = 15  # seconds for a change to reach the database


@pytest.fixture
def week(site_tree, people, media_root, settings):
    """An account with Monday's push (甲, 乙) and Tuesday's (丙, late for Monday), every article with a cover."""
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.planning_adapter.ArticlePlanningAdapter"}
    }
    planning_adapter.ENTERED.clear()
    account = make_account()

    def article(title, entered):
        cover = Image.objects.create(title=f"{title} 封面", file=get_test_image_file())
        page = make_article(site_tree[1], department=people["dept_a"], title=title, cover_image=cover)
        planning_adapter.ENTERED[page.pk] = entered
        return page

    monday = make_push(
        account, at(0, 16), titles=("甲", "乙"), pages=[article("甲", at(-3, 9)), article("乙", at(-3, 9))]
    )
    tuesday = make_push(account, at(1, 16), titles=("丙",), pages=[article("丙", at(0, 10))])
    return {"account": account, "monday": monday, "tuesday": tuesday}


def open_plan(context, week, javascript=True):
    page = log_in(context, "office")
    page.goto(f"/admin/wechat/plan/?week={WEEK}&account={week['account'].pk}")
    expect(page.locator("[data-plan-board]")).to_be_visible()
    if javascript:
        page.evaluate("window.loadedOnce = true")  # gone if the page reloads
    return page


def card(page, title):
    return page.locator("[data-item]", has=page.locator(".plan-item__title", has_text=title))


def drag(page, title, target):
    """Drag the article by its title, as a person grabs a card (its middle may be the "Move to" list)."""
    card(page, title).locator(".plan-item__title").drag_to(target)


def push_of(title):
    return PushItem.objects.select_related("push").get(title=title).push


def until(check, doing):
    """Poll the database until `check()` is true, or fail saying what did not happen."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    pytest.fail(f"{doing}: not seen in the database within {DEADLINE} s", pytrace=False)


def test_an_article_dragged_to_another_push_moves_there(week, open_context, server_errors):
    page = open_plan(open_context(viewport={"width": 1400, "height": 900}), week)
    page.screenshot(path=f"{SHOTS}/plan-week-board-zh.png", full_page=True)

    drag(page, "乙", page.locator(f'[data-push="{week["tuesday"].pk}"]'))

    tuesday = page.locator(f'[data-push="{week["tuesday"].pk}"]')
    expect(tuesday.locator(".plan-item__title", has_text="乙")).to_be_visible()
    until(lambda: push_of("乙").pk == week["tuesday"].pk, "乙 moved to Tuesday")
    assert page.evaluate("window.loadedOnce") is True  # the board changed in place, no reload
    assert "乙" not in page.locator(f'[data-push="{week["monday"].pk}"]').inner_text()
    assert not server_errors


def test_a_move_the_policy_refuses_is_shown_beside_the_card_and_changes_nothing(week, open_context, server_errors):
    page = open_plan(open_context(viewport={"width": 1400, "height": 900}), week)

    drag(page, "丙", page.locator(f'[data-push="{week["monday"].pk}"]'))

    refusal = card(page, "丙").locator("[data-refusal]")
    expect(refusal).to_be_visible()
    assert "政策不允许" in refusal.inner_text() and "A16" in refusal.inner_text()
    page.screenshot(path=f"{SHOTS}/plan-week-refused-zh.png", full_page=True)
    # Dropped on Monday's column: no time that day is 12 h after 10:00 within the windows.
    drag(page, "丙", page.locator('[data-day="2026-12-07"] .plan-day__header'))
    expect(refusal).to_contain_text("2026-12-07")
    assert push_of("丙").pk == week["tuesday"].pk
    assert Push.objects.exclude(state=Push.State.CANCELLED).count() == 2
    assert week["monday"].items.count() == 2
    assert not server_errors


def test_the_same_move_with_the_keyboard_only(week, open_context, server_errors):
    speak("office", "en")
    page = open_plan(open_context(viewport={"width": 1400, "height": 900}), week)
    moving = card(page, "乙")
    moving.focus()
    choose = moving.locator("[data-move-to]")
    for _press in range(12):  # Tab from the card to its "Move to" list
        if choose.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(choose).to_be_focused()
    wanted = f"push-{week['tuesday'].pk}"
    for _press in range(20):  # arrow keys through the choices, as a keyboard user would
        if choose.input_value() == wanted:
            break
        page.keyboard.press("ArrowDown")
    assert choose.input_value() == wanted
    page.keyboard.press("Tab")
    expect(moving.locator("button", has_text="Move")).to_be_focused()
    page.keyboard.press("Enter")

    until(lambda: push_of("乙").pk == week["tuesday"].pk, "乙 moved to Tuesday with the keyboard")
    expect(
        page.locator(f'[data-push="{week["tuesday"].pk}"]').locator(".plan-item__title", has_text="乙")
    ).to_be_visible()
    expect(card(page, "乙")).to_be_focused()  # focus follows the article to its new place
    assert page.evaluate("window.loadedOnce") is True
    page.screenshot(path=f"{SHOTS}/plan-week-board-en.png", full_page=True)
    assert not server_errors


def test_without_javascript_the_move_form_still_works(week, open_context, server_errors):
    page = open_plan(open_context(java_script_enabled=False), week, javascript=False)
    moving = card(page, "乙")
    moving.locator("[data-move-to]").select_option(f"day-{datetime.date(2026, 12, 9).isoformat()}")
    moving.locator("button", has_text="移动").click()

    wait_for_url(page, lambda url: "/admin/wechat/plan/" in url, "moving without JavaScript")
    until(lambda: push_of("乙").slot.astimezone(TZ) == at(2, 16), "乙 moved to a new push on Wednesday")
    assert not server_errors
