"""Loading a policy in a child process: failures and crashes there are clean rejections here."""

import os
import signal
import time

from policy_rules.compiler import compile_document
from policy_rules.document import PolicyDocument, default_document
from policy_rules.trial_load import Case, builtin_cases, check_in_child, check_ruleset_in_child

DEFAULT = default_document()


def _segfault():  # runs in the child: module-level so that it can be sent there
    os.kill(os.getpid(), signal.SIGSEGV)


def _hang():
    time.sleep(60)


def test_the_regulation_passes_its_builtin_cases_in_a_child():
    cases = builtin_cases(DEFAULT)
    report = check_in_child(DEFAULT.as_data(), cases)
    assert report.ok, report
    assert report.cases == len(cases) > 30
    assert report.failures == []


def test_a_tuned_document_with_condition_rules_passes_its_builtin_cases():
    doc = PolicyDocument.model_validate(
        {
            **DEFAULT.as_data(),
            "discipline": {"warning_at": 3, "escalation_at": 4},
            "conditions": [
                {
                    "id": "late",
                    "when": [{"field": "minute_of_day", "op": "ge", "value": 0}],
                    "then": "block",
                    "message": "always",
                }
            ],  # fires on every slot case: ignored there
        }
    )
    report = check_in_child(doc.as_data(), builtin_cases(doc))
    assert report.ok, report


def test_wrong_expectations_are_listed_case_by_case():
    cases = [
        ("department_errors", {"errors": 5}, {"discipline:warning"}),
        ("department_errors", {"errors": 5}, {"discipline:escalation"}),
        Case("slot", {"day_type": "working", "weekday": 1, "minute_of_day": 960}, frozenset({"slot:in_window"})),
        ("department_errors", {"errors": "many"}, set()),
    ]
    report = check_in_child(DEFAULT.as_data(), cases)
    assert not report.ok
    assert report.message == "the engine gave unexpected verdicts in 2 of 4 cases"
    assert report.failures[0] == (
        "case 2: department_errors {'errors': 5}: expected ['discipline:escalation'], got ['discipline:warning']"
    )
    assert report.failures[1].startswith("case 4: department_errors {'errors': 'many'}: not a valid fact")


def test_a_ruleset_the_engine_rejects_is_a_clean_rejection():
    ruleset = compile_document(DEFAULT)
    ruleset["discipline_warning"]["all"][0]["m"]["$and"][1] = {"$gtx": {"errors": 5}}
    report = check_ruleset_in_child(ruleset, builtin_cases(DEFAULT))
    assert not report.ok
    assert report.message == "the engine failed to load this policy: Could not create ruleset, error code: 202"


def test_a_document_the_engine_cannot_compare_exactly_is_rejected():
    data = DEFAULT.as_data()
    data["schedule"]["lead_hours"] = 0.00001
    report = check_in_child(data, [])
    assert not report.ok
    assert report.message.startswith("the policy cannot be compiled: lead_hours value 1e-05 cannot be compared")


def test_an_invalid_document_is_rejected_with_its_field_path():
    data = DEFAULT.as_data()
    data["discipline"] = {"warning_at": 8, "escalation_at": 5}
    report = check_in_child(data, [])
    assert not report.ok
    assert "discipline" in report.message and "must be greater than warning threshold" in report.message


def test_a_crashing_child_is_a_rejection_and_this_process_lives_on():
    report = check_in_child(DEFAULT.as_data(), builtin_cases(DEFAULT), before_load=_segfault)
    assert not report.ok
    assert report.message == "the engine failed to load this policy: the checking process crashed (SIGSEGV)"
    assert check_in_child(DEFAULT.as_data(), []).ok  # and the next check works


def test_a_child_that_does_not_answer_in_time_is_stopped():
    started = time.monotonic()
    report = check_in_child(DEFAULT.as_data(), [], timeout=3, before_load=_hang)
    assert time.monotonic() - started < 15
    assert not report.ok
    assert report.message == "the engine failed to load this policy: no answer within 3 s"


def test_builtin_cases_cover_every_boundary_named_by_the_regulation():
    cases = builtin_cases(DEFAULT)
    errors = {case.data["errors"] for case in cases if case.kind == "department_errors"}
    assert {4, 5, 7, 8} <= errors
    slots = [case.data for case in cases if case.kind == "slot"]
    minutes = {data["minute_of_day"] for data in slots if data["day_type"] == "working"}
    assert {959, 960, 1079, 1080, 1199, 1200, 1259, 1260, 180} <= minutes
    accepted = {case.data["accepted"] for case in cases if case.kind == "student_points"}
    assert {19, 20, 21} <= accepted
    leads = {data.get("lead_hours") for data in slots}
    assert {11.9, 12.0} <= leads
