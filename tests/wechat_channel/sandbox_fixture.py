"""The `sandbox` fixture, a pytest plugin listed in tests/conftest.py's `pytest_plugins`: the channel's tests
and the site's (menu changes, the article's WeChat adapter) all run against it."""

import pytest

from tests.wechat_channel.sandbox_access import APPID, SECRET, SHORT_SPACING
from wechat_channel.sandbox.server import SandboxServer
from wechat_channel.sandbox.state import Clock


@pytest.fixture
def sandbox():
    """A SandboxServer with one account and a frozen clock, serving on 127.0.0.1 from a background thread.

    Failed event deliveries are retried 0.05 s apart instead of WeChat's 5 s, so tests stay fast.
    """
    server = SandboxServer(
        port=0, seed=7, accounts={APPID: SECRET}, clock=Clock(frozen=True), publishing=SHORT_SPACING
    ).start()
    yield server
    server.stop()
