"""Governance: append-only versions, the gates before activation, activation races, rollback, import and export."""

import copy
import functools
import json
import os
import threading

import pytest
from django.db import connection
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from policy_rules import trial_load, versions
from policy_rules.document import default_document
from policy_rules.dry_run_sections import describe
from policy_rules.models import PolicyEvent, PolicyVersion
from policy_rules.versions import (
    ActivationConflict,
    DryRunRequired,
    NoFactsProvider,
    NotAllowed,
    PolicyInvalid,
    WrongStatus,
)
from tests.policy_rules.governance import (  # noqa: F401  (facts_provider is a fixture)
    actions,
    changed,
    draft,
    facts_provider,
    period,
    ready,
    v1,
    validated,
)

# Drafts and edits -------------------------------------------------------------------------------------------


def test_a_new_draft_copies_the_active_version(db):
    version = versions.start_draft("default", None)
    assert (version.number, version.parent, version.status) == (2, v1(), "draft")
    assert version.document == v1().document
    assert actions(version) == ["created"]


def test_an_edit_stores_normalised_data_with_a_diff(db):
    version = draft()
    versions.edit_draft(version, changed(version.document, discipline__warning_at="4"), None, note="stricter")
    assert version.document["discipline"]["warning_at"] == 4  # "4" from a form is stored as the number
    event = version.events.get(action="edited")
    assert event.data["changes"] == [{"path": "discipline.warning_at", "old": 5, "new": 4, "change": "changed"}]
    assert version.change_note == "stricter" and version.status == "draft"


def test_a_validated_version_is_never_edited(db):
    version = validated(discipline__warning_at=4)
    with pytest.raises(WrongStatus, match="只有草稿才能编辑"):
        versions.edit_draft(version, changed(version.document, discipline__warning_at=3), None)
    version.refresh_from_db()
    assert version.document["discipline"]["warning_at"] == 4 and version.status == "validated"
    assert actions(version) == ["created", "edited", "validated"]


def test_escalation_below_warning_is_refused_at_discipline_and_nothing_is_stored(db):
    version = draft()
    before = copy.deepcopy(version.document)
    with pytest.raises(PolicyInvalid) as refused:
        versions.edit_draft(version, changed(before, discipline__warning_at=8, discipline__escalation_at=5), None)
    assert [(e["path"], e["message"], e["code"], e["params"]) for e in refused.value.errors] == [
        (
            "discipline",
            "escalation threshold (5) must be greater than warning threshold (8)",
            "escalation_order",
            {"escalation": 5, "warning": 8},
        )
    ]
    version.refresh_from_db()
    assert version.document == before and actions(version) == ["created"]
    assert PolicyVersion.active_for("default") == v1()


def test_overlapping_windows_are_refused_with_the_windows_named(db):
    version = draft()
    windows = [{"start": "16:00", "end": "18:00"}, {"start": "17:30", "end": "21:00"}]
    with pytest.raises(PolicyInvalid) as refused:
        versions.edit_draft(version, changed(version.document, schedule__windows__working=windows), None)
    assert [(e["path"], e["message"], e["params"]) for e in refused.value.errors] == [
        (
            "schedule.windows",
            "windows overlap on working: 16:00–18:00 and 17:30–21:00",
            {"day_type": "working", "earlier": "16:00–18:00", "later": "17:30–21:00"},
        )
    ]


