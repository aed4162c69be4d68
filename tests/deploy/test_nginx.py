"""deploy/nginx/newsroom.conf as operators install it, run by a real nginx in front of gunicorn (issue 16).

The site file is used as written; only what an operator changes is changed here (ports, the certificate, the paths
of the checkout), with a self-signed certificate. It checks what the issue and docs/security.md ask of the proxy:
TLS in front of the site, plain HTTP sent to https except the load balancer's probe, uploads that are never a page
of the site, static files cached for a year, and bodies no larger than each form and the WeChat callback accept."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.deploy.production import SITE_HOST
from tests.live_processes import BASE_DIR, LiveProcess, free_ports, poll
from tests.wechat_channel.callback_requests import TOKEN, fresh, make_account
from tests.wechat_channel.callback_requests import url as callback_url
from wechat_channel.sandbox import crypto

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = BASE_DIR / "deploy" / "nginx" / "newsroom.conf"
PROXY = BASE_DIR / "deploy" / "nginx" / "newsroom-proxy.conf"

if not Path(NGINX).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true and nginx is not installed: .ci/run installs it")
    pytest.skip("nginx is not installed (Debian: apt-get install nginx-light)", allow_module_level=True)

CERTIFICATE = {}  # the path of the running nginx's self-signed certificate, which the requests verify


def site_file(tmp, ports, web_url, static_root, media_root):
    """The site file with what an operator changes: host ports, the certificate, the checkout's paths."""
    text = SITE.read_text()
    for written, operators in [
        ("listen 80;", f"listen 127.0.0.1:{ports['http']};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{ports['https']} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/news.example.edu.cn/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/news.example.edu.cn/privkey.pem", str(tmp / "key.pem")),
        ("/srv/newsroom/static/", f"{static_root}/"),
        ("/srv/newsroom/media/", f"{media_root}/"),
        ("server 127.0.0.1:8000;", f"server {web_url.removeprefix('http://')};"),
        ("/etc/nginx/newsroom-proxy.conf", str(PROXY)),
    ]:
        assert written in text, f"{written!r} is no longer in {SITE.name}: update this test with it"
        text = text.replace(written, operators)
    return text


def main_conf(tmp, site):
    """Debian's /etc/nginx/nginx.conf in short, with this test's own files."""
    temp = {name: tmp / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    return f"""
daemon off;
{"user root;" if os.geteuid() == 0 else ""}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    {site}
}}
"""


@pytest.fixture
def nginx(server, production, static_root, tmp_path):
    web_url, _web = server
    tmp = tmp_path / "nginx"
    tmp.mkdir()
    names = f"subjectAltName=DNS:{SITE_HOST},IP:127.0.0.1"  # the tests ask 127.0.0.1; the site's name too
    files = ["-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")]
    request = ["-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", f"/CN={SITE_HOST}", "-addext", names]
    subprocess.run(
        ["openssl", "req", *request, *files],
        check=True,
        capture_output=True,
        timeout=60,
    )
    http, https = free_ports(2)
    media_root = Path(production["MEDIA_ROOT"])
    media_root.mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx.conf"
    site = site_file(tmp, {"http": http, "https": https}, web_url, static_root, media_root)
    conf.write_text(main_conf(tmp, site))
    checked = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True, timeout=30, check=False)
    assert checked.returncode == 0, checked.stderr
    run_nginx = f"import os; os.execv({NGINX!r}, [{NGINX!r}, '-c', {str(conf)!r}])"  # in its own session, as a child
    proxy = LiveProcess("nginx", [], {}, tmp, program=("-c", run_nginx))
    proxy.launch()
    up = poll(lambda: _answers(f"http://127.0.0.1:{http}/healthz"), 30, every=0.1)
    try:
        assert up, (tmp / "error.log").read_text() if (tmp / "error.log").exists() else "nginx did not start"
        CERTIFICATE["path"] = str(tmp / "cert.pem")
        yield {"http": f"http://127.0.0.1:{http}", "https": f"https://127.0.0.1:{https}", "media": media_root}
    finally:
        proxy.stop(grace=5)


def _answers(url):
    try:
        return requests.get(url, headers={"Host": SITE_HOST}, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def get(url, **kwargs):
    verify = CERTIFICATE["path"] if url.startswith("https:") else True
    return requests.get(url, headers={"Host": SITE_HOST}, verify=verify, allow_redirects=False, timeout=10, **kwargs)


def post(url, body, content_type="application/octet-stream"):
    headers = {"Host": SITE_HOST, "Content-Type": content_type}
    return requests.post(url, data=body, headers=headers, verify=CERTIFICATE["path"], allow_redirects=False, timeout=30)


def test_the_site_is_served_over_tls_and_plain_http_goes_to_https_but_the_probe(nginx):
    login = get(f"{nginx['https']}/admin/login/")
    assert login.status_code == 200 and "登录" in login.text
    # Django saw https through the proxy (X-Forwarded-Proto): its cookie is sent only over https.
    assert "Secure" in login.headers["Set-Cookie"]

    plain = get(f"{nginx['http']}/admin/login/")
    assert plain.status_code == 301 and plain.headers["Location"] == f"https://{SITE_HOST}/admin/login/"
    probe = get(f"{nginx['http']}/healthz")
    assert probe.status_code == 200 and probe.json()["database"]["ok"]


def test_static_files_are_served_from_disk_for_a_year(nginx):
    login = get(f"{nginx['https']}/admin/login/").text
    stylesheet = login[login.index("/static/wagtailadmin/css/core.") :].split('"')[0]

    css = get(nginx["https"] + stylesheet)

    assert css.status_code == 200 and css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"] and "max-age=31536000" in css.headers["Cache-Control"]


def test_an_upload_is_only_ever_an_image_or_a_download_never_a_page_of_the_site(nginx):
    media = nginx["media"]
    Image.new("RGB", (8, 8), (200, 40, 40)).save(media / "photo.png")
    (media / "evil.html").write_text("<script>fetch('/admin/')</script>")
    (media / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')

    photo = get(f"{nginx['https']}/media/photo.png")
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/png"
    assert "Content-Disposition" not in photo.headers
    for name in ("photo.png", "evil.html", "evil.svg"):
        answer = get(f"{nginx['https']}/media/{name}")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
        if name != "photo.png":
            assert answer.headers["Content-Disposition"] == "attachment", name


def test_wechat_verifies_the_callback_url_through_the_proxy(nginx):
    make_account(slug="news")
    ts, nonce = fresh()

    answer = get(nginx["https"] + callback_url("news", **crypto.plain_query(TOKEN, ts, nonce), echostr="20261207"))

    assert answer.status_code == 200 and answer.text == "20261207"


def test_each_door_takes_no_larger_a_body_than_its_form_accepts(nginx):
    https = nginx["https"]
    # WeChat's callback: 64 KiB (CALLBACK_MAX_BYTES).
    assert post(f"{https}/wechat/callback/news/", b"<xml>" + b"a" * 70_000 + b"</xml>", "text/xml").status_code == 413
    # The admin: 12 MB (an image of 10 MB and its form).
    assert post(f"{https}/admin/login/", b"a" * (13 * 1024 * 1024)).status_code == 413
    # The public contribution form takes 20 images of 5 MB: nginx passes 30 MB on, Django answers it.
    started = time.monotonic()
    answer = post(f"{https}/contribute/", b"a" * (30 * 1024 * 1024), "multipart/form-data; boundary=x")
    assert answer.status_code not in (413, 502, 504), answer.status_code
    assert time.monotonic() - started < 30
