"""The garbage collector is paused around a bulk evaluation and comes back as it was (issue 15: its passes over a
semester's short-lived objects were half of an evaluation's CPU)."""

import gc
import threading

import pytest

from policy_rules import facts_document
from policy_rules.evaluation import evaluate
from policy_rules.gc_pause import collection_paused
from tests.policy_rules.governance import END, START, fortnight_facts, v1


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_an_evaluation_runs_with_the_collector_paused_and_restores_it(db, collector_on, monkeypatch):
    seen = []
    real = facts_document.parse_facts

    def watched(data):
        seen.append(gc.isenabled())
        return real(data)

    monkeypatch.setattr("policy_rules.evaluation.parse_facts", watched)

    outcomes = evaluate(v1(), fortnight_facts(START, END))

    assert outcomes["departments"]  # it did evaluate
    assert seen == [False]
    assert gc.isenabled()


def test_a_failing_evaluation_still_restores_the_collector(db, collector_on):
    with pytest.raises(facts_document.FactsDocumentError):
        evaluate(v1(), {**fortnight_facts(START, END), "submissions": [{"id": 1}]})
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collection_paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads_end_with_the_last(collector_on):
    first_inside, second_inside, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    states = {}

    def first():
        with collection_paused():
            first_inside.set()
            first_may_leave.wait(timeout=30)
        states["after first"] = gc.isenabled()
        second_inside.set()

    thread = threading.Thread(target=first)
    thread.start()
    assert first_inside.wait(timeout=30)
    with collection_paused():
        first_may_leave.set()
        assert second_inside.wait(timeout=30)
        states["inside second"] = gc.isenabled()
    thread.join(timeout=30)

    assert states == {"after first": False, "inside second": False}
    assert gc.isenabled()
