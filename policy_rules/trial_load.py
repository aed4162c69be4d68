"""Load a policy in a child process before activation: the trial load (DURABLE_RULES.md §4.4, gates 3–4).

The engine reports a bad ruleset with opaque codes and can crash the process, so
the ruleset is compiled, registered and run against its cases in a fresh
("spawn") process that has no Django, no database connection and no other
ruleset. A segfault, an exception or a hang there becomes a clean rejection here.
"""

import math
import multiprocessing
import signal
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from pydantic import ValidationError

from . import engine
from .compiler import CompileError, compile_document, encode_fact
from .document import Category, DayType, PolicyDocument
from .facts import fact_from

CHECK_TIMEOUT = 20.0  # seconds for the child to start, load and answer every case
LOAD_FAILED = "the engine failed to load this policy"
_RULESET = "policy_check"  # the child's only ruleset: its name needs no hash


class Case(NamedTuple):
    """A fact and the verdicts it must get; verdicts starting with a prefix in `ignore` are not compared."""

    kind: str
    data: dict
    expected: frozenset[str]
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrialReport:
    ok: bool
    message: str
    failures: list[str] = field(default_factory=list)
    cases: int = 0

    def as_data(self):
        return asdict(self)


def check_in_child(document_data: dict, cases, *, timeout=CHECK_TIMEOUT, before_load=None) -> TrialReport:
    """Validate, compile and register `document_data` in a child process and run `cases` there.

    `cases` are `Case`s or (kind, data, expected verdicts) tuples. `before_load`, a
    picklable callable run in the child first, exists for tests.
    """
    return _run_child(("document", document_data), cases, timeout, before_load)


def check_ruleset_in_child(ruleset: dict, cases, *, timeout=CHECK_TIMEOUT, before_load=None) -> TrialReport:
    """As `check_in_child`, for an already compiled ruleset body."""
    return _run_child(("ruleset", ruleset), cases, timeout, before_load)


def _run_child(source, cases, timeout, before_load):
    cases = [Case(kind, data, frozenset(expected), *rest) for kind, data, expected, *rest in cases]
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main, args=(writer, source, cases, before_load), name="policy-trial-load", daemon=True
    )
    child.start()
    writer.close()  # the child holds the only writer now: its death reads as EOF
    answer, answered_in_time = None, False
    try:
        answered_in_time = reader.poll(timeout)
        if answered_in_time:
            answer = reader.recv()
    except EOFError:
        pass
    finally:
        reader.close()
        child.join(5.0 if answered_in_time else 0)
        if child.is_alive():
            child.kill()
            child.join()
    if answer is not None:
        return TrialReport(**answer)
    if not answered_in_time:
        reason = f"no answer within {timeout:g} s"
    elif child.exitcode is not None and child.exitcode < 0:
        reason = f"the checking process crashed ({signal.Signals(-child.exitcode).name})"
    else:
        reason = f"the checking process exited with code {child.exitcode}"
    return TrialReport(False, f"{LOAD_FAILED}: {reason}", cases=len(cases))


def _child_main(connection, source, cases, before_load):
    try:
        if before_load is not None:
            before_load()
        report = _check(source, cases)
    except Exception as error:  # noqa: BLE001 - whatever a draft does in the child is reported, never raised
        report = TrialReport(False, f"{LOAD_FAILED}: {type(error).__name__}: {error}", cases=len(cases))
    connection.send(report.as_data())
    connection.close()


def _check(source, cases):
    def rejected(message):
        return TrialReport(False, message, cases=len(cases))

    kind, payload = source
    if kind == "document":
        try:
            payload = compile_document(PolicyDocument.model_validate(payload))
        except ValidationError as error:
            return rejected(f"the policy document is not valid: {error}")
        except CompileError as error:
            return rejected(f"the policy cannot be compiled: {error}")
    host = engine.PolicyHost()
    try:
        host.register(_RULESET, payload)
    except engine.EngineError as error:
        return rejected(f"{LOAD_FAILED}: {error.__cause__ or error}")

    failures = [failure for number, case in enumerate(cases, 1) if (failure := _run_case(host, number, case))]
    if failures:
        return TrialReport(
            False, f"the engine gave unexpected verdicts in {len(failures)} of {len(cases)} cases", failures, len(cases)
        )
    return TrialReport(True, f"the engine loaded this policy and passed all {len(cases)} cases", [], len(cases))


