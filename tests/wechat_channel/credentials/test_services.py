"""Credential holders (A6.6): the policy's cap, the rotation alarm, who may see and do what, the audit."""

import pytest
from django.test import RequestFactory
from wagtail.models import ModelLogEntry

from cms.credentials import services as credentials
from cms.models import CredentialHolder
from tests.conftest import make_user
from tests.wechat_channel.admin_factories import make_account
from tests.wechat_channel.test_admin_accounts import SECRET_VALUE, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(db):
    return make_account(name="瑞安学院", slug="raxy")


def url(account=None):
    return f"/admin/credentials/{account.pk}/" if account else "/admin/credentials/"


def staff(n):
    return [make_user(f"tech{i}", "channel_admin") for i in range(n)]


def test_a_fourth_holder_is_refused_with_the_cap_and_the_holders(account, people):
    first, second, third, fourth = staff(4)
    for user in (first, second, third):
        credentials.assign(account, user, by=people["channel"])

    with pytest.raises(credentials.CredentialError) as refused:
        credentials.assign(account, fourth, by=people["channel"])

    message = str(refused.value)
    assert "3" in message and "A6.6.1" in message
    assert all(name in message for name in ("tech0", "tech1", "tech2"))
    assert set(credentials.current_holders(account).values_list("user", flat=True)) == {first.pk, second.pk, third.pk}
    assert not CredentialHolder.objects.filter(user=fourth).exists()


def test_the_cap_follows_the_accounts_policy(account, people, monkeypatch):
    monkeypatch.setattr(credentials, "max_holders", lambda account: 1)
    first, second = staff(2)
    credentials.assign(account, first, by=people["channel"])
    with pytest.raises(credentials.CredentialError):
        credentials.assign(account, second, by=people["channel"])


def test_release_raises_the_alarm_and_a_rotation_clears_it(account, people):
    holder, other = staff(2)
    credentials.assign(account, holder, by=people["channel"])
    credentials.assign(account, other, by=people["channel"])
    assert not credentials.needs_rotation(account)

    credentials.release(account, holder, by=people["channel"], note="调岗")
    assert credentials.needs_rotation(account)
    assert list(credentials.accounts_needing_rotation()) == [account]

    credentials.record_rotation(account, by=people["channel"], note="AppSecret 已重置")
    assert not credentials.needs_rotation(account)

    credentials.release(account, other, by=people["channel"])
    assert credentials.needs_rotation(account)


def test_a_released_place_can_be_filled_again(account, people):
    users = staff(4)
    for user in users[:3]:
        credentials.assign(account, user, by=people["channel"])
    credentials.release(account, users[0], by=people["channel"])
    credentials.assign(account, users[3], by=people["channel"])
    assert credentials.current_holders(account).count() == 3


def test_deactivating_a_holder_releases_them_and_raises_the_alarm(account, people):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])

    holder.is_active = False
    holder.save()

    holding = CredentialHolder.objects.get(user=holder)
    assert holding.ended_at is not None and holding.end_reason == "deactivated"
    assert credentials.needs_rotation(account)


def test_removing_a_holder_keeps_the_history_and_raises_the_alarm(account, people):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])

    holder.delete()

    holding = CredentialHolder.objects.get(account=account)
    assert holding.user is None and holding.holder_name == "tech0" and holding.end_reason == "removed"
    assert credentials.needs_rotation(account)


def test_a_deactivated_user_cannot_be_assigned(account, people):
    (user,) = staff(1)
    user.is_active = False
    user.save()
    with pytest.raises(credentials.CredentialError):
        credentials.assign(account, user, by=people["channel"])


# -- the admin --------------------------------------------------------------------------------


def test_the_alarm_shows_on_the_dashboard_to_channel_admins_and_the_office_head_only(account, people, client):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    credentials.release(account, holder, by=people["channel"])

    def dashboard(username):
        client.force_login(people[username])
        return client.get("/admin/").content.decode()

    for username in ("channel", "policy"):
        html = dashboard(username)
        assert "data-newsroom-credentials-panel" in html and account.name in html, username
    for username in ("contributor", "office", "head_a"):
        assert "data-newsroom-credentials-panel" not in dashboard(username), username

    credentials.record_rotation(account, by=people["channel"])
    assert "data-newsroom-credentials-panel" not in dashboard("channel")


def test_the_alarm_shows_on_the_account_pages(account, people, client):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    credentials.release(account, holder, by=people["channel"])
    client.force_login(people["channel"])

    for page in ("/admin/wechat/accounts/", f"/admin/wechat/accounts/edit/{account.pk}/", url(account), url()):
        html = client.get(page).content.decode()
        assert "A6.6.2" in html and "data-credentials-alarm" in html, page


