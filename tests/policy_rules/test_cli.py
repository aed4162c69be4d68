"""`manage.py policy check-slot` and `manage.py policy evaluate`."""

import io
import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from tests.policy_rules.period_facts import facts


def run(*args):
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


def test_check_slot_json_shape(db):
    data = json.loads(run("check-slot", "--at", "2026-09-15T18:00", "--json"))

    assert data == {
        "allowed": False,
        "reasons": [data["reasons"][0]],
        "warnings": [],
        "next_slot": "2026-09-15T20:00:00+08:00",
        "policy_version": "default@v1",
    }
    assert data["reasons"][0]["rule"] == "A11.2"
    assert data["reasons"][0]["message"]


def test_check_slot_with_every_option(db):
    data = json.loads(
        run(
            "check-slot",
            "--at",
            "2026-09-12T10:00:00+08:00",
            "--entered-office-at",
            "2026-09-12T01:00:00+08:00",
            "--category",
            "study",
            "--json",
        )
    )

    # Saturday: no window; 9 h lead is short (A16) and the category draws a warning (A10.3).
    assert data["allowed"] is False
    assert [reason["rule"] for reason in data["reasons"]] == ["A16"]
    assert [warning["rule"] for warning in data["warnings"]] == ["A10.3"]
    assert data["next_slot"] == "2026-09-12T13:00:00+08:00"


def test_check_slot_breaking(db):
    data = json.loads(run("check-slot", "--at", "2026-09-15T03:00", "--breaking", "--json"))

    assert data["allowed"] is True
    assert data["next_slot"] == "2026-09-15T03:00:00+08:00"


def test_check_slot_text_output_in_the_operators_chinese(db):
    refused = run("check-slot", "--at", "2026-09-15T18:00", "--language", "zh-hans").splitlines()
    allowed = run("check-slot", "--at", "2026-09-15T16:30", "--language", "zh-hans").splitlines()

    assert refused == [
        "不允许推送（default@v1）",
        "  原因：A11.2：不在当天的推送时段内（工作日：16:00–18:00 / 20:00–21:00）",
        "  下一个可推送时间：2026-09-15T20:00:00+08:00",
    ]
    assert allowed == ["允许推送（default@v1）"]


def test_check_slot_speaks_the_shells_language_unless_told(db, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "en_GB.UTF-8")

    assert run("check-slot", "--at", "2026-09-15T16:30") == "allowed (default@v1)\n"
    assert run("check-slot", "--at", "2026-09-15T16:30", "--language", "zh-hans") == "允许推送（default@v1）\n"
    monkeypatch.setenv("LANGUAGE", "")
    monkeypatch.setenv("LANG", "C.UTF-8")  # no language in the locale: the site's, zh-hans
    assert run("check-slot", "--at", "2026-09-15T18:00").startswith("不允许推送")


def test_check_slot_rejects_a_bad_instant(db):
    with pytest.raises(CommandError, match="ISO 8601"):
        run("check-slot", "--at", "tomorrow afternoon")


@pytest.mark.parametrize("at", ["0002-01-01T00:00+14:00", "9998-12-31T23:59-12:00"])
def test_check_slot_answers_at_the_ends_of_the_accepted_range(db, at):
    assert run("check-slot", "--at", at, "--language", "en").startswith(("allowed", "refused"))


def test_check_slot_without_an_active_version(db):
    with pytest.raises(CommandError, match="范围“nowhere”没有生效中的版本。"):
        run("check-slot", "--at", "2026-09-15T16:30", "--scope", "nowhere")


@pytest.fixture
def facts_file(tmp_path):
    def write(data, name="facts.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)

    return write


def test_evaluate_json_outcomes(db, facts_file):
    data = json.loads(run("evaluate", "--facts", facts_file(facts()), "--json"))

    assert set(data) == {"policy_version", "period", "departments", "contributors", "working_days", "violations"}
    assert data["policy_version"] == "default@v1"
    # Under the regulation's own numbers (20 a semester), no department meets its period quota.
    assert {key: d["semester_met"] for key, d in data["departments"].items()} == {
        "1": True,
        "2": False,
        "3": False,
        "4": False,
    }
    assert data["contributors"]["101"]["points"] == 20
    assert data["departments"]["2"]["discipline"] == "escalation"


def test_evaluate_text_summary(db, facts_file):
    output = run("evaluate", "--facts", facts_file(facts()))

    assert "default@v1" in output
    assert "教务科" in output
    assert "A11.1 2026-09-11" in output


def test_invalid_facts_exit_two_with_each_path(db, facts_file):
    data = facts()
    data["submissions"][0]["department"] = 99
    data["pushes"][0]["at"] = "soon"

    with pytest.raises(CommandError) as raised:
        run("evaluate", "--facts", facts_file(data))

    assert raised.value.returncode == 2
    assert "稿件 · 第 1 项 · 科室：文档中没有编号为 99 的科室。 [submissions.0.department]" in str(raised.value)
    assert "[pushes.0.at]" in str(raised.value)


def test_invalid_facts_with_json_print_the_errors(db, facts_file):
    data = facts()
    data["errors"][0]["submission"] = 99
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("policy", "evaluate", "--facts", facts_file(data), "--json", stdout=out)

    assert json.loads(out.getvalue())["errors"][0]["path"] == "errors.0.submission"


def test_not_json_exits_two(db, facts_file):
    with pytest.raises(CommandError) as raised:
        run("evaluate", "--facts", facts_file("{not json"))

    assert raised.value.returncode == 2


def test_process_exit_code_is_two(db, facts_file, capsys):
    data = facts()
    data["submissions"][0]["accepted"] = "perhaps"

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "policy", "evaluate", "--facts", facts_file(data)]).execute()

    assert exited.value.code == 2
    assert "submissions.0.accepted" in capsys.readouterr().err
