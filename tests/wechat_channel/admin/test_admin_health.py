"""Each account's health in the admin: secrets, token and IP whitelist, mass sends left, callbacks, stuck pushes."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.wechat_channel.admin_factories import at, make_account, make_push, refused
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel.models import CallbackEvent, Push, WeChatAccount

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


def test_a_plain_mode_account_is_warned_and_a_safe_one_is_not(client, people, sandbox_account):
    """Plain mode (明文模式): the messages and what the signature covers are not protected (WECHAT.md §6.2)."""
    plain = make_account(callback_mode=WeChatAccount.CallbackMode.PLAIN, secret_env="WECHAT_UNSET_SECRET")
    client.force_login(people["channel"])
    html = client.get(HEALTH).content.decode()

    warned = section(html, plain)
    row = warned[warned.index('data-check="encryption"') : warned.index('data-check="token"')]
    assert 'data-mode="plain"' in row and "w-status--critical" in row
    assert "明文模式" in row and "安全模式" in row and "mp.weixin.qq.com" in row
    safe = section(html, sandbox_account)
    row = safe[safe.index('data-check="encryption"') : safe.index('data-check="token"')]
    assert 'data-mode="safe"' in row and "w-status--critical" not in row


def parked_event(account, reason="RuntimeError: cases unavailable"):
    event = CallbackEvent.objects.create(account=account, dedupe_key="k3", event="text", payload={})
    CallbackEvent.objects.filter(pk=event.pk).update(
        received_at=timezone.now() - datetime.timedelta(minutes=30),
        attempts=5,
        last_error=reason,
        parked_at=timezone.now(),
    )
    return event


def test_a_parked_callback_is_listed_with_its_reason_and_only_a_channel_administrator_retries_it(
    client, people, sandbox_account, django_capture_on_commit_callbacks
):
    event = parked_event(sandbox_account)
    retry = reverse("wechat_admin:callback_retry", args=[event.pk])
    client.force_login(people["office"])  # sees the health of the accounts (A15), acts on none

    html = section(client.get(HEALTH).content.decode(), sandbox_account)
    assert 'data-parked="1"' in html and 'data-stalled="0"' in html and "cases unavailable" in html
    assert "data-retry" not in html
    assert refused(client.post(retry))
    event.refresh_from_db()
    assert event.parked_at is not None

    client.force_login(people["channel"])
    assert f'data-retry="{event.pk}"' in section(client.get(HEALTH).content.decode(), sandbox_account)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    event.refresh_from_db()
    assert event.processed_at is not None and event.parked_at is None
    assert client.post(retry).status_code == 302  # a second click changes nothing
    assert 'data-parked="0"' in section(client.get(HEALTH).content.decode(), sandbox_account)


def test_the_health_page_links_the_sites_health_endpoint_for_monitoring(client, people, db):
    client.force_login(people["channel"])

    html = client.get(HEALTH).content.decode()

    link = html[html.index("data-site-health") :]
    assert 'href="/healthz"' in link and "无需登录" in link
    assert client.get("/healthz").status_code == 200  # the link leads somewhere
