"""Each account's health in the admin: secrets, token and IP whitelist, mass sends left, callbacks, stuck pushes."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.wechat_channel.admin_factories import at, make_account, make_push, refused
from tests.wechat_channel.conftest import APPID, SECRET
from wechat_channel.models import CallbackEvent, Push

HEALTH = "/admin/wechat/health/"


@pytest.fixture
def sandbox_account(db, sandbox, monkeypatch):
    cache.clear()  # no token left over from another test: the check must ask the sandbox
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    monkeypatch.setenv("WECHAT_CAMPUS_TOKEN", "callback-token")
    monkeypatch.delenv("WECHAT_CAMPUS_AES_KEY", raising=False)
    return make_account(appid=APPID, api_base_url=sandbox.url)


def section(html, account):
    start = html.index(f'data-account="{account.slug}"')
    end = html.find("data-account=", start + 10)
    return html[start : end if end > 0 else len(html)]


def test_a_healthy_account_gets_a_token_and_names_its_missing_variable(client, people, sandbox_account):
    client.force_login(people["channel"])

    html = section(client.get(HEALTH).content.decode(), sandbox_account)

    token_row = html[html.index('data-check="token"') : html.index('data-check="quota"')]
    assert "w-status--success" in token_row
    assert "WECHAT_CAMPUS_AES_KEY" in html  # safe mode needs it and it is not set
    assert SECRET not in html


def test_the_ip_whitelist_refusal_says_which_address_to_add(client, people, sandbox, sandbox_account):
    """40164: WeChat refuses tokens to servers outside the whitelist; the page says what to add."""
    sandbox.state.update_account(APPID, {"ip_whitelist": ["10.1.2.3"]})
    client.force_login(people["channel"])

    html = section(client.get(HEALTH).content.decode(), sandbox_account)

    token_row = html[html.index('data-check="token"') : html.index('data-check="quota"')]
    assert "40164" in token_row and "127.0.0.1" in token_row and "白名单" in token_row


def test_quota_callbacks_and_stuck_pushes(client, people, sandbox_account):
    make_push(sandbox_account, at(0, 16), state=Push.State.FAILED)
    make_push(sandbox_account, at(0, 20), state=Push.State.UNKNOWN)
    make_push(sandbox_account, timezone.now(), state=Push.State.DONE, sent_at=timezone.now())  # today's mass send
    CallbackEvent.objects.create(account=sandbox_account, dedupe_key="k1", event="PUBLISHJOBFINISH")
    client.force_login(people["channel"])

    html = section(client.get(HEALTH).content.decode(), sandbox_account)

    assert 'data-mass-left="0"' in html  # a subscription account: one mass send a day, used
    assert 'data-failed="1" data-unknown="1"' in html
    assert 'data-last-callback=""' not in html
    assert 'data-stalled="0"' in html  # just received: its own task still has the grace time


def test_callbacks_left_unprocessed_are_shown_until_processed(client, people, sandbox_account):
    """Nothing WeChat delivered is dropped silently (A6.5.2, A14): a callback a worker never finished shows."""
    import datetime

    from wechat_channel import callbacks

    event = CallbackEvent.objects.create(account=sandbox_account, dedupe_key="k2", event="text", payload={})
    CallbackEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - datetime.timedelta(minutes=5))
    client.force_login(people["channel"])

    assert 'data-stalled="1"' in section(client.get(HEALTH).content.decode(), sandbox_account)

    callbacks.process_event(event.pk)
    assert 'data-stalled="0"' in section(client.get(HEALTH).content.decode(), sandbox_account)


def test_contributors_cannot_open_the_health_page(client, people, db):
    client.force_login(people["contributor"])

    assert refused(client.get(HEALTH))
