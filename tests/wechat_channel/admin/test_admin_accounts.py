"""Accounts in the admin: only channel administrators open or change them (A15); secrets are never shown."""

import pytest

from tests.wechat_channel.admin_factories import SECRET_VALUE, form_data, make_account, refused
from wechat_channel.models import WeChatAccount


@pytest.fixture
def account(db):
    return make_account(name="瑞安学院", slug="raxy")


def edit_url(account):
    return f"/admin/wechat/accounts/edit/{account.pk}/"


def test_the_account_page_says_a_secret_is_set_but_never_shows_it(client, people, account, monkeypatch):
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET_VALUE)
    monkeypatch.delenv("WECHAT_CAMPUS_TOKEN", raising=False)
    client.force_login(people["channel"])

    for url in (edit_url(account), "/admin/wechat/accounts/"):
        html = client.get(url).content.decode()
        assert SECRET_VALUE not in html
        assert "WECHAT_CAMPUS_SECRET" in html and "已设置" in html and "未设置" in html


def test_the_edit_page_shows_the_callback_url_to_paste(client, people, account):
    client.force_login(people["channel"])

    html = client.get(edit_url(account)).content.decode()

    assert "http://testserver/wechat/callback/raxy/" in html


def test_channel_administrators_change_an_account(client, people, account):
    client.force_login(people["channel"])

    response = client.post(edit_url(account), form_data(account, wechat_id="raxy-new"))

    assert response.status_code == 302
    account.refresh_from_db()
    assert account.wechat_id == "raxy-new"


@pytest.mark.parametrize("username", ["office", "contributor", "policy"])
def test_publishers_and_others_cannot_open_or_change_accounts(client, people, account, username):
    """A15: publishers see the plan, never the platform settings; checked on the server, not just the menu."""
    client.force_login(people[username])

    assert refused(client.get("/admin/wechat/accounts/"))
    assert refused(client.get(edit_url(account)))
    assert refused(client.post(edit_url(account), form_data(account, wechat_id="hijacked")))
    assert refused(client.post("/admin/wechat/accounts/new/", form_data(account, slug="x", appid="wx00000000000000ff")))
    account.refresh_from_db()
    assert account.wechat_id == "" and WeChatAccount.objects.count() == 1


def test_the_wechat_menu_shows_accounts_only_to_channel_administrators(client, people, account):
    client.force_login(people["office"])
    office_home = client.get("/admin/").content.decode()
    client.force_login(people["channel"])
    channel_home = client.get("/admin/").content.decode()

    assert "/admin/wechat/plan/" in office_home and "/admin/wechat/accounts/" not in office_home
    assert "/admin/wechat/accounts/" in channel_home
