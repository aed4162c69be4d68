"""Hole 10 (part): admin pages make no third-party requests (Gravatar and wagtail.org's upgrade check are
unreachable from mainland China, and each request tells a foreign host who is signed in)."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.security.visitor import assert_no_server_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# What a browser fetches by itself: src="…", <link href="…"> (styles, icons), and url(…) in inline styles.
FETCHED = re.compile(r'(?:src|srcset|data-src)="([^"]+)"|<link[^>]+href="([^"]+)"|url\(([^)]+)\)')


def foreign(html, origin):
    urls = [next(u for u in match if u) for match in FETCHED.findall(html)]
    return [u for u in urls if (u.startswith("//") or "://" in u) and not u.startswith(origin)]


@pytest.mark.parametrize("path", ["/admin/", "/admin/account/", "/admin/wechat/accounts/"])
def test_admin_pages_fetch_nothing_from_other_hosts(signed_in, people, live_server, path):
    admin = signed_in("channel")  # has an e-mail address: a Gravatar URL would be made for it

    response = admin.get(path)

    assert_no_server_error(response)
    assert response.status_code == 200
    assert "gravatar" not in response.text.lower()
    assert foreign(response.text, live_server.url) == []


def test_the_dashboard_does_not_ask_wagtail_org_for_upgrades(signed_in, live_server):
    get_user_model().objects.create_superuser("root", "root@example.edu.cn", "pw")
    root = signed_in("root")

    response = root.get("/admin/")

    assert_no_server_error(response)
    assert response.status_code == 200
    assert 'data-controller="w-upgrade' not in response.text
    assert foreign(response.text, live_server.url) == []
