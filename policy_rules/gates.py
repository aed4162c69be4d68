"""The gates a draft passes before it may be validated (DURABLE_RULES.md §4.4).

1. schema and cross-field rules (PolicyDocument);
2. contradictions between sections (contradictions.py): errors reject, warnings are
   listed for the administrator to acknowledge before activation;
3. compile to a ruleset (pure, in this process);
4. administrators' cases against the document's meaning: "a push on 2026-03-02
   at 15:00 is refused", "6 errors is a warning" — checked here with the plain
   reading of the document, so a wrong expectation names the rule that decides;
5. load the ruleset in a child process and run the built-in boundary cases plus
   the administrators' cases there: the engine must give exactly the verdicts the
   document means, and an engine crash becomes a clean rejection.

`run_gates` never raises: it returns a JSON-ready report stored on the version.
"""

import datetime
from typing import Annotated, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from . import contradictions, texts, trial_load
from .calendar import day_types
from .compiler import compile_document
from .document import Category, PolicyDocument
from .facts import SlotFact
from .labels import CATEGORIES
from .labels import LEVELS as LEVEL_NAMES
from .models import document_hash
from .reference import reference_level, reference_slot_verdicts
from .windows import explain, reason_text, resolve

LEVELS = ("none", "warning", "escalation")


class _Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlotCase(_Case):
    """A push at a local date and time, and whether the administrator expects it to be allowed."""

    kind: Literal["slot"] = "slot"
    date: datetime.date
    time: datetime.time
    breaking: bool = False
    category: Category | None = None
    lead_hours: Annotated[float, Field(ge=0, le=10000)] | None = None  # None: not known yet
    allowed: bool


class DepartmentErrorsCase(_Case):
    """A department's counted errors this semester and the discipline level expected (A20)."""

    kind: Literal["department_errors"] = "department_errors"
    errors: Annotated[int, Field(ge=0, le=100000)]
    level: Literal["none", "warning", "escalation"]


AdminCase = Annotated[SlotCase | DepartmentErrorsCase, Field(discriminator="kind")]
_CASES = TypeAdapter(list[AdminCase])


class CaseError(ValueError):
    """Administrators' cases that are not valid; `errors` is a list of `{"path", "message"}`."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{e['path']}: {e['message']}" for e in errors))


def parse_cases(data):
    """Typed admin cases from a list of dicts (or cases); raises CaseError with `cases.N.field` paths."""
    try:
        return _CASES.validate_python(list(data))
    except ValidationError as error:
        raise CaseError(
            [{**e, "path": f"cases.{e['path']}"} for e in texts.validation_errors(error)]  # worded by texts.problem
        ) from None


def case_data(case):
    return case.model_dump(mode="json")


def describe_case(case):
    """An administrator's case in words, in the active language."""
    if isinstance(case, DepartmentErrorsCase):
        return _("%(errors)s error(s) in a semester → %(level)s") % {
            "errors": case.errors,
            "level": LEVEL_NAMES[case.level],
        }
    extras = [
        _("%(hours)s h after reaching the office") % {"hours": f"{case.lead_hours:g}"}
        if case.lead_hours is not None
        else _("arrival at the office not known")
    ]
    if case.breaking:
        extras.append(_("breaking news"))
    if case.category:
        extras.append(str(CATEGORIES[case.category.value]))
    return _("a push on %(date)s at %(time)s (%(extras)s) → %(verdict)s") % {
        "date": case.date.isoformat(),
        "time": f"{case.time:%H:%M}",
        "extras": "、".join(extras),
        "verdict": _("Allowed") if case.allowed else _("Refused"),
    }


def case_failure_text(failure, cases):
    """An administrator's case the document does not bear out, in the active language; `cases` are the typed cases."""
    number = failure["case"]
    described = describe_case(cases[number - 1]) if 0 < number <= len(cases) else ""
    if "level" in failure:
        return _(
            "Your case %(number)s (%(case)s): this document gives %(level)s "
            "(warning at %(warning)s errors, escalation at %(escalation)s)."
        ) % {
            "number": number,
            "case": described,
            "level": LEVEL_NAMES.get(failure["level"], failure["level"]),
            "warning": failure["warning_at"],
            "escalation": failure["escalation_at"],
        }
    why = _("; ").join(reason_text(reason) for reason in failure.get("reasons") or []) or _("nothing refuses it")
    return _("Your case %(number)s (%(case)s): this document says otherwise — %(why)s.") % {
        "number": number,
        "case": described,
        "why": why,
    }


