"""The credentials admin (A6.6, A15): the alarm where it is seen, who may see and do what."""

import pytest
from wagtail.models import ModelLogEntry

from wechat_channel.credentials import services as credentials
from wechat_channel.models import CredentialHolder

pytestmark = pytest.mark.django_db


def url(account=None):
    return f"/admin/credentials/{account.pk}/" if account else "/admin/credentials/"


def test_the_alarm_shows_on_the_dashboard_to_channel_admins_and_the_office_head_only(account, people, client, staff):
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


def test_the_alarm_shows_on_the_account_pages(account, people, client, staff):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    credentials.release(account, holder, by=people["channel"])
    client.force_login(people["channel"])

    for page in ("/admin/wechat/accounts/", f"/admin/wechat/accounts/edit/{account.pk}/", url(account), url()):
        html = client.get(page).content.decode()
        assert "A6.6.2" in html and "data-credentials-alarm" in html, page


def test_a_channel_admin_assigns_releases_and_records_a_rotation_in_the_admin(account, people, client, staff):
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


def test_the_fourth_assignment_in_the_admin_shows_the_message_and_changes_nothing(account, people, client, staff):
    users = staff(4)
    for user in users[:3]:
        credentials.assign(account, user, by=people["channel"])
    client.force_login(people["channel"])

    response = client.post(url(account), {"action": "assign", "assign-user": users[3].pk}, follow=True)

    html = response.content.decode()
    assert "A6.6.1" in html and "tech0" in html
    assert credentials.current_holders(account).count() == 3


@pytest.mark.parametrize("username", ["contributor", "office", "head_a", "college_leader"])
def test_people_without_rights_get_403(account, people, client, username, staff):
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


def test_the_office_head_sees_but_changes_nothing(account, people, client, staff):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    client.force_login(people["policy"])

    html = client.get(url(account)).content.decode()
    assert "tech0" in html and "data-assign-form" not in html
    assert client.post(url(account), {"action": "release", "release-user": holder.pk}).status_code == 403
    assert client.post(url(account), {"action": "assign", "assign-user": people["office"].pk}).status_code == 403
    assert credentials.current_holders(account).get().user == holder
