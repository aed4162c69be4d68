"""Fixtures of the policy admin's tests: the policy administrator signed in, and a draft version started."""

import pytest

from policy_rules.models import PolicyVersion
from tests.policy_rules.editor_form import url


@pytest.fixture
def policy_client(client, people):
    client.force_login(people["policy"])
    return client


@pytest.fixture
def draft(policy_client):
    response = policy_client.post(url("start_draft"), {"scope": "default"})
    version = PolicyVersion.objects.get(number=2)
    assert response.status_code == 302 and response.url == url("edit", version.pk)
    return version
