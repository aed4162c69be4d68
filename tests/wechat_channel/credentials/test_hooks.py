"""The credentials' admin wiring: audit messages that name the holder, the menu item for those who may see."""

import pytest
from django.test import RequestFactory
from wagtail.models import ModelLogEntry

from wechat_channel.credentials import services as credentials
from wechat_channel.credentials.hooks import register_credentials_menu_item

pytestmark = pytest.mark.django_db


def test_the_history_names_the_holder_and_the_menu_is_shown_only_to_those_who_may_see(account, people, staff):
    (holder,) = staff(1)
    credentials.assign(account, holder, by=people["channel"])
    credentials.release(account, holder, by=people["channel"])
    messages = [entry.message for entry in ModelLogEntry.objects.filter(action__startswith="newsroom.credentials")]
    assert len(messages) == 2 and all("tech0" in str(message).lower() for message in messages)

    item = register_credentials_menu_item()
    for username, shown in (("channel", True), ("policy", True), ("office", False), ("contributor", False)):
        request = RequestFactory().get("/admin/")
        request.user = people[username]
        assert item.is_shown(request) is shown, username
