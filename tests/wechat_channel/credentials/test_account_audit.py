"""The audit of WeChat account settings (A15): fields and variable names, never a secret."""

import pytest
from wagtail.models import ModelLogEntry

from tests.wechat_channel.admin_factories import SECRET_VALUE, form_data, make_account
from wechat_channel.models import WeChatAccount

pytestmark = pytest.mark.django_db


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
