"""A facts document that is not valid (policy_rules/facts_errors.py): each error named as the field it is about and
worded in the reader's language, through `manage.py policy evaluate --facts`, the dry run and the API — never
pydantic's English, never a traceback, and nothing evaluated."""

import io
import json

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from policy_rules import facts_errors
from policy_rules.facts_document import FactsDocumentError, parse_facts
from tests.policy_rules.governance import END, START, fortnight_facts, validated
from tests.policy_rules.period_facts import facts

URL = "/api/policy/evaluate/"
ENGLISH_OF_PYDANTIC = ("Input should", "Value error", "validation error", "Extra inputs", "Traceback")


def refusal(data, language="zh-hans", tmp_path=None):
    """What `policy evaluate` says of a facts file holding `data` (a JSON text or data), and its exit code."""
    path = tmp_path / "facts.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("policy", "evaluate", "--facts", str(path), "--language", language, stdout=io.StringIO())
    return str(refused.value), refused.value.returncode


def an_attack():
    """The fortnight's facts with one of each kind of mistake an operator or an attacker could hand in."""
    data = facts()
    data["unknown"] = "x"  # a key the document does not have
    data["version"] = -1
    data["period"]["end"] = "2028-01-01"  # over 400 days
    data["departments"][0]["name"] = "科" * 300  # oversized
    data["departments"][1]["id"] = True  # a boolean is not an id
    data["submissions"][0]["accepted"] = "perhaps"
    data["submissions"][1]["submitted_at"] = "99999-01-01T00:00"
    data["submissions"][2]["published_at"] = "0001-01-01T00:00"  # before the accepted range
    data["submissions"][3]["department"] = 99  # not listed
    data["submissions"][4]["provider"] = "robot"
    data["pushes"][0]["articles"] = [data["submissions"][5]["id"]] * 9  # more than 8
    data["pushes"][1] = "later"
    return data


def test_every_mistake_is_named_and_worded_in_chinese(db, tmp_path):
    message, code = refusal(an_attack(), tmp_path=tmp_path)
    lines = message.splitlines()

    assert code == 2
    assert lines[0] == "事实数据文档有误："
    for line in [
        "  “unknown”：事实数据文档中没有这一项。 [unknown]",
        "  事实数据文档版本：请使用以下值之一：1。 [version]",
        "  统计期间：统计期间最长 400 天。 [period]",
        "  科室 · 第 1 项 · 名称：最多输入 200 个字符。 [departments.0.name]",
        "  科室 · 第 2 项 · 编号：编号应为整数，或 1 至 100 个字符的文本。 [departments.1.id]",
        "  稿件 · 第 1 项 · 是否采用：请填写 true 或 false。 [submissions.0.accepted]",
        "  稿件 · 第 2 项 · 提交时间：请输入日期时间，如 2026-09-07T10:00:00+08:00。 [submissions.1.submitted_at]",
        "  稿件 · 第 3 项 · 发布时间：0001-01-01T00:00:00 超出可接受的范围：0002-01-01 至 9998-12-31 "
        "[submissions.2.published_at]",
        "  稿件 · 第 4 项 · 科室：文档中没有编号为 99 的科室。 [submissions.3.department]",
        "  稿件 · 第 5 项 · 供稿方式：请使用以下值之一：'office', 'department', 'personal'。 [submissions.4.provider]",
        "  推送 · 第 1 项 · 推送的稿件：最多填写 8 项。 [pushes.0.articles]",
        "  推送 · 第 2 项：这一项应为 JSON 对象。 [pushes.1]",
    ]:
        assert line in lines
    assert not any(english in message for english in ENGLISH_OF_PYDANTIC)


def test_the_same_mistakes_read_in_english_for_an_english_operator(db, tmp_path):
    message, _code = refusal(an_attack(), language="en", tmp_path=tmp_path)

    assert "  Submission · entry 1 · Accepted: Enter true or false. [submissions.0.accepted]" in message.splitlines()
    assert "Input should" not in message


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"period": {"start": "2026-09-07",, }', "facts.json 不是有效的 JSON：第 1 行第 35 列有误。"),
        ("[1, 2]", "事实数据文档：事实数据文档应为 JSON 对象。"),
        (
            '{"period": {"start": "2026-09-20", "end": "2026-09-07"}}',
            "统计期间：期间的结束日期（2026-09-07）早于开始日期（2026-09-20）。",
        ),
        ("[" * 100 + "]" * 100, "32"),  # nested deeper than the API accepts: refused before parsing
        (b"\xff\xfe{}", "不是 UTF-8 编码的文本。"),
    ],
    ids=["malformed", "not-an-object", "period-backwards", "too-deep", "not-utf8"],
)
def test_a_file_that_is_not_a_facts_document_is_refused_in_chinese(db, tmp_path, text, said):
    path = tmp_path / "facts.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(CommandError) as refused:
        call_command("policy", "evaluate", "--facts", str(path), "--language", "zh-hans", stdout=io.StringIO())

    assert refused.value.returncode == 2
    assert said in str(refused.value)
    assert not any(english in str(refused.value) for english in ENGLISH_OF_PYDANTIC)


