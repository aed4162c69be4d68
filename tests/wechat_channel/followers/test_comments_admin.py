"""微信 → Comments (A13): the list with flags, moderation, open/close and fetch from the admin; who may."""
# ruff: noqa: F811 - the fixtures imported from comment_fixtures are named as parameters

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.wechat_channel.followers.comment_fixtures import (  # noqa: F401 - fixtures
    FOLLOWERS,
    account,
    blacklisted,
    channel,
    listed,
    published,
    seed,
)
from wechat_channel import comments
from wechat_channel.models import ArticleComment, CommentIncident

pytestmark = pytest.mark.django_db
LIST = reverse("wechat_admin:comments")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def fetched(sandbox, published, account):
    seed(sandbox, published, 0, "写得好")
    seed(sandbox, published, 1, "代考办证找我", openid=FOLLOWERS[3])
    comments.fetch(account)
    return {c.content: c for c in ArticleComment.objects.all()}


def moderate_url(comment):
    return reverse("wechat_admin:comment_moderate", args=[comment.pk])


def test_the_office_sees_comments_newest_first_with_flags_highlighted(client, people, fetched, account):
    client.force_login(people["office"])
    page = client.get(LIST, {"account": account.pk}).content.decode()
    assert '<mark class="w-status w-status--critical">代考</mark>' in page
    assert "写得好" in page and "新闻 1" in page

    only_flagged = client.get(LIST, {"account": account.pk, "flagged": "1"}).content.decode()
    assert "代考" in only_flagged and "写得好" not in only_flagged


def test_moderating_from_the_admin_deletes_blacklists_and_records(client, sandbox, people, published, fetched):
    bad = fetched["代考办证找我"]
    client.force_login(people["office"])

    response = client.post(moderate_url(bad), {"delete": "on", "blacklist": "on", "note": "已上报"})

    assert response.status_code == 302
    assert listed(sandbox, published, 1)["total"] == 0 and FOLLOWERS[3] in blacklisted(sandbox)
    incident = CommentIncident.objects.get()
    assert incident.by == people["office"] and incident.action == CommentIncident.Action.BOTH
    assert incident.note == "已上报" and incident.item.title == "新闻 1"
    page = client.get(LIST).content.decode()
    assert f'data-incident="{incident.pk}"' in page


def test_the_channel_administrator_may_moderate_too(client, sandbox, people, published, fetched):
    client.force_login(people["channel"])
    client.post(moderate_url(fetched["代考办证找我"]), {"delete": "on"})
    assert CommentIncident.objects.get().action == CommentIncident.Action.DELETED
    assert blacklisted(sandbox) == []


# The office head (policy) moderates since escalated comment reports reach them (A13, A6.5.2).
@pytest.mark.parametrize("username", ["contributor", "head_a", "leader_a", "college_leader"])
def test_without_the_permission_the_answer_is_403_and_nothing_changes(
    client, sandbox, people, published, fetched, username
):
    bad = fetched["代考办证找我"]
    item = bad.item
    client.force_login(people[username])

    assert client.get(LIST).status_code == 403
    assert client.post(moderate_url(bad), {"delete": "on", "blacklist": "on"}).status_code == 403
    assert client.post(reverse("wechat_admin:comments_open", args=[item.pk]), {"open": "0"}).status_code == 403
    assert client.post(reverse("wechat_admin:comments_fetch")).status_code == 403

    assert listed(sandbox, published, 1)["total"] == 1 and blacklisted(sandbox) == []
    assert not CommentIncident.objects.exists()
    bad.refresh_from_db()
    assert bad.state == ArticleComment.State.VISIBLE


def test_moderation_is_post_only(client, people, fetched):
    client.force_login(people["office"])
    assert client.get(moderate_url(fetched["写得好"])).status_code == 405
    assert not CommentIncident.objects.exists()


def test_closing_and_opening_an_article_from_the_admin(client, sandbox, people, published, account):
    item = published.items.get(position=0)
    url = reverse("wechat_admin:comments_open", args=[item.pk])
    client.force_login(people["office"])

    client.post(url, {"open": "0"})
    assert listed(sandbox, published, 0)["errcode"] == 88000
    assert f'data-article="{item.pk}" data-open="0"' in client.get(LIST).content.decode()

    client.post(url, {"open": "1"})
    assert listed(sandbox, published, 0)["errcode"] == 0


def test_fetch_now(client, sandbox, people, published, account):
    seed(sandbox, published, 0, "新的留言")
    client.force_login(people["office"])
    response = client.post(reverse("wechat_admin:comments_fetch"), {"account": account.pk}, follow=True)
    assert ArticleComment.objects.get().content == "新的留言"
    assert "2 篇文章，新留言 1 条。" in response.content.decode()  # the admin speaks Chinese by default


# Nothing is chosen for the moderator (A13): one click must not blacklist a harmless follower.


def test_no_action_is_ticked_beforehand_on_any_comment(client, people, fetched, account):
    client.force_login(people["office"])
    page = client.get(LIST, {"account": account.pk}).content.decode()

    boxes = re.findall(r'<input type="checkbox" name="(?:delete|blacklist)"[^>]*>', page)
    assert len(boxes) == 4  # two comments, two choices each
    assert not [box for box in boxes if "checked" in box]


def test_applying_with_nothing_ticked_says_so_and_changes_nothing(client, sandbox, people, published, fetched):
    harmless = fetched["写得好"]
    client.force_login(people["office"])

    response = client.post(moderate_url(harmless), {"note": "误点"}, follow=True)

    assert "请选择删除留言、拉黑作者，或两者都做。" in response.content.decode()
    assert not CommentIncident.objects.exists() and blacklisted(sandbox) == []
    assert listed(sandbox, published, 0)["total"] == 1
    harmless.refresh_from_db()
    assert harmless.state == ArticleComment.State.VISIBLE


@pytest.mark.parametrize("value", ["", "false", "0", "False", "off", "1 OR 1=1", "ON "])
def test_a_posted_false_or_empty_tick_counts_as_not_ticked(client, sandbox, people, fetched, value):
    client.force_login(people["office"])
    client.post(moderate_url(fetched["写得好"]), {"delete": value, "blacklist": value})
    assert not CommentIncident.objects.exists() and blacklisted(sandbox) == []


def test_deleting_without_blacklisting_leaves_the_author_a_follower(client, sandbox, people, published, fetched):
    client.force_login(people["office"])
    client.post(moderate_url(fetched["代考办证找我"]), {"delete": "on"})

    assert CommentIncident.objects.get().action == CommentIncident.Action.DELETED
    assert listed(sandbox, published, 1)["total"] == 0 and blacklisted(sandbox) == []


def test_the_domain_function_takes_no_default_choice(people, fetched):
    with pytest.raises(TypeError):
        comments.moderate(fetched["写得好"], people["office"])  # type: ignore[call-arg]
    with pytest.raises(comments.ModerationFailed):
        comments.moderate(fetched["写得好"], people["office"], delete=False, blacklist=False)
    assert not CommentIncident.objects.exists()
