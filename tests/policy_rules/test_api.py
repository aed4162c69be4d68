"""`POST /api/policy/evaluate/`: who may call it, what it answers, what it refuses."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from policy_rules.api import MAX_BODY_BYTES
from tests.policy_rules.period_facts import facts

URL = "/api/policy/evaluate/"
TOKEN = "s3cret-policy-token"


@pytest.fixture(autouse=True)
def tokens(settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "API_TOKENS": ("another-token", TOKEN)}


def post(client, data, **headers):
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", headers=headers)


def make_user(username, permitted):
    user = get_user_model().objects.create_user(username=username, password="pw")
    if permitted:
        user.user_permissions.add(Permission.objects.get(codename="view_policyversion"))
    return user


@pytest.fixture
def permitted_client(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("analyst", permitted=True))
    return client


def bearer(token=TOKEN):
    return {"Authorization": f"Bearer {token}"}


def test_anonymous_is_refused(db):
    response = post(Client(), facts())

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_session_user_without_permission_is_forbidden(db):
    client = Client()
    client.force_login(make_user("reader", permitted=False))

    assert post(client, facts()).status_code == 403


def test_session_user_with_permission_gets_outcomes(permitted_client):
    permitted_client.get("/admin/login/")  # sets the CSRF cookie
    token = permitted_client.cookies["csrftoken"].value

    response = post(permitted_client, facts(), **{"X-CSRFToken": token})

    assert response.status_code == 200
    data = response.json()
    assert data["policy_version"] == "default@v1"
    assert data["contributors"]["101"]["points"] == 20
    assert data["departments"]["2"]["discipline"] == "escalation"


def test_session_post_without_csrf_token_is_forbidden(permitted_client):
    response = post(permitted_client, facts())

    assert response.status_code == 403
    assert "CSRF" in response.json()["errors"][0]["message"]


def test_bearer_token_gets_outcomes_without_csrf(db):
    response = post(Client(enforce_csrf_checks=True), facts(), **bearer())

    assert response.status_code == 200
    assert response.json()["working_days"]["2026-09-11"] == {"pushes": 0, "met": False}


@pytest.mark.parametrize("token", ["wrong", TOKEN[:-1], TOKEN + "x", ""])
def test_wrong_bearer_token_is_refused(db, token):
    assert post(Client(), facts(), **bearer(token)).status_code == 401


def test_no_configured_tokens_accept_nothing(db, settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "API_TOKENS": ()}

    assert post(Client(), facts(), **bearer("")).status_code == 401


def test_invalid_facts_are_a_400_listing_paths(db):
    data = facts()
    data["submissions"][3]["contributor"] = 4242
    data["pushes"][1]["breaking"] = "sometimes"

    response = post(Client(), data, **bearer())

    assert response.status_code == 400
    paths = {error["path"] for error in response.json()["errors"]}
    assert paths == {"submissions.3.contributor", "pushes.1.breaking"}


def test_invalid_json_is_a_400(db):
    response = post(Client(), "{'period': nope", **bearer())

    assert response.status_code == 400
    assert "not JSON" in response.json()["errors"][0]["message"]


def test_a_json_array_is_a_400(db):
    assert post(Client(), [1, 2, 3], **bearer()).status_code == 400


def test_body_over_the_limit_is_a_413(db):
    body = json.dumps({**facts(), "padding": "x" * MAX_BODY_BYTES})

    assert post(Client(), body, **bearer()).status_code == 413


def test_body_over_the_form_upload_limit_but_under_five_megabytes_is_read(db):
    body = json.dumps(facts()) + " " * 3_000_000  # past Django's 2.5 MB form limit; whitespace is valid JSON

    assert post(Client(), body, **bearer()).status_code == 200


def test_only_post(db):
    assert Client().get(URL, headers=bearer()).status_code == 405


def test_no_active_version_is_a_503(db):
    response = Client().post(
        URL + "?scope=nowhere", json.dumps(facts()), content_type="application/json", headers=bearer()
    )

    assert response.status_code == 503
