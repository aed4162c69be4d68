"""What the credential tests share: an account, and channel administrators to hold its credentials."""

import pytest

from tests.factories import make_user
from tests.wechat_channel.admin_factories import make_account


@pytest.fixture
def account(db):
    return make_account(name="瑞安学院", slug="raxy")


@pytest.fixture
def staff(db):
    """`staff(n)`: n new channel administrators, tech0 … tech(n-1)."""
    return lambda n: [make_user(f"tech{i}", "channel_admin") for i in range(n)]
