"""The planner's warnings on a push (A10.3...) are stored as codes and parameters and read in the reader's language.

`Push.warnings` holds what the policy said when the push was planned; the push page and the weekly plan board word
each entry for whoever reads it. Rows planned before warnings had parameters hold English text, shown as written;
a garbled entry is left out, never a 500.
"""

import pytest
from wagtail.users.models import UserProfile

from policy_rules.windows import reason_text
from tests.wechat_channel.admin_factories import WEEK, at, make_account, make_push
from tests.wechat_channel.delivery import planning_adapter
from wechat_channel import planning

pytestmark = pytest.mark.usefixtures("clock_before_plan_week")

WEEKEND_NEWS_ZH = "A10.3：周末推送“新闻”类稿件；周末推送的内容主要以轻松、娱乐、励志为主"
WEEKEND_NEWS_EN = "A10.3: a “News” article on a weekend; weekend pushes are mainly Light, Entertainment, Inspirational"


@pytest.fixture
def account(db, settings):
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.planning_adapter.PlanningAdapter"}
    }
    planning_adapter.ENTERED.clear()
    return make_account()


@pytest.fixture
def office(client, people):
    client.force_login(people["office"])
    return client


def speak(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


@pytest.fixture
def weekend_news_push(account, article_factory, people):
    """A news article planned on Saturday 12 December 2026: the policy warns (A10.3) but lets it go."""
    page = article_factory(department=people["dept_a"], category="news")
    planning_adapter.ENTERED[page.pk] = at(4, 8)  # Friday morning: the A16 lead time is long past by Saturday
    item = planning.place_on(account, page, planning.adapter_for(page), now=at(5, 9))
    push = item.push
    assert push.slot.astimezone(at(0, 0).tzinfo).date() == at(5, 0).date()
    return push


def test_the_planner_stores_the_weekend_warning_as_a_code_and_its_parameters(weekend_news_push):
    [warning] = weekend_news_push.warnings
    assert warning["rule"] == "A10.3"
    assert warning["params"]["category"] == "news"
    assert warning["params"]["categories"] == ["light", "entertainment", "inspirational"]


@pytest.mark.parametrize(
    ("language", "said", "not_said"), [("zh-hans", WEEKEND_NEWS_ZH, "weekend"), ("en", WEEKEND_NEWS_EN, "周末")]
)
def test_the_push_page_words_the_warning_in_the_readers_language(
    office, people, weekend_news_push, language, said, not_said
):
    speak(people["office"], language)
    html = office.get(f"/admin/wechat/pushes/{weekend_news_push.pk}/").content.decode()
    warnings = html.split("data-push-warnings>", 1)[1].split("</ul>", 1)[0]
    assert said in warnings
    assert not_said not in warnings.replace(said, "")


@pytest.mark.parametrize(("language", "said"), [("zh-hans", WEEKEND_NEWS_ZH), ("en", WEEKEND_NEWS_EN)])
def test_the_plan_board_shows_the_warning_on_the_push_card(office, people, weekend_news_push, language, said):
    speak(people["office"], language)
    html = office.get("/admin/wechat/plan/", {"week": WEEK}).content.decode()
    card = html.split(f'data-push="{weekend_news_push.pk}"', 1)[1].split("</article>", 1)[0]
    assert said in card.split("data-push-warnings>", 1)[1].split("</ul>", 1)[0]


def test_an_older_warning_holding_english_text_still_reads_as_written(office, account):
    written = "category news on a weekend; weekends favour: light, entertainment, inspirational"
    push = make_push(account, at(5, 10), warnings=[{"rule": "A10.3", "message": written}])
    html = office.get(f"/admin/wechat/pushes/{push.pk}/").content.decode()
    assert written in html


HOSTILE = [
    "a plain string from an older version",
    42,
    None,
    ["nested"],
    {"rule": "A10.3"},
    {"rule": "A10.3", "params": "news"},
    {"rule": "A10.3", "params": {"category": ["news"], "categories": [{"x": 1}]}},
    {"rule": "A10.3", "params": {"category": {"a": 1}}},
    {"rule": "A16", "params": {"lead_hours": "soon", "needed_hours": None}},
    {"rule": "A11.2", "params": {"day_type": ["rest"], "windows": 7}},
    {"rule": "A10.3", "params": {"category": "%(x)s", "categories": ["%s", "%(y)s"]}},
    {"rule": "rule:x", "message": {"not": "text"}},
    {"message": "<script>alert(1)</script>"},
]


@pytest.mark.parametrize("stored", [{"warnings": "not a list"}, {"warnings": {"rule": "A10.3"}}, {"warnings": HOSTILE}])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_garbled_stored_warning_never_breaks_the_push_page_or_the_board(office, people, account, stored, language):
    speak(people["office"], language)
    push = make_push(account, at(5, 10), **stored)
    page = office.get(f"/admin/wechat/pushes/{push.pk}/")
    board = office.get("/admin/wechat/plan/", {"week": WEEK})
    listing = office.get("/admin/wechat/pushes/")
    assert page.status_code == board.status_code == listing.status_code == 200
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html
    if isinstance(stored["warnings"], list):
        assert "a plain string from an older version" in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("garbled", HOSTILE)
def test_reason_text_answers_text_for_any_stored_entry(garbled):
    assert isinstance(reason_text(garbled), str)
