"""What an attack in tests/security/ uses: a `Visitor` (a browser-like `requests` session at the live site), what a
student types into the public contribution form, and the check that an answer is never a server error."""

import re
from html import unescape

import requests

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor:
    """A browser at the live site: keeps cookies, sends the CSRF token and an Origin like Chromium does."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = "zh-CN,zh;q=0.9"

    def url(self, path):
        return path if path.startswith("http") else self.base_url + path

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", 20)
        kwargs.setdefault("allow_redirects", False)
        return self.session.get(self.url(path), **kwargs)

    def csrf_token(self, path):
        """The CSRF token of the form at `path` (a GET first, as a browser opens the form)."""
        page = self.get(path, allow_redirects=True)
        found = CSRF_FIELD.search(page.text)
        if found:
            return unescape(found.group(1))
        return self.session.cookies.get("csrftoken", "")

    def post(self, path, data=None, files=None, form_path=None, headers=None, **kwargs):
        """POST as the form at `form_path` (default: `path`) would submit it, CSRF token included."""
        data = dict(data or {})
        data.setdefault("csrfmiddlewaretoken", self.csrf_token(form_path or path))
        sent_headers = {"Origin": self.base_url, "Referer": self.url(form_path or path), **(headers or {})}
        kwargs.setdefault("timeout", 30)
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(self.url(path), data=data, files=files, headers=sent_headers, **kwargs)

    def login(self, username, password="pw"):
        """Sign in to the admin through its login form; fails the test if the login is refused."""
        response = self.post("/admin/login/", {"username": username, "password": password})
        assert response.status_code == 302, f"login of {username} refused ({response.status_code})"
        return self


def contribution_form(people, **overrides):
    """What a student types into the public contribution form (A6.1), with `overrides`."""
    return {
        "title": "运动会开幕",
        "text": "第一段",
        "name": "李同学",
        "number": "2026123456",
        "kind": "student",
        "department": people["dept_a"].pk,
        "email": "li@example.edu.cn",
        "on_behalf_of": "self",
        **overrides,
    }


def assert_no_server_error(response):
    """The answer to an attack is a clear refusal, never a 500 with a traceback."""
    assert response.status_code < 500, f"{response.request.method} {response.url} → {response.status_code}"
    assert "Traceback" not in response.text
