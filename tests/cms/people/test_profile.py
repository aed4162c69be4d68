"""The user's own preferences (item 7): a one-field Chinese name saves; the form says in Chinese what is wrong."""

import pytest
from django.test import Client
from wagtail.users.models import UserProfile

from tests.factories import make_user

ACCOUNT = "/admin/account/"


def preferences(**changes):
    """Everything the account page posts, as a browser sends it."""
    data = {
        "name_email-first_name": "王晓明",
        "name_email-last_name": "",
        "name_email-email": "office@example.edu.cn",
        "locale-preferred_language": "en",
        "locale-current_time_zone": "Asia/Shanghai",
        "theme-theme": "light",
        "theme-density": "default",
        "theme-contrast": "system",
        "theme-keyboard_shortcuts": "on",
    }
    data.update(changes)
    return data


@pytest.fixture
def office(db):
    user = make_user("office", "office_editor", first_name="王晓明")
    client = Client()
    client.force_login(user)
    return user, client


def test_the_name_form_asks_for_one_full_name_in_chinese(office):
    _user, client = office
    html = client.get(ACCOUNT).content.decode()
    assert "姓名" in html
    assert "姓氏（可不填）" in html
    assert "名在前、姓在后" in html


def test_a_user_without_a_surname_saves_preferences(office):
    user, client = office
    response = client.post(ACCOUNT, preferences(), follow=True)
    assert response.redirect_chain == [(ACCOUNT, 302)]
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.get_full_name()) == ("王晓明", "", "王晓明")
    assert UserProfile.get_for_user(user).preferred_language == "en"
    # Wagtail words the message in the language the user had when posting.
    assert [str(m).strip() for m in response.context["messages"]] == ["您的账号设置已修改成功！"]


def test_an_empty_name_is_refused_with_the_reason_in_chinese(office):
    user, client = office
    response = client.post(ACCOUNT, preferences(**{"name_email-first_name": "  "}))
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()  # "This field is required."
    user.refresh_from_db()
    assert user.first_name == "王晓明"
    assert UserProfile.get_for_user(user).preferred_language != "en"


@pytest.mark.parametrize("name", ["王" * 151, "\x00王晓明"])
def test_hostile_names_are_refused_without_a_change(office, name):
    user, client = office
    response = client.post(ACCOUNT, preferences(**{"name_email-first_name": name}))
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.first_name == "王晓明"


def test_the_english_account_page_keeps_wagtails_words(office):
    user, client = office
    UserProfile.get_for_user(user).__class__.objects.filter(user=user).update(preferred_language="en")
    html = client.get(ACCOUNT).content.decode()
    assert "Full name" in html
    assert "Surname (optional)" in html
