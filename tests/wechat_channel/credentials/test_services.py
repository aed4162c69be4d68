"""Credential holders (A6.6): the policy's cap, releases, deactivation and removal, the rotation alarm."""

import pytest

from wechat_channel.credentials import services as credentials
from wechat_channel.models import CredentialHolder

pytestmark = pytest.mark.django_db


def test_a_fourth_holder_is_refused_with_the_cap_and_the_holders(account, people, staff):
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


def test_the_cap_follows_the_accounts_policy(account, people, monkeypatch, staff):
    monkeypatch.setattr(credentials, "max_holders", lambda account: 1)
    first, second = staff(2)
    credentials.assign(account, first, by=people["channel"])
    with pytest.raises(credentials.CredentialError):
        credentials.assign(account, second, by=people["channel"])


def test_release_raises_the_alarm_and_a_rotation_clears_it(account, people, staff):
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


def test_a_released_place_can_be_filled_again(account, people, staff):
    users = staff(4)
    for user in users[:3]:
        credentials.assign(account, user, by=people["channel"])
    credentials.release(account, users[0], by=people["channel"])
    credentials.assign(account, users[3], by=people["channel"])
    assert credentials.current_holders(account).count() == 3


def test_deactivating_a_holder_releases_them_and_raises_the_alarm(account, people, staff):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])

    holder.is_active = False
    holder.save()

    holding = CredentialHolder.objects.get(user=holder)
    assert holding.ended_at is not None and holding.end_reason == "deactivated"
    assert credentials.needs_rotation(account)


def test_removing_a_holder_keeps_the_history_and_raises_the_alarm(account, people, staff):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])

    holder.delete()

    holding = CredentialHolder.objects.get(account=account)
    assert holding.user is None and holding.holder_name == "tech0" and holding.end_reason == "removed"
    assert credentials.needs_rotation(account)


def test_a_deactivated_user_cannot_be_assigned(account, people, staff):
    (user,) = staff(1)
    user.is_active = False
    user.save()
    with pytest.raises(credentials.CredentialError):
        credentials.assign(account, user, by=people["channel"])
