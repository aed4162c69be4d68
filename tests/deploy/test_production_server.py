"""The production web process as operators run it (issue 16): `cms.settings.production` under gunicorn with
deploy/gunicorn.conf.py, DEBUG off, its static files collected by `collectstatic` and served by WhiteNoise.

Requests come as nginx forwards them (`X-Forwarded-Proto: https` from the allowed proxy address); `/healthz` is
asked over plain HTTP, as a load balancer does."""

import re

import requests

from tests.wechat_channel.callback_requests import TOKEN, fresh, make_account
from tests.wechat_channel.callback_requests import url as callback_url
from wechat_channel.sandbox import crypto

FORWARDED = {"X-Forwarded-Proto": "https"}


def test_gunicorn_serves_the_admin_and_its_hashed_static_files_for_a_year(server):
    url, _web = server

    login = requests.get(f"{url}/admin/login/", headers=FORWARDED, timeout=10)
    assert login.status_code == 200 and "登录" in login.text
    stylesheet = re.search(r'href="(/static/wagtailadmin/css/core\.[0-9a-f]{12}\.css)"', login.text)
    assert stylesheet, "the admin links its stylesheet by a hashed name"

    css = requests.get(url + stylesheet[1], headers=FORWARDED, timeout=10)
    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"] and "max-age=315360000" in css.headers["Cache-Control"]
    gzipped = requests.get(url + stylesheet[1], headers={**FORWARDED, "Accept-Encoding": "gzip"}, timeout=10)
    assert gzipped.headers.get("Content-Encoding") == "gzip"


def test_plain_http_is_sent_to_https_but_the_load_balancers_probe_is_answered(server):
    url, _web = server

    page = requests.get(f"{url}/admin/login/", allow_redirects=False, timeout=10)
    assert page.status_code == 301 and page.headers["Location"].startswith("https://127.0.0.1")
    health = requests.get(f"{url}/healthz", timeout=10)
    assert health.status_code == 200 and health.json()["status"] in ("ok", "degraded")


def test_a_stop_lets_the_workers_finish_and_ends_the_server(server):
    """systemctl stop: SIGTERM to the master, which stops its workers gracefully and exits by itself."""
    _url, web = server

    web.terminate()

    web.process.wait(timeout=40)
    assert web.process.returncode == 0 and not web.group_alive()


def test_wechats_url_verification_of_the_callback_is_answered_through_the_server(server):
    """What WeChat does when the callback URL is saved on mp.weixin.qq.com (服务器配置): a signed GET whose echostr
    must come back as the body, within its 5 seconds."""
    url, _web = server
    make_account(slug="news")  # safe mode, its Token and EncodingAESKey in the service's environment
    ts, nonce = fresh()

    signed = requests.get(
        url + callback_url("news", **crypto.plain_query(TOKEN, ts, nonce), echostr="1234567890987654321"),
        headers=FORWARDED,
        timeout=5,
    )
    forged = requests.get(
        url + callback_url("news", **crypto.plain_query("not-the-token", ts, nonce), echostr="42"),
        headers=FORWARDED,
        timeout=5,
    )

    assert signed.status_code == 200 and signed.text == "1234567890987654321"
    assert forged.status_code == 403 and forged.text != "42"
