"""Preview to test followers (`mass/preview`) from a syndicated page: built, sent to each, the draft deleted."""

import io

import pytest
from django.core.cache import cache
from PIL import Image

from tests.wechat_channel.admin_factories import make_account, refused
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel.adapters import ImageFile, PageAdapter


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


class PreviewAdapter(PageAdapter):
    def body_html(self):
        return "<p>正文一段。</p>"

    def cover(self):
        return ImageFile("cover.png", png())


@pytest.fixture
def page(settings, article_factory, people):
    settings.WECHAT_CHANNEL = {"ADAPTERS": {"cms.ArticlePage": f"{__name__}.PreviewAdapter"}}
    return article_factory(owner=people["office"], department=people["dept_a"], title="预览稿件")


@pytest.fixture
def account(db, sandbox, monkeypatch):
    cache.clear()
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    sandbox.state.update_account(APPID, {"verified": True})
    return make_account(appid=APPID, api_base_url=sandbox.url, preview_wxnames="tester-one, tester-two")


def test_the_page_header_offers_the_preview_to_editors_who_plan_pushes(client, people, page, account):
    url = f"/admin/wechat/preview/{page.pk}/"
    client.force_login(people["office"])
    assert url in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


def test_a_preview_goes_to_each_test_follower_and_the_draft_is_deleted(client, people, page, account, sandbox):
    client.force_login(people["office"])

    response = client.post(f"/admin/wechat/preview/{page.pk}/", {"account": account.pk})

    html = response.content.decode()
    assert 'data-recipient="tester-one" data-ok="1"' in html and 'data-recipient="tester-two" data-ok="1"' in html
    previews = sandbox.calls.as_list(path="/cgi-bin/message/mass/preview")
    assert len(previews) == 2
    assert len(sandbox.calls.as_list(path="/cgi-bin/draft/delete")) == 1
    assert sandbox.sandbox.drafts.of_account(APPID) == []


def test_a_refused_preview_says_why_per_follower(client, people, page, account, sandbox):
    sandbox.state.update_account(APPID, {"verified": False})  # no mass rights: 48001
    client.force_login(people["office"])

    html = client.post(f"/admin/wechat/preview/{page.pk}/", {"account": account.pk}).content.decode()

    assert 'data-recipient="tester-one" data-ok="0"' in html and "48001" in html
    assert sandbox.sandbox.drafts.of_account(APPID) == []  # deleted even when the sends failed


def test_people_without_push_rights_cannot_send_previews(client, people, page, account, sandbox):
    client.force_login(people["contributor"])

    assert refused(client.post(f"/admin/wechat/preview/{page.pk}/", {"account": account.pk}))
    assert f"/admin/wechat/preview/{page.pk}/" not in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert sandbox.calls.as_list(path="/cgi-bin/message/mass/preview") == []
