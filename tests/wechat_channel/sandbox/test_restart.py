"""The sandbox restarts between two pushes (issue 11 items 4 and 6): the second push still reaches WeChat with
its URL, nobody stepping in, the cover uploaded again once.

A restart forgets everything (the sandbox keeps its state in memory): that is how it simulates materials deleted
on mp.weixin.qq.com, which the real WeChat otherwise keeps. Server-side: pytest-django's live server receives the
sandbox's signed, encrypted result events over HTTP, as in test_happy_path.py.

An outage is the other kind of stop (the fault soak's): WeChat's endpoint is gone for a while and comes back with
everything it held, so `SandboxServer.outage()` / `serve_again()` keep the same sandbox on the same port. A call the
outage cut off before its body arrived never reached WeChat: the sandbox neither answers nor logs it.
"""

import http.client
import socket

import pytest
import requests

from tests.wechat_channel.pushes import due_push_with_photo, settled
from tests.wechat_channel.sandbox.helpers import add_draft, article, thumb_id
from tests.wechat_channel.sandbox_access import (
    APPID,
    SECRET,
    SHORT_SPACING,
    SITE_AES_KEY,
    SITE_CALLBACK_TOKEN,
    wait_for,
)
from wechat_channel import delivery
from wechat_channel.models import Push
from wechat_channel.sandbox.server import SandboxServer
from wechat_channel.sandbox.state import Clock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def due(account, article_factory, people, title, mode=Push.Mode.MASS_SEND):
    """A push due now with one article: the same cover and photo every time (remembered after the first)."""
    return due_push_with_photo(account, article_factory, people["dept_a"], title, mode=mode)


def restart(old, callback_url):
    """Stop `old` and serve a fresh sandbox on the same port, configured as an operator would again."""
    port = old.httpd.server_address[1]
    old.stop()
    new = SandboxServer(
        port=port, seed=7, accounts={APPID: SECRET}, clock=Clock(frozen=True), publishing=SHORT_SPACING
    ).start()
    requests.post(
        new.url + "/sandbox/accounts",
        timeout=5,
        json={
            "appid": APPID,
            "kind": "service",
            "verified": True,
            "callback_url": callback_url,
            "callback_token": SITE_CALLBACK_TOKEN,
            "encoding_aes_key": SITE_AES_KEY,
        },
    ).raise_for_status()
    return new


def url_of(push):
    assert wait_for(lambda: push.items.get().wechat_url, seconds=15)  # the result event brings it
    return push.items.get().wechat_url


def calls(server, path, errcode=0):
    return [c for c in server.calls.as_list() if c["path"] == "/cgi-bin/" + path and c["errcode"] == errcode]


def test_after_a_sandbox_restart_the_next_push_goes_out_with_its_cover_uploaded_again_once(
    account_for,
    sandbox,
    article_factory,
    people,
):
    account = account_for("service", True)
    first = due(account, article_factory, people, "第一篇", mode=Push.Mode.PUBLISH)  # a day's one send is the second's
    delivery.advance(first.pk)
    assert settled(first).state == Push.State.DONE
    assert url_of(first).startswith(sandbox.url + "/s/")

    callback_url = requests.get(sandbox.url + "/sandbox/accounts", timeout=5).json()["accounts"][0]["callback_url"]
    fresh = restart(sandbox, callback_url)
    try:
        second = due(account, article_factory, people, "第二篇")
        delivery.advance(second.pk)

        assert settled(second).state == Push.State.DONE, second.error_message
        url = url_of(second)
        assert url.startswith(fresh.url + "/s/") and url != first.items.get().wechat_url
        page = requests.get(url, timeout=5)
        assert page.status_code == 200 and "第二篇" in page.text and "<img" in page.text  # its photo survived
        assert len(calls(fresh, "draft/add", errcode=40007)) == 1  # the remembered cover was gone
        assert len(calls(fresh, "material/add_material")) == 1  # uploaded again once
        assert len(calls(fresh, "draft/add")) == 1 and len(calls(fresh, "message/mass/sendall")) == 1
        assert second.events.filter(action="images_refreshed").count() == 1
    finally:
        fresh.stop()


def test_an_outage_refuses_calls_and_the_same_sandbox_answers_after_it(sandbox, wechat_client):
    draft = add_draft(wechat_client, article(thumb_id(wechat_client), title="停机前"))
    url = sandbox.url
    kept = http.client.HTTPConnection(*sandbox.httpd.server_address[:2], timeout=5)
    kept.request("GET", "/sandbox/accounts")
    assert kept.getresponse().read()  # a kept-alive connection, as the channel's session holds

    sandbox.outage()
    try:
        assert kept.sock.recv(1) == b""  # closed by the sandbox
        with pytest.raises(requests.ConnectionError):  # the session's connection is gone, a new one refused
            wechat_client.draft.get(draft)
    finally:
        sandbox.serve_again()

    assert sandbox.url == url
    assert wechat_client.draft.get(draft)["news_item"][0]["title"] == "停机前"
    assert requests.get(url + "/sandbox/accounts", timeout=5).json()["accounts"][0]["appid"] == APPID


def test_a_call_cut_off_before_its_body_arrived_is_neither_answered_nor_logged(sandbox):
    with socket.create_connection(sandbox.httpd.server_address[:2], timeout=5) as cut:
        cut.sendall(b"POST /cgi-bin/freepublish/submit HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 40\r\n\r\n{")
        cut.shutdown(socket.SHUT_WR)  # as when an outage ends the connection mid-call
        assert cut.recv(1024) == b""
    assert sandbox.calls.as_list() == []  # WeChat never received it
