"""Comments (A13): fetched with flags, moderated on WeChat in one action, recorded; open and close."""
# ruff: noqa: F811 - the fixtures imported from comment_fixtures are named as parameters

import pytest
import requests
from django.utils import translation
from wagtail.models import ModelLogEntry

from tests.wechat_channel.followers.comment_fixtures import (  # noqa: F401 - fixtures
    FOLLOWERS,
    account,
    blacklisted,
    channel,
    listed,
    published,
    seed,
    wechat,
)
from tests.wechat_channel.sandbox_access import APPID
from wechat_channel import comments
from wechat_channel.models import ArticleComment, CommentIncident, FollowerActivity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_fetch_stores_comments_of_each_article_with_flags_and_records_activity(sandbox, published, account):
    seed(sandbox, published, 0, "写得好")
    seed(sandbox, published, 1, "代考办证，加微信", openid=FOLLOWERS[1])

    result = comments.fetch(account)

    assert result.articles == 2 and result.new == 2 and not result.errors
    first, second = published.items.order_by("position")
    good = ArticleComment.objects.get(item=first)
    bad = ArticleComment.objects.get(item=second)
    assert good.content == "写得好" and good.flagged_words == [] and good.openid == FOLLOWERS[0]
    assert bad.flagged_words == ["代考", "办证"] and bad.openid == FOLLOWERS[1]
    kinds = FollowerActivity.objects.filter(kind=FollowerActivity.Kind.COMMENT)
    assert sorted(kinds.values_list("openid", flat=True)) == sorted(FOLLOWERS[:2])
    # Fetching again keeps one row per comment and records no activity twice.
    assert comments.fetch(account).new == 0
    assert ArticleComment.objects.count() == 2 and kinds.count() == 2


def test_fetch_pages_past_49_comments(sandbox, published, account):
    for n in range(52):
        seed(sandbox, published, 0, f"第{n}条")
    comments.fetch(account)
    assert ArticleComment.objects.filter(item__position=0).count() == 52
    pages = [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/comment/list"]
    assert pages and all(c["errcode"] == 0 for c in pages)


def test_moderation_deletes_blacklists_and_records_one_incident(sandbox, published, account, people):
    seed(sandbox, published, 1, "赌博网站 www.example.com", openid=FOLLOWERS[2])
    comments.fetch(account)
    comment = ArticleComment.objects.get()

    incident = comments.moderate(comment, people["office"], delete=True, blacklist=True, note="报学工处")

    assert listed(sandbox, published, 1)["total"] == 0
    assert FOLLOWERS[2] in blacklisted(sandbox)
    assert CommentIncident.objects.get() == incident
    assert incident.action == CommentIncident.Action.BOTH and incident.by == people["office"]
    assert incident.item == comment.item and incident.item.position == 1
    assert incident.openid == FOLLOWERS[2] and incident.content == "赌博网站 www.example.com"
    assert incident.at and incident.note == "报学工处" and not incident.problem
    comment.refresh_from_db()
    assert comment.state == ArticleComment.State.DELETED
    entry = ModelLogEntry.objects.get(action=comments.MODERATE_ACTION)
    assert entry.user == people["office"] and entry.data["openid"] == FOLLOWERS[2]


def test_an_unverified_account_deletes_but_cannot_blacklist_and_the_incident_says_so(
    sandbox, published, account, people
):
    seed(sandbox, published, 0, "色情链接")
    comments.fetch(account)
    requests.post(sandbox.url + "/sandbox/accounts", json={"appid": APPID, "verified": False}, timeout=5)

    incident = comments.moderate(ArticleComment.objects.get(), people["office"], delete=True, blacklist=True)

    assert incident.action == CommentIncident.Action.DELETED
    assert "48001" in incident.problem
    assert listed(sandbox, published, 0)["total"] == 0


def test_a_failed_delete_records_nothing(sandbox, published, account, people):
    seed(sandbox, published, 0, "翻墙教程")
    comments.fetch(account)
    comment = ArticleComment.objects.get()
    wechat(sandbox, "comment/close", {"msg_data_id": int(published.msg_data_id), "index": 0})  # 88000 from now

    with pytest.raises(comments.ModerationFailed, match="not deleted"):
        comments.moderate(comment, people["office"], delete=True, blacklist=True)

    assert not CommentIncident.objects.exists() and blacklisted(sandbox) == []
    comment.refresh_from_db()
    assert comment.state == ArticleComment.State.VISIBLE


def test_closing_and_opening_comments_reach_the_sandbox(sandbox, published, account, people):
    item = published.items.get(position=1)

    comments.set_open(item, False, people["office"])
    assert listed(sandbox, published, 1)["errcode"] == 88000
    assert listed(sandbox, published, 0)["errcode"] == 0
    assert item.comment_setting.open is False

    comments.set_open(item, True, people["office"])
    assert listed(sandbox, published, 1)["errcode"] == 0
    item.comment_setting.refresh_from_db()
    assert item.comment_setting.open is True