def _run_case(host, number, case):
    label = f"case {number}: {case.kind} {case.data}"
    try:
        fact = fact_from(case.kind, case.data)
    except KeyError:
        return f"{label}: unknown fact kind"
    except ValidationError as error:
        return f"{label}: not a valid fact: {error}"
    try:
        verdicts = host.evaluate(_RULESET, encode_fact(fact))
    except (engine.EngineError, ValueError) as error:
        return f"{label}: {error}"

    def compared(verdict_set):
        return {verdict for verdict in verdict_set if not any(verdict.startswith(p) for p in case.ignore)}

    expected, got = compared(case.expected), compared(verdicts)
    if expected != got:
        return f"{label}: expected {sorted(expected) or 'no verdict'}, got {sorted(got) or 'no verdict'}"
    return None


def builtin_cases(doc: PolicyDocument) -> list[Case]:
    """Boundary cases of `doc`'s thresholds, with the verdicts the regulation states for them.

    Condition rules are the administrator's own; their verdicts are not compared here.
    """
    cases = []
    d = doc.discipline  # A20
    for errors in sorted({0, d.warning_at - 1, d.warning_at, d.escalation_at - 1, d.escalation_at}):
        level = "escalation" if errors >= d.escalation_at else "warning" if errors >= d.warning_at else None
        cases.append(Case("department_errors", {"errors": errors}, frozenset({f"discipline:{level}"} if level else ())))
    for kind, minimum, verdict in (  # A8
        ("department_week", doc.quotas.min_per_week, "quota:week_met"),
        ("department_semester", doc.quotas.min_per_semester, "quota:semester_met"),
    ):
        for count in sorted({max(minimum - 1, 0), minimum, minimum + 1}):
            cases.append(Case(kind, {"count": count}, frozenset({verdict} if count >= minimum else ())))
    r = doc.rewards  # A17.1: accepted submissions around the one that reaches the cap
    at_cap = math.ceil(r.points_cap / r.points_per_accepted) if r.points_per_accepted else 1
    for accepted in sorted({0, max(at_cap - 1, 0), at_cap, at_cap + 1}):
        capped = accepted * r.points_per_accepted >= r.points_cap
        cases.append(Case("student_points", {"accepted": accepted}, frozenset({"points:capped"} if capped else ())))
    minimum = doc.schedule.min_pushes_per_working_day  # A11.1
    for day_type, pushes in ((DayType.WORKING, 0), (DayType.WORKING, minimum), (DayType.REST, 0)):
        required = day_type == DayType.WORKING and minimum > 0
        expected = {"coverage:required"} if required else set()
        if required and pushes >= minimum:
            expected.add("coverage:met")
        cases.append(Case("day_coverage", {"day_type": day_type.value, "pushes": pushes}, frozenset(expected)))
    return cases + _slot_cases(doc)


def _slot_cases(doc):
    schedule = doc.schedule
    lead_time = schedule.lead_hours
    exempt = schedule.breaking_exempt

    def in_window(day_type, minute):
        windows = schedule.windows[day_type]
        return windows is None or any(_minutes(w.start) <= minute < _minutes(w.end) for w in windows)

    def slot(day_type, minute, expected, **extra):
        data = {"day_type": day_type.value, "weekday": 3, "minute_of_day": minute, **extra}
        if in_window(day_type, minute):
            expected = {*expected, "slot:in_window"}
        return Case("slot", data, frozenset(expected), ("rule:",))

    cases = []
    for day_type, windows in schedule.windows.items():  # A11.2, A11.3: edges of every window
        edges = (
            [0, 1439]
            if not windows
            else [
                minute
                for w in windows
                for minute in (_minutes(w.start) - 1, _minutes(w.start), _minutes(w.end) - 1, _minutes(w.end))
            ]
        )
        cases += [slot(day_type, minute, ()) for minute in sorted(set(edges)) if 0 <= minute <= 1439]
    # A16: just below and at the lead time (a pushed story with no office arrival has lead -1: never short).
    for lead in sorted({max(lead_time - 0.1, 0.0), float(lead_time), lead_time + 0.5}):
        cases.append(slot(DayType.WORKING, 720, {"slot:lead_short"} if lead < lead_time else (), lead_hours=lead))
    # A11.1: breaking news at 03:00 with one hour of lead time.
    expected = {"slot:breaking_exempt"} if exempt else ({"slot:lead_short"} if lead_time > 1.0 else set())
    cases.append(slot(DayType.WORKING, 180, expected, breaking=True, lead_hours=1.0))
    # A10.3: one expected and one unexpected category on each weekend day type.
    expected_categories = [c.value for c in schedule.weekend_categories]
    others = [c.value for c in Category if c.value not in expected_categories]
    for day_type in dict.fromkeys(schedule.weekend_day_types):
        cases += [slot(day_type, 720, (), category=c) for c in expected_categories[:1]]
        cases += [slot(day_type, 720, {"slot:weekend_category"}, category=c) for c in others[:1]]
    return cases


def _minutes(moment):
    return moment.hour * 60 + moment.minute
