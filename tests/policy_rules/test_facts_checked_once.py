"""A facts document's references are checked once, however many evaluations read it (issue 15: the reports and the
dry run re-checked an already parsed document two or three times, half of a cold dashboard's time at 5×)."""

import pytest

from policy_rules import facts_document, impact
from policy_rules.evaluation import evaluate
from tests.policy_rules.governance import END, START, fortnight_facts, v1, validated


@pytest.fixture
def checks(monkeypatch):
    """Each check of a document's references (the set arithmetic that begins every check)."""
    calls = []
    real = facts_document._references_resolve

    def counted(document):
        calls.append(document)
        return real(document)

    monkeypatch.setattr(facts_document, "_references_resolve", counted)
    return calls


def test_a_dry_run_checks_its_facts_once(db, checks):
    candidate = validated(discipline__warning_at=3, discipline__escalation_at=6)  # 学生处: escalation

    report = impact.compare(v1(), candidate, fortnight_facts(START, END))

    assert report["totals"]["changes"] > 0  # both versions were evaluated over the facts
    assert len(checks) == 1


def test_a_parsed_document_is_not_checked_again_and_a_built_one_is(db, checks):
    parsed = facts_document.parse_facts(fortnight_facts(START, END))
    evaluate(v1(), parsed)
    evaluate(v1(), parsed)
    assert len(checks) == 1

    built = facts_document.FactsDocument.model_validate(fortnight_facts(START, END))  # not through parse_facts
    evaluate(v1(), built)
    assert len(checks) == 2


def test_a_built_document_with_a_dangling_reference_is_still_refused(db):
    data = fortnight_facts(START, END)
    data["errors"][0]["submission"] = "no-such-submission"
    built = facts_document.FactsDocument.model_validate(data)

    with pytest.raises(facts_document.FactsDocumentError):
        evaluate(v1(), built)


def test_a_dangling_reference_is_named_by_its_path(db):
    data = fortnight_facts(START, END)
    data["errors"][0]["submission"] = "no-such-submission"
    data["submissions"].append(dict(data["submissions"][0]))  # the same id twice

    with pytest.raises(facts_document.FactsDocumentError) as refused:
        facts_document.parse_facts(data)

    paths = {error["path"]: error["code"] for error in refused.value.errors}
    assert paths["errors.0.submission"] == "unknown_reference"
    assert paths[f"submissions.{len(data['submissions']) - 1}.id"] == "duplicate_id"


def test_a_dry_run_counts_its_facts_once_and_each_version_classifies_them(db, monkeypatch):
    """The policy-free tallies (quota weeks, points, pushes a day) are shared by the dry run's two evaluations."""
    from policy_rules import evaluation

    counted = []
    real = evaluation._count

    def count(facts, tz):
        counted.append(facts)
        return real(facts, tz)

    monkeypatch.setattr(evaluation, "_count", count)
    candidate = validated(discipline__warning_at=3, discipline__escalation_at=6)
    facts = fortnight_facts(START, END)

    report = impact.compare(v1(), candidate, facts)

    assert len(counted) == 1
    # Shared counts, separate verdicts: the same tallies read under each version's thresholds.
    assert report["totals"]["changes"] > 0
    assert evaluate(candidate, facts) == evaluate(candidate, facts_document.parse_facts(facts))
