"""Input that used to end in a traceback: deeply nested documents and instants past datetime's range (hole 8).

`POST /api/policy/evaluate/` answers 400 in its error format; `manage.py policy evaluate`,
`import`, `check-slot` and `dry-run` print the error and exit non-zero; the dry-run form shows the
reason at its fields and a new draft with a malformed version or scope is a 400. Nothing is stored.
"""

import datetime
import json
from html import unescape

import pytest
import requests
from django.core.management import ManagementUtility
from django.utils import translation
from django.utils.translation import gettext

from policy_rules import versions
from policy_rules.models import PolicyEvent, PolicyVersion
from policy_rules.transfer import MAX_DEPTH
from tests.security.visitor import assert_no_server_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/api/policy/evaluate/"
TOKEN = "policy-input-token"
NESTED = {
    "2KB-of-lists": "[" * 2048,
    "200KB-of-lists": "[" * 200 * 1024,
    "10KB-of-objects": '{"period": ' * 1000 + "{}" + "}" * 1000,
}


@pytest.fixture(autouse=True)
def bearer_token(settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "API_TOKENS": (TOKEN,)}


def too_deep():
    """What the caller reads, in Chinese (the site's language)."""
    with translation.override("zh-hans"):
        return gettext("the document nests lists and objects more than %(limit)d levels deep") % {"limit": MAX_DEPTH}


def stored():
    return PolicyVersion.objects.count(), PolicyEvent.objects.count()


@pytest.mark.parametrize("body", NESTED.values(), ids=NESTED.keys())
def test_the_api_refuses_a_deeply_nested_body_with_a_400(live_server, body):
    before = stored()
    response = requests.post(
        live_server.url + URL,
        data=body.encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json", "Accept-Language": "zh-CN"},
        timeout=30,
    )
    assert_no_server_error(response)
    assert response.status_code == 400
    assert response.json() == {"errors": [{"path": "", "message": too_deep()}]}
    assert stored() == before


def manage(*args, capsys):
    """`manage.py policy …` as a shell runs it: the exit status and what it printed on standard error."""
    with translation.override("zh-hans"), pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "policy", *args]).execute()
    return exited.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "name"),
    [(("evaluate", "--facts"), "facts.json"), (("import",), "policy.json"), (("import",), "policy.yaml")],
    ids=["evaluate", "import-json", "import-yaml"],
)
def test_the_command_line_refuses_a_deeply_nested_file_in_one_line(tmp_path, capsys, command, name):
    path = tmp_path / name
    path.write_text(NESTED["2KB-of-lists"], encoding="utf-8")
    before = stored()

    status, err = manage(*command, str(path), capsys=capsys)

    assert status == 2  # the input is invalid (policy_rules.cli.versions: INVALID)
    assert too_deep() in err and "Traceback" not in err
    assert stored() == before


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "0001-01-01T00:00", "9999-01-01T00:00+08:00"])
def test_check_slot_refuses_an_instant_outside_the_accepted_range(capsys, at):
    status, err = manage("check-slot", "--at", at, capsys=capsys)

    assert status == 2  # argparse's status for a bad argument
    assert "Traceback" not in err and "OverflowError" not in err
    with translation.override("zh-hans"):
        message = gettext("%(value)s is outside the accepted range, %(earliest)s to %(latest)s") % {
            "value": at,
            "earliest": "0002-01-01",
            "latest": "9998-12-31",
        }
    assert f"argument --at: {message}" in err


# Instants and days past datetime's range in a facts document, a dry run's period and a new draft's input
# (policy_rules.bounds: 0002-01-01 to 9998-12-31, the range check-slot already used).

FAR_INSTANTS = ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"]


def outside_range(value):
    with translation.override("zh-hans"):
        return gettext("%(value)s is outside the accepted range, %(earliest)s to %(latest)s") % {
            "value": value,
            "earliest": "0002-01-01",
            "latest": "9998-12-31",
        }


def facts(submitted_at):
    """A valid facts document (docs/facts-document.md) but for the one instant under test."""
    return {
        "period": {"start": "2026-03-02", "end": "2026-03-15"},
        "departments": [{"id": "a", "name": "学生处"}],
        "submissions": [{"id": 1, "provider": "department", "department": "a", "submitted_at": submitted_at}],
    }


def parsed(text):
    """The instant as the facts document reads it (the message names it in ISO form)."""
    return datetime.datetime.fromisoformat(text).isoformat()