def test_a_channel_admin_assigns_releases_and_records_a_rotation_in_the_admin(account, people, client):
    (holder,) = staff(1)
    client.force_login(people["channel"])

    client.post(url(account), {"action": "assign", "assign-user": holder.pk})
    assert credentials.current_holders(account).get().user == holder

    client.post(url(account), {"action": "release", "release-user": holder.pk, "release-note": "离职"})
    assert credentials.needs_rotation(account)

    client.post(url(account), {"action": "rotate", "rotate-note": "已重置"})
    assert not credentials.needs_rotation(account)
    actions = set(ModelLogEntry.objects.filter(object_id=str(account.pk)).values_list("action", flat=True))
    assert {"newsroom.credentials.assign", "newsroom.credentials.release", "newsroom.credentials.rotate"} <= actions


def test_the_fourth_assignment_in_the_admin_shows_the_message_and_changes_nothing(account, people, client):
    users = staff(4)
    for user in users[:3]:
        credentials.assign(account, user, by=people["channel"])
    client.force_login(people["channel"])

    response = client.post(url(account), {"action": "assign", "assign-user": users[3].pk}, follow=True)

    html = response.content.decode()
    assert "A6.6.1" in html and "tech0" in html
    assert credentials.current_holders(account).count() == 3


@pytest.mark.parametrize("username", ["contributor", "office", "head_a", "college_leader"])
def test_people_without_rights_get_403(account, people, client, username):
    (holder,) = staff(1)
    client.force_login(people[username])

    assert client.get(url()).status_code == 403
    assert client.get(url(account)).status_code == 403
    for data in (
        {"action": "assign", "assign-user": holder.pk},
        {"action": "rotate", "rotate-note": ""},
    ):
        assert client.post(url(account), data).status_code == 403
    assert not CredentialHolder.objects.exists()


def test_the_office_head_sees_but_changes_nothing(account, people, client):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    client.force_login(people["policy"])

    html = client.get(url(account)).content.decode()
    assert "tech0" in html and "data-assign-form" not in html
    assert client.post(url(account), {"action": "release", "release-user": holder.pk}).status_code == 403
    assert client.post(url(account), {"action": "assign", "assign-user": people["office"].pk}).status_code == 403
    assert credentials.current_holders(account).get().user == holder


# -- the audit of account settings (A15) -------------------------------------------------------


def test_editing_an_account_logs_fields_and_variable_names_never_a_secret(account, people, client, monkeypatch):
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET_VALUE)
    monkeypatch.setenv("WECHAT_NEW_SECRET", SECRET_VALUE + "-new")
    client.force_login(people["channel"])

    response = client.post(
        f"/admin/wechat/accounts/edit/{account.pk}/",
        form_data(account, name="瑞安学院新闻", secret_env="WECHAT_NEW_SECRET"),
    )
    assert response.status_code == 302

    entry = ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(account.pk)).get()
    assert entry.user == people["channel"]
    assert set(entry.data["fields"]) >= {"name", "secret_env"}
    assert entry.data["values"]["name"] == {"old": "瑞安学院", "new": "瑞安学院新闻"}
    # The variable's name is logged, old and new; the value it holds never is.
    assert entry.data["values"]["secret_env"] == {"old": "WECHAT_CAMPUS_SECRET", "new": "WECHAT_NEW_SECRET"}
    for logged in ModelLogEntry.objects.all():
        assert SECRET_VALUE not in str(logged.data) and SECRET_VALUE not in logged.label


def test_creating_and_deleting_an_account_are_logged(people, client, monkeypatch):
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET_VALUE)
    client.force_login(people["channel"])
    template = make_account()
    data = form_data(template, name="新账号", slug="new", appid="wx00000000000000ff")

    assert client.post("/admin/wechat/accounts/new/", data).status_code == 302
    from wechat_channel.models import WeChatAccount

    created = WeChatAccount.objects.get(slug="new")
    entry = ModelLogEntry.objects.get(action="wagtail.create", object_id=str(created.pk))
    assert entry.user == people["channel"] and "name" in entry.data["fields"] and "secret_env" in entry.data["fields"]
    assert entry.data["values"]["secret_env"] == {"old": None, "new": "WECHAT_CAMPUS_SECRET"}

    client.post(f"/admin/wechat/accounts/delete/{created.pk}/")
    assert ModelLogEntry.objects.filter(
        action="wagtail.delete", object_id=str(created.pk), user=people["channel"]
    ).exists()
    for logged in ModelLogEntry.objects.all():
        assert SECRET_VALUE not in str(logged.data)


def test_the_history_names_the_holder_and_the_menu_is_shown_only_to_those_who_may_see(account, people):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    credentials.release(account, holder, by=people["channel"])
    messages = [entry.message for entry in ModelLogEntry.objects.filter(action__startswith="newsroom.credentials")]
    assert len(messages) == 2 and all("tech0" in str(message).lower() for message in messages)

    from cms.credentials.hooks import register_credentials_menu_item

    item = register_credentials_menu_item()
    for username, shown in (("channel", True), ("policy", True), ("office", False), ("contributor", False)):
        request = RequestFactory().get("/admin/")
        request.user = people[username]
        assert item.is_shown(request) is shown, username