def test_an_oversized_file_is_refused_before_it_is_read_whole(db, tmp_path, monkeypatch):
    monkeypatch.setattr("policy_rules.cli.evaluate.MAX_FACTS_BYTES", 1024)
    message, code = refusal(
        {"period": {"start": START, "end": END}, "departments": [{"id": "x" * 2000}]}, tmp_path=tmp_path
    )

    assert code == 2 and "大于" in message


def test_the_process_exits_non_zero_with_the_chinese_error_and_no_traceback(db, tmp_path, capsys):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(an_attack()), encoding="utf-8")

    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["manage.py", "policy", "evaluate", "--facts", str(path), "--language", "zh-hans"]).execute()

    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert "稿件 · 第 1 项 · 是否采用：请填写 true 或 false。" in err
    assert "Traceback" not in err


def test_the_json_errors_keep_their_codes_and_gain_the_words(db, tmp_path):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(an_attack()), encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("policy", "evaluate", "--facts", str(path), "--json", "--language", "zh-hans", stdout=out)

    errors = {error["path"]: error for error in json.loads(out.getvalue())["errors"]}
    assert errors["submissions.3.department"]["code"] == "unknown_reference"
    assert errors["submissions.3.department"]["message"] == "unknown department 99: not listed in the document"
    assert errors["submissions.3.department"]["text"].startswith("稿件 · 第 4 项 · 科室：")


def broken_fortnight(start, end):
    """The site's facts provider handing the dry run a document with a string where a boolean goes."""
    data = fortnight_facts(start, end)
    data["submissions"][3]["accepted"] = "perhaps"
    return data


def test_the_dry_run_of_broken_facts_is_refused_in_chinese(db, settings):
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "FACTS_PROVIDER": "tests.policy_rules.test_facts_errors.broken_fortnight",
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
    }
    version = validated(discipline__warning_at=3, discipline__escalation_at=6)

    with pytest.raises(CommandError) as refused:
        call_command(
            "policy", "dry-run", "--version", str(version.number), "--from", START, "--to", END,
            "--language", "zh-hans", stdout=io.StringIO(),
        )  # fmt: skip

    assert refused.value.returncode == 1
    assert "稿件 · 第 4 项 · 是否采用：请填写 true 或 false。 [submissions.3.accepted]" in str(refused.value)
    assert "Input should" not in str(refused.value)
    assert not version.events.filter(action="dry_run").exists()


def test_the_api_answers_each_error_in_the_requests_language(db, client, settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "API_TOKENS": ("a-token",)}
    data = facts()
    data["submissions"][0]["accepted"] = "perhaps"

    response = client.post(
        URL, json.dumps(data), content_type="application/json",
        headers={"Authorization": "Bearer a-token", "Accept-Language": "zh-hans"},
    )  # fmt: skip

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["path"], error["code"]) == ("submissions.0.accepted", "bool_parsing")
    assert error["message"] == "Input should be a valid boolean, unable to interpret input"  # the record, as before
    assert error["text"] == "稿件 · 第 1 项 · 是否采用：请填写 true 或 false。 [submissions.0.accepted]"


def test_an_unknown_code_shows_its_message_never_an_error():
    error = {"path": "pushes.0", "message": "something new", "code": "brand_new", "params": {}}

    assert facts_errors.error_text(error).endswith("something new [pushes.0]")


def test_many_errors_are_summed_up_after_the_first_five():
    with pytest.raises(FactsDocumentError) as invalid:
        parse_facts({"period": {"start": START, "end": END}, "departments": [{"id": []} for _ in range(8)]})

    assert facts_errors.summary(invalid.value.errors).endswith("（另有 3 处错误）")
