"""Input that used to end in a traceback: deeply nested documents and instants past datetime's range (hole 8).

`POST /api/policy/evaluate/` answers 400 in its error format; `manage.py policy evaluate`,
`import` and `check-slot` print one error line and exit non-zero. Nothing is stored.
"""

import pytest
import requests
from django.core.management import ManagementUtility
from django.utils import translation
from django.utils.translation import gettext

from policy_rules.models import PolicyEvent, PolicyVersion
from policy_rules.transfer import MAX_DEPTH
from tests.security.conftest import assert_no_server_error

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

URL = "/api/policy/evaluate/"
TOKEN = "policy-input-token"  # noqa: S105
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