def _nodes(data, path=()):
    yield path, data
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _nodes(value, (*path, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, (*path, index))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


REGULATION = default_document().as_data()
LEAVES = [path for path, value in _nodes(REGULATION) if path and not isinstance(value, dict | list)]
NUMBERS = [path for path in LEAVES if type(_get(REGULATION, path)) in (int, float)]
MAPPINGS = [path for path, value in _nodes(REGULATION) if isinstance(value, dict)]


def _set(data, path, value):
    data = copy.deepcopy(data)
    if not path:
        return value
    node = _get(data, path[:-1])
    node[path[-1]] = value
    return data


@st.composite
def invalid_documents(draw):
    """Random mutations of the regulation's document that no valid document has."""
    kind = draw(st.sampled_from(["wrong_type", "negative", "unknown_key"]))
    if kind == "wrong_type":
        path = draw(st.sampled_from([path for path, _value in _nodes(REGULATION) if path]))
        value = draw(st.sampled_from([{"unexpected": 1}, "not a number", [[1]]]))
        if isinstance(_get(REGULATION, path), str) and isinstance(value, str):
            value = {"unexpected": 1}
        return _set(REGULATION, path, value)
    if kind == "negative":
        return _set(REGULATION, draw(st.sampled_from(NUMBERS)), -draw(st.integers(1001, 10**9)))
    path = draw(st.sampled_from(MAPPINGS))
    name = draw(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12).map(lambda s: f"zz_{s}"))
    return _set(REGULATION, path, {**_get(REGULATION, path), name: 1})


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=invalid_documents())
def test_invalid_documents_are_never_stored(db, data):
    version = PolicyVersion.objects.filter(scope="default", status="draft").first() or draft()
    before, count = copy.deepcopy(version.document), PolicyVersion.objects.count()
    events = PolicyEvent.objects.count()
    with pytest.raises(PolicyInvalid) as refused:
        versions.edit_draft(version, data, None)
    assert refused.value.errors and all("path" in e and e["message"] for e in refused.value.errors)
    with pytest.raises(PolicyInvalid):
        versions.import_document(json.dumps(data), "json", "default", None)
    version.refresh_from_db()
    assert version.document == before
    assert (PolicyVersion.objects.count(), PolicyEvent.objects.count()) == (count, events)
    assert PolicyVersion.active_for("default").number == 1


def test_only_policy_administrators_change_versions(people):
    with pytest.raises(NotAllowed):
        versions.start_draft("default", people["office"])
    version = versions.start_draft("default", people["policy"])
    with pytest.raises(NotAllowed):
        versions.edit_draft(version, version.document, people["office"])
    assert version.created_by == people["policy"] and version.events.get().actor == people["policy"]


# Validation -------------------------------------------------------------------------------------------------


def test_validation_runs_every_gate_and_stores_its_report(db):
    version = draft(discipline__warning_at=3, discipline__escalation_at=6)
    cases = [
        {"kind": "slot", "date": "2026-03-02", "time": "16:30", "lead_hours": 24, "allowed": True},
        {"kind": "slot", "date": "2026-03-02", "time": "15:00", "allowed": False},
        {"kind": "department_errors", "errors": 6, "level": "escalation"},
    ]
    report = versions.validate(version, None, cases)
    version.refresh_from_db()
    assert report["ok"] and version.status == "validated" and version.validated_at
    assert [step["name"] for step in report["steps"]] == [
        "schema",
        "contradictions",
        "compile",
        "admin_cases",
        "engine",
    ]
    assert report["cases"] == {"builtin": len(trial_load.builtin_cases(version.parsed())), "admin": 3}
    assert version.validation_report == report and actions(version)[-1] == "validated"


def test_a_case_the_document_contradicts_keeps_the_draft(db):
    version = draft()
    report = versions.validate(version, None, [{"kind": "department_errors", "errors": 6, "level": "escalation"}])
    version.refresh_from_db()
    assert not report["ok"] and version.status == "draft"
    assert report["case_failures"] == [{"case": 1, "level": "warning", "warning_at": 5, "escalation_at": 8}]
    assert "本文档得出的是“警告”（5 次错误予以警告，8 次上报分管领导）" in report["failures"][0]
    assert actions(version)[-1] == "rejected"


def test_an_engine_failure_is_a_clean_rejection(db, monkeypatch):
    version = draft(discipline__warning_at=4)
    monkeypatch.setattr(
        trial_load, "check_in_child", lambda data, cases: trial_load.TrialReport(False, "the engine failed to load")
    )
    report = versions.validate(version, None)
    version.refresh_from_db()
    assert (report["ok"], version.status) == (False, "draft")
    assert version.validation_report["message"] == "the engine failed to load"
    assert version.events.order_by("-pk").first().data["message"] == "the engine failed to load"
    assert PolicyVersion.active_for("default") == v1()


def test_an_engine_crash_in_the_child_process_is_a_clean_rejection(db, monkeypatch):
    """The child aborts (as a segfaulting engine would); the parent stores a rejection and carries on."""
    monkeypatch.setattr(
        trial_load, "check_in_child", functools.partial(trial_load.check_in_child, before_load=os.abort)
    )
    version = draft(discipline__warning_at=4)
    report = versions.validate(version, None)
    version.refresh_from_db()
    assert not report["ok"] and "crashed (SIGABRT)" in report["message"] and version.status == "draft"
    assert PolicyVersion.active_for("default") == v1()