def run_gates(data, cases=()):
    """Every gate on document `data` with admin `cases` (typed, see `parse_cases`); `ok` says all passed."""
    report = {
        "ok": False,
        "message": "",
        "checked_at": timezone.now().isoformat(),
        "document_sha256": document_hash(data),
        "steps": [],
        "errors": [],
        "failures": [],
        "warnings": [],  # contradictions the administrator acknowledges before activation
        "cases": {"builtin": 0, "admin": len(cases)},
        "admin_cases": [case_data(case) for case in cases],
    }

    def step(name, ok, message, code=None, **params):
        # `message` is the English record (the CLI's JSON, events); `code` and `params` are worded by texts.step_text.
        report["steps"].append({"name": name, "ok": ok, "message": message, "code": code, "params": params})
        if not ok and not report["message"]:
            report["message"] = message
        return ok

    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as error:
        report["errors"] = texts.validation_errors(error)
        count = len(report["errors"])
        step("schema", False, f"the document is not valid ({count} errors)", "schema_invalid", count=count)
        return report
    step("schema", True, "the document is valid", "schema_ok")
    findings = [finding.as_data() for finding in contradictions.check(document)]
    report["errors"] = [entry for entry in findings if entry["severity"] == contradictions.ERROR]
    report["warnings"] = [entry for entry in findings if entry["severity"] == contradictions.WARNING]
    count, warned = len(report["errors"]), len(report["warnings"])
    if count:
        step("contradictions", False, f"the sections contradict each other ({count})", "contradictions", count=count)
        return report
    step("contradictions", True, f"no contradiction between sections; {warned} warning(s)", "coherent", warnings=warned)
    try:
        compile_document(document)
    except Exception as error:  # noqa: BLE001 - CompileError, or a compiler bug: either way the draft is rejected
        step("compile", False, f"the policy cannot be compiled: {error}", "compile_failed", detail=str(error))
        return report
    step("compile", True, "the policy compiles to a ruleset", "compile_ok")

    engine_cases, expectation_failures = _admin_cases(document, cases)
    report["case_failures"] = expectation_failures
    report["failures"].extend(case_failure_text(failure, cases) for failure in expectation_failures)
    failed, total = len(expectation_failures), len(cases)
    if expectation_failures:
        message, code = f"{failed} of {total} administrator cases do not hold under this document", "cases_failed"
    elif cases:
        message, code = f"all {total} administrator cases hold under this document", "cases_hold"
    else:
        message, code = "no administrator cases", "no_cases"
    step("admin_cases", not expectation_failures, message, code, failed=failed, total=total)
    builtin = trial_load.builtin_cases(document)
    report["cases"]["builtin"] = len(builtin)
    try:
        result = trial_load.check_in_child(data, [*builtin, *engine_cases])
        ok, message, failures = bool(result.ok), str(result.message), [str(f) for f in result.failures]
    except Exception as error:  # noqa: BLE001 - the check itself broke: reject, never let it reach the caller
        ok, message, failures = False, f"{trial_load.LOAD_FAILED}: {type(error).__name__}: {error}", []
    report["failures"].extend(failures)
    if ok:
        step("engine", ok, message, "engine_ok", cases=len(builtin) + len(engine_cases))
    else:
        step("engine", ok, message, "engine_failed", detail=message)
    report["ok"] = all(s["ok"] for s in report["steps"])
    if report["ok"]:
        report["message"] = message
    return report


def _admin_cases(document, cases):
    """(trial-load cases, failures): each admin case read against the document, then handed to the engine."""
    policy = resolve(document, label="draft")
    engine_cases, failures = [], []
    for number, case in enumerate(cases, 1):
        if isinstance(case, DepartmentErrorsCase):
            level = reference_level(document, case.errors)
            if level != case.level:
                failures.append(
                    {
                        "case": number,
                        "level": level,
                        "warning_at": document.discipline.warning_at,
                        "escalation_at": document.discipline.escalation_at,
                    }
                )
            expected = {f"discipline:{level}"} if level != "none" else set()
            engine_cases.append(trial_load.Case("department_errors", {"errors": case.errors}, frozenset(expected)))
            continue
        fact = _slot_fact_data(case)
        verdicts = reference_slot_verdicts(document, fact)
        reasons, _warnings = explain(policy, SlotFact(**fact), verdicts)
        if (not reasons) != case.allowed:
            failures.append({"case": number, "reasons": reasons})
        engine_cases.append(trial_load.Case("slot", fact, frozenset(verdicts)))
    return engine_cases, failures


def _slot_fact_data(case):
    day_type = str(day_types(case.date, case.date)[case.date])
    return {
        "day_type": day_type,
        "weekday": case.date.isoweekday(),
        "minute_of_day": case.time.hour * 60 + case.time.minute,
        "breaking": case.breaking,
        "time_sensitive": False,
        "category": case.category.value if case.category else None,
        "lead_hours": -1.0 if case.lead_hours is None else float(case.lead_hours),
    }
