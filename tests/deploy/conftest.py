"""The production web process for the deploy tests: `cms.settings.production` under gunicorn with
deploy/gunicorn.conf.py, DEBUG off, the static files collected by `collectstatic`, the test database (and Redis,
where the suite has it)."""

import secrets
import subprocess
import sys

import pytest
from django.db import connection

from tests.deploy.production import SITE_HOST, start_site
from tests.live_processes import BASE_DIR, ProcessGroup
from tests.wechat_channel.callback_requests import KEY, TOKEN


def database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """`manage.py collectstatic` as a deploy runs it, under the production settings, once per test process."""
    root = tmp_path_factory.mktemp("static")
    env = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(root),
    }
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300)
    return root


@pytest.fixture
def production(tmp_path, settings, static_root, transactional_db):
    """The production settings' environment: the test database (and Redis, where the suite has it)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"127.0.0.1,{SITE_HOST}",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WEB_CONCURRENCY": "2",
        # The WeChat account of tests/wechat_channel/callback_requests.py, its secrets where the service has them.
        "WECHAT_CB_SECRET": "deploy-test-app-secret",
        "WECHAT_CB_TOKEN": TOKEN,
        "WECHAT_CB_AES_KEY": KEY,
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    else:
        make_cache_table(env)
    return env


_cache_tables = set()


def make_cache_table(env):
    """Without Redis the production settings cache in the database (`createcachetable`, as docs/operations.md
    says), once per test database: the table belongs to no model, so the flush between tests leaves it."""
    if env["DATABASE_URL"] not in _cache_tables:
        command = [sys.executable, "manage.py", "createcachetable"]
        subprocess.run(command, cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=120)
        _cache_tables.add(env["DATABASE_URL"])


@pytest.fixture
def server(production, tmp_path):
    """gunicorn on the production settings; (its URL, its process)."""
    group = ProcessGroup()
    try:
        yield start_site(group, production, tmp_path)
    finally:
        group.stop_all()
