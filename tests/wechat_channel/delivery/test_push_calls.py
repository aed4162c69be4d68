"""Pushing makes the fewest WeChat calls it can: one token, one upload per distinct image and cover, one draft
and one send (or publish) per push, nothing else (the issue's call budget; bench/wechat_push.py at scale)."""

import collections

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.wechat_channel.delivery.soak_adapter import SHARED
from tests.wechat_channel.delivery.soak_data import articles, plan
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel import delivery
from wechat_channel.models import Push, WeChatAccount

pytestmark = pytest.mark.django_db

SHARED_IMAGES = len(SHARED)
SEND_PATH = {Push.Mode.PUBLISH: "freepublish/submit", Push.Mode.MASS_SEND: "message/mass/sendall"}


@pytest.fixture
def account(sandbox, settings, monkeypatch):
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.soak_adapter.SyntheticAdapter"}
    }
    monkeypatch.setenv("WECHAT_CALLS_SECRET", SECRET)
    cache.clear()  # a token cached by an earlier test's sandbox would cost a refused call here
    return WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid=APPID,
        kind=WeChatAccount.Kind.SERVICE,
        verified=True,
        secret_env="WECHAT_CALLS_SECRET",
        api_base_url=sandbox.url,
    )


def calls_by_path(sandbox):
    return collections.Counter(call["path"].removeprefix("/cgi-bin/") for call in sandbox.calls.as_list())


def minimum(new_articles, pushes, mode, shared=SHARED_IMAGES, token=1):
    """The call budget: each new article brings one image of its own and a cover; shared images once."""
    budget = {
        "stable_token": token,
        "media/uploadimg": shared + new_articles,
        "material/add_material": new_articles,
        "draft/add": pushes,
        SEND_PATH[mode]: pushes,
    }
    return {path: count for path, count in budget.items() if count}


@pytest.mark.parametrize("mode", [Push.Mode.PUBLISH, Push.Mode.MASS_SEND])
def test_ten_articles_with_two_shared_images_make_the_minimal_calls(account, index, sandbox, mode):
    pushes = plan(account, articles(index, "calls", 10), 8, mode)  # 8 + 2: two pushes

    for push in pushes:
        delivery.advance(push.pk)

    assert [push.state for push in Push.objects.order_by("pk")] == [Push.State.SUBMITTED] * 2
    expected = minimum(new_articles=10, pushes=2, mode=mode)
    if mode == Push.Mode.MASS_SEND:
        # A service account sends to everyone once a day (Batch_Sends): the second push is published instead,
        # and the site knows it without asking WeChat.
        expected.update({SEND_PATH[mode]: 1, SEND_PATH[Push.Mode.PUBLISH]: 1})
    assert calls_by_path(sandbox) == expected


def test_images_already_on_wechat_are_not_uploaded_again(account, index, sandbox):
    pages = articles(index, "calls", 6)
    delivery.advance(plan(account, pages[:3], 8, Push.Mode.PUBLISH)[0].pk)
    sandbox.calls.clear()

    push = plan(account, pages[3:], 8, Push.Mode.PUBLISH)[0]
    delivery.advance(push.pk)

    # The shared images and the token are reused; only the new articles' own images and covers go up.
    assert calls_by_path(sandbox) == minimum(new_articles=3, pushes=1, mode=Push.Mode.PUBLISH, shared=0, token=0)


def queries_of_advance(push):
    with CaptureQueriesContext(connection) as captured:
        delivery.advance(push.pk)
    assert Push.objects.get(pk=push.pk).state == Push.State.SUBMITTED
    return len(captured.captured_queries)


def test_a_push_takes_the_same_17_queries_for_three_articles_as_for_eight(account, index, sandbox):
    pages = articles(index, "queries", 11)
    eight, three = plan(account, pages[:8], 8, Push.Mode.PUBLISH) + plan(account, pages[8:], 8, Push.Mode.PUBLISH)

    # The claim (an UPDATE and the push read back), four states, four history lines, the items with their pages'
    # types, the pages, the images WeChat has and those uploaded (one statement), the last draft request, a result
    # event that came early, the release: 17 (bench/wechat_push.py; 21 before issue 15), none per article.
    for_eight = queries_of_advance(eight)
    assert for_eight <= 17
    assert queries_of_advance(three) == for_eight