def test_malformed_cases_are_refused_with_paths(db):
    version = draft()
    with pytest.raises(PolicyInvalid) as refused:
        versions.validate(version, None, [{"kind": "slot", "date": "2026-02-30", "time": "16:00", "allowed": True}])
    assert refused.value.errors[0]["path"].startswith("cases.0.slot.date")
    assert version.events.count() == 1


# Dry run ----------------------------------------------------------------------------------------------------


def described(report):
    with translation.override("en"):
        return [describe(change) for change in report["changes"]]


@pytest.mark.usefixtures("facts_provider")
def test_a_dry_run_lists_every_changed_outcome(db):
    version = validated(discipline__warning_at=3, discipline__escalation_at=6, quotas__min_per_week=2)
    report = versions.dry_run(version, *period(), None)
    texts = described(report)
    assert "学生处: Warning → Escalation on 2026-03-07" in texts
    assert "教务科, week of 2026-03-02 (1 submitted): weekly quota met → not met" in texts
    assert report["document_diff"] == [
        {"path": "quotas.min_per_week", "old": 1, "new": 2, "change": "changed"},
        {"path": "discipline.warning_at", "old": 5, "new": 3, "change": "changed"},
        {"path": "discipline.escalation_at", "old": 8, "new": 6, "change": "changed"},
    ]
    event = version.events.get(action="dry_run")
    assert event.data["changes"] == report["changes"] and event.data["baseline_version_id"] == v1().pk


@pytest.mark.usefixtures("facts_provider")
def test_a_dry_run_shows_contributor_changes(db):
    version = validated(rewards__points_per_accepted=2)
    # s1 is no person of the site (its names adapter knows none): a worded label, never the id (issue 14 item 3).
    assert described(versions.dry_run(version, *period(), None)) == [
        "Deleted contributor (学生处, student): points 3 → 6"
    ]


def test_a_dry_run_needs_a_facts_provider(db, settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "FACTS_PROVIDER": None}
    version = validated(discipline__warning_at=4)
    with pytest.raises(NoFactsProvider, match="未配置事实数据来源"):
        versions.dry_run(version, *period(), None)


@pytest.mark.usefixtures("facts_provider")
def test_a_draft_is_validated_before_its_dry_run(db):
    with pytest.raises(WrongStatus, match="请先校验再试运行"):
        versions.dry_run(draft(), *period(), None)


# Activation -------------------------------------------------------------------------------------------------


def test_only_a_validated_version_is_activated(db):
    version = draft(discipline__warning_at=4)
    with pytest.raises(WrongStatus, match="只有已校验的版本才能启用"):
        versions.activate(version, None)
    assert PolicyVersion.active_for("default") == v1()


def test_activation_needs_a_dry_run(db):
    version = validated(discipline__warning_at=4)
    with pytest.raises(DryRunRequired):
        versions.activate(version, None)
    assert PolicyVersion.active_for("default") == v1()


@pytest.mark.usefixtures("facts_provider")
def test_activation_retires_the_old_version_and_is_audited(db, django_capture_on_commit_callbacks):
    version = ready(discipline__warning_at=4)
    received = []
    versions.version_activated.connect(lambda **kwargs: received.append(kwargs), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            activated, previous = versions.activate(version, None, expected_active=v1(), source="test")
    finally:
        versions.version_activated.disconnect(dispatch_uid="t")
    assert (activated.status, previous) == ("active", v1())
    assert v1().status == "retired" and activated.activated_at
    assert actions(activated)[-1] == "activated" and actions(v1())[-1] == "retired"
    assert activated.events.get(action="activated").data == {"previous": 1, "source": "test"}
    assert received[0]["version"] == activated and received[0]["previous"] == v1()


@pytest.mark.usefixtures("facts_provider")
def test_a_stale_activation_loses_cleanly(db):
    """Two administrators each dry-ran their version against v1; the second to press Activate is refused."""
    first, second = ready(discipline__warning_at=4), ready(discipline__warning_at=3)
    stale = PolicyVersion.objects.get(pk=second.pk)
    versions.activate(first, None)
    with pytest.raises(ActivationConflict, match="请重新试运行"):
        versions.activate(stale, None)
    assert list(PolicyVersion.objects.filter(status="active")) == [first]
    second.refresh_from_db()
    assert second.status == "validated" and "activated" not in actions(second)


@pytest.mark.usefixtures("facts_provider")
def test_the_active_version_the_administrator_saw_must_still_be_active(db):
    version = ready(discipline__warning_at=4)
    with pytest.raises(ActivationConflict, match="您确认期间生效版本已变更"):
        versions.activate(version, None, expected_active=None)
    assert PolicyVersion.active_for("default") == v1()


@pytest.mark.usefixtures("facts_provider")
def test_the_unique_active_constraint_is_the_last_line_of_defence(db, monkeypatch):
    """A racer whose locks saw no active version still cannot make a second one."""
    version = ready(discipline__warning_at=4)
    PolicyEvent.objects.filter(action="dry_run").update(
        data={"document_sha256": version.document_sha256, "coverage": {"proves": True}}
    )
    monkeypatch.setattr(versions, "_lock_scope", lambda scope: None)
    with pytest.raises(ActivationConflict, match="同一时刻"):
        versions.activate(version, None)
    version.refresh_from_db()
    assert (version.status, v1().status) == ("validated", "active")
    assert not PolicyEvent.objects.filter(action__in=["activated", "retired"], version__number__gt=1).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("facts_provider")
def test_two_administrators_activating_at_once():
    """Two threads, two connections: one activation wins, the other gets a clean refusal."""
    first, second = ready(discipline__warning_at=4), ready(discipline__warning_at=3)
    barrier, outcomes = threading.Barrier(2), {}

    def press(version):
        try:
            barrier.wait()
            versions.activate(version, None)
            outcomes[version.number] = "active"
        except ActivationConflict as error:
            outcomes[version.number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(version,)) for version in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcome == "active" for outcome in outcomes.values()) == [False, True]
    winner = next(number for number, outcome in outcomes.items() if outcome == "active")
    assert list(PolicyVersion.objects.filter(status="active").values_list("number", flat=True)) == [winner]
    assert PolicyEvent.objects.filter(action="activated", version__in=[first, second]).count() == 1


