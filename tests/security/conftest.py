"""Attacks over HTTP against a live site: a `Visitor` is a browser-like `requests` session.

Each test in this folder performs one attack the way an outsider (or a signed-in role)
would, against pytest-django's live server and, where WeChat is involved, the sandbox
on a loopback port, then checks that it failed: the documented status, never a 500,
and no change of state. The visitor, the form it sends and the check of the answer are in visitor.py.
"""

import pytest

from tests.security.visitor import Visitor


@pytest.fixture
def visitor(live_server):
    """An anonymous visitor of the live site."""
    return Visitor(live_server.url)


@pytest.fixture
def signed_in(live_server):
    """`signed_in(username)`: a visitor signed in to the admin as that user (password "pw")."""

    def factory(username, password="pw"):
        return Visitor(live_server.url).login(username, password)

    return factory


@pytest.fixture
def fresh_state(settings, tmp_path):
    """Uploads in a throw-away media folder, no counters or replay records in the cache, an empty outbox."""
    from django.core import mail
    from django.core.cache import cache

    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    mail.outbox.clear()
    yield
    cache.clear()