@pytest.mark.parametrize("at", FAR_INSTANTS)
def test_the_api_refuses_an_instant_outside_the_accepted_range_with_a_400(live_server, at):
    response = requests.post(
        live_server.url + URL,
        json=facts(at),
        headers={"Authorization": f"Bearer {TOKEN}", "Accept-Language": "zh-CN"},
        timeout=30,
    )

    assert_no_server_error(response)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["path"], error["code"]) == ("submissions.0.submitted_at", "out_of_range")
    # In the request's language, naming the field (policy_rules/facts_errors.py); `message` stays the English record.
    assert error["text"] == f"稿件 · 第 1 项 · 提交时间：{outside_range(parsed(at))} [submissions.0.submitted_at]"


def test_the_api_refuses_a_period_outside_the_accepted_range_with_a_400(live_server):
    document = {**facts("2026-03-02T10:00"), "period": {"start": "9999-12-01", "end": "9999-12-31"}}

    response = requests.post(
        live_server.url + URL,
        json=document,
        headers={"Authorization": f"Bearer {TOKEN}", "Accept-Language": "zh-CN"},
        timeout=30,
    )

    assert_no_server_error(response)
    assert response.status_code == 400
    assert [(error["path"], error["text"]) for error in response.json()["errors"]] == [
        ("period.start", f"统计期间 · 开始日期：{outside_range('9999-12-01')} [period.start]"),
        ("period.end", f"统计期间 · 结束日期：{outside_range('9999-12-31')} [period.end]"),
    ]


@pytest.mark.parametrize("at", FAR_INSTANTS)
def test_evaluate_refuses_an_instant_outside_the_accepted_range_on_the_command_line(tmp_path, capsys, at):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts(at)), encoding="utf-8")

    status, err = manage("evaluate", "--facts", str(path), capsys=capsys)

    assert status == 2  # policy_rules.cli.evaluate: INVALID_FACTS
    assert f"稿件 · 第 1 项 · 提交时间：{outside_range(parsed(at))} [submissions.0.submitted_at]" in err
    assert "Traceback" not in err and "OverflowError" not in err


FAR_PERIODS = [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-12-31")]


@pytest.fixture
def validated(people):
    """A validated draft of the default scope: the version a dry run replays."""
    version = versions.start_draft("default", people["policy"])
    assert versions.validate(version, people["policy"])["ok"]
    return version


@pytest.mark.parametrize(("start", "end"), FAR_PERIODS)
def test_the_dry_run_form_refuses_a_period_outside_the_accepted_range(signed_in, validated, start, end):
    policy = signed_in("policy")
    path = f"/admin/policy/{validated.pk}/dry-run/"
    before = stored()

    response = policy.post(path, {"start": start, "end": end})

    assert_no_server_error(response)
    assert response.status_code == 200  # the form again, with the reason at each field
    page = unescape(response.text)
    assert outside_range(start) in page and outside_range(end) in page
    assert stored() == before


@pytest.mark.parametrize(("start", "end"), FAR_PERIODS)
def test_dry_run_refuses_a_period_outside_the_accepted_range_on_the_command_line(capsys, validated, start, end):
    before = stored()

    status, err = manage("dry-run", "--version", str(validated.number), "--from", start, "--to", end, capsys=capsys)

    assert status == 2  # argparse's status for a bad argument
    assert f"argument --from: {outside_range(start)}" in err
    assert "Traceback" not in err and "OverflowError" not in err
    assert stored() == before


@pytest.mark.parametrize(
    "data",
    [
        {"from": "abc"},
        {"from": "1e3"},
        {"from": "²"},
        {"scope": ""},
        {"scope": "a" * 300},
        {"scope": "ab\x00c"},
        {"scope": "<script>"},
    ],
    ids=["from-letters", "from-float", "from-superscript", "scope-empty", "scope-300", "scope-nul", "scope-markup"],
)
def test_a_new_draft_with_a_malformed_version_or_scope_is_a_400(signed_in, people, data):
    policy = signed_in("policy")
    before = stored()

    response = policy.post("/admin/policy/new/", data, form_path="/admin/policy/")

    assert_no_server_error(response)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert stored() == before


@pytest.mark.parametrize("scope", ["a" * 300, "ab\x00c", "<script>"], ids=["300-chars", "nul", "markup"])
def test_the_api_refuses_a_malformed_scope_with_a_400(live_server, scope):
    response = requests.post(
        live_server.url + URL,
        params={"scope": scope},
        json=facts("2026-03-02T10:00"),
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )

    assert_no_server_error(response)
    assert response.status_code == 400
    assert [error["path"] for error in response.json()["errors"]] == ["scope"]