# Rollback ---------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("facts_provider")
def test_rollback_reactivates_the_previous_version(db):
    version = ready(discipline__warning_at=4)
    versions.activate(version, None)
    restored, previous = versions.rollback("default", None)
    version.refresh_from_db()
    assert (restored, previous, version.status) == (v1(), version, "retired")
    assert actions(v1())[-1] == "rolled_back" and actions(version)[-1] == "retired"
    again, _ = versions.rollback("default", None)  # the previous active version is v2 now
    assert again.number == 2 and PolicyVersion.active_for("default").number == 2


@pytest.mark.usefixtures("facts_provider")
def test_rollback_only_to_a_retired_version(db):
    with pytest.raises(WrongStatus, match="没有可回滚到的已停用版本"):
        versions.rollback("default", None)
    with pytest.raises(WrongStatus, match="只能回滚到"):
        versions.rollback("default", None, to_version=validated(discipline__warning_at=4))
    assert PolicyVersion.active_for("default") == v1()


# Import and export ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_and_import_round_trip(db, fmt):
    text = versions.export_document(v1(), fmt)
    imported = versions.import_document(text, fmt, "default", None, note="round trip")
    assert imported.document == v1().document and imported.status == "draft"
    assert imported.parent == v1() and actions(imported) == ["imported"]
    assert PolicyVersion.active_for("default") == v1()


def test_hand_written_yaml_times_are_read_as_times(db):
    text = versions.export_document(v1(), "yaml").replace("'16:00'", "16:00").replace("'21:00'", "21:00")
    assert "start: 16:00" in text
    imported = versions.import_document(text, "yaml", "default", None)
    assert imported.document["schedule"]["windows"]["working"][0]["start"] == "16:00"


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (
            "discipline: {warning_at: 8, escalation_at: 5}\n",
            "discipline",
            "escalation threshold (5) must be greater than warning threshold (8)",
        ),
        ("quotas:\n  min_per_wek: 2\n", "quotas.min_per_wek", "Extra inputs are not permitted"),
        ("quotas: [1, 2\n", "", "不是有效的 YAML：第 2 行第 1 列"),
        ("quotas: {}\nquotas: {}\n", "", "键“quotas”出现了两次"),
        ("- 1\n- 2\n", "", "文件须是一个由各部分"),
    ],
)
def test_invalid_yaml_is_refused_with_paths(db, text, path, message):
    with pytest.raises(PolicyInvalid) as refused:
        versions.import_document(text, "yaml", "default", None)
    assert refused.value.errors[0]["path"] == path and message in refused.value.errors[0]["message"]
    assert PolicyVersion.objects.count() == 1


def test_an_import_for_another_scope_is_refused(db):
    with pytest.raises(PolicyInvalid, match="scope"):
        versions.import_document("scope: college-b\n", "yaml", "default", None)
