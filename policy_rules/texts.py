"""What an administrator reads of the document's errors and the validation report, in their language.

pydantic's messages are English and its paths dotted (`schedule.windows.working.1.start`), so an error keeps its
type and context (`code`, `params`) beside the English `message` it always had (the CLI's JSON, older reports), and
is worded here when it is read: the problem alone where it sits at its field, or the thing it is about as the edit
form labels it ("工作日推送时段 · 第 2 段 · 开始时间") and the problem. A stored entry without a code (older) shows its
`message` as written; a code this module does not know shows its message too, never an error.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import contradictions
from .bounds import SCOPE_RULE
from .labels import DAY_TYPES, SLOT_FIELDS
from .rule_terms import OPERATOR_WORDS
from .windows import reason_text

SECTION_TITLES = {
    "schedule": gettext_lazy("Push schedule (A11, A12, A16)"),
    "quotas": gettext_lazy("Department quotas (A8, A22)"),
    "rewards": gettext_lazy("Rewards (A17, A18)"),
    "discipline": gettext_lazy("Discipline (A20)"),
    "credentials": gettext_lazy("Credentials (A6.6)"),
    "content": gettext_lazy("Content checks (A6.3, A10)"),
    "records": gettext_lazy("Follower activity records (A14)"),
    "comments": gettext_lazy("Comments (A13)"),
    "cases": gettext_lazy("Reports and system errors (A6.5)"),
    "contributions": gettext_lazy("Contributions (A6.1, A6.2.5)"),
    "review": gettext_lazy("Review (A6.1, A6.2)"),
    "conditions": gettext_lazy("Administrators' rules"),
}
SEPARATOR = " · "


def _plain(value):
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def validation_errors(error):
    """`{"path", "message", "code", "params"}` for each error of a pydantic ValidationError."""
    return [
        {
            "path": ".".join(str(part) for part in e["loc"]),
            "message": e["msg"].removeprefix("Value error, "),
            "code": e["type"],
            "params": {name: _plain(value) for name, value in (e.get("ctx") or {}).items()},
        }
        for e in error.errors(include_url=False)
    ]


def _number(value):
    """A bound as a person writes it: 10000, not 10000.0."""
    return f"{value:g}" if isinstance(value, float) else value


def _pattern(params, path):
    if path.endswith(".id"):
        return _("Use lower-case letters, digits and _, starting with a letter; at most 40.")
    if path == "scope":
        return str(SCOPE_RULE)
    return _("This is not in the expected form.")


def _too_short(params, path):
    if params["min_length"] == 1:
        return _("This must not be empty.")
    return _("Enter at least %(limit)s characters.") % {"limit": params["min_length"]}


def _missing_days(params, path):
    days = [str(DAY_TYPES.get(day.strip(), day.strip())) for day in str(params["missing"]).split(",")]
    return _("Say for every day type when pushes may go out; missing: %(days)s.") % {"days": "、".join(days)}


def _condition_value(params, path):
    kind = params.get("field")
    if kind == "weekday":
        return _("Choose a weekday.")
    if kind == "minute_of_day":
        return _("Enter a time as HH:MM.")
    if kind in ("breaking", "time_sensitive"):
        return _("Choose yes or no.")
    if kind in ("day_type", "category"):
        return _("Choose one of the offered values.")
    return _("Enter a number.")


WORDINGS = {
    "greater_than_equal": lambda params, path: _("Enter at least %(limit)s.") % {"limit": _number(params["ge"])},
    "less_than_equal": lambda params, path: _("Enter at most %(limit)s.") % {"limit": _number(params["le"])},
    "greater_than": lambda params, path: _("Enter more than %(limit)s.") % {"limit": _number(params["gt"])},
    "less_than": lambda params, path: _("Enter less than %(limit)s.") % {"limit": _number(params["lt"])},
    "int_parsing": lambda params, path: _("Enter a whole number."),
    "int_type": lambda params, path: _("Enter a whole number."),
    "int_from_float": lambda params, path: _("Enter a whole number."),
    "float_parsing": lambda params, path: _("Enter a number."),
    "float_type": lambda params, path: _("Enter a number."),
    "bool_parsing": lambda params, path: _("Choose yes or no."),
    "bool_type": lambda params, path: _("Choose yes or no."),
    "missing": lambda params, path: _("This is required."),
    "extra_forbidden": lambda params, path: _("This is not part of the policy document."),
    "string_too_short": _too_short,
    "string_too_long": lambda params, path: _("Enter at most %(limit)s characters.") % {"limit": params["max_length"]},
    "string_type": lambda params, path: _("Enter text."),
    "string_pattern_mismatch": _pattern,
    "too_short": lambda params, path: _("Give at least %(limit)s entries.") % {"limit": params["min_length"]},
    "too_long": lambda params, path: _("Give at most %(limit)s entries.") % {"limit": params["max_length"]},
    "literal_error": lambda params, path: _("Choose one of the offered values."),
    "enum": lambda params, path: _("Choose one of the offered values."),
    "time_parsing": lambda params, path: _("Enter a time as HH:MM."),
    "time_type": lambda params, path: _("Enter a time as HH:MM."),
    "dict_type": lambda params, path: _("This section is not in the expected form."),
    "list_type": lambda params, path: _("This list is not in the expected form."),
    "model_type": lambda params, path: _("This section is not in the expected form."),
    "model_attributes_type": lambda params, path: _("This section is not in the expected form."),
    "window_order": lambda params, path: _("The window must end after it starts (%(start)s–%(end)s).") % params,
    "windows_missing": _missing_days,
    "windows_overlap": lambda params, path: (
        _("Two windows overlap: %(earlier)s and %(later)s.") % {"earlier": params["earlier"], "later": params["later"]}
    ),
    "prizes_order": lambda params, path: _("The prizes must be first, second and third prize, in that order."),
    "prizes_points": lambda params, path: _("A higher prize must give at least as many points as a lower one."),
    "escalation_order": lambda params, path: (
        _("The escalation threshold (%(escalation)s) must be greater than the warning threshold (%(warning)s).")
        % {"escalation": params["escalation"], "warning": params["warning"]}
    ),
    "operator_mismatch": lambda params, path: (
        _("“%(op)s” does not apply to %(field)s.")
        % {"op": OPERATOR_WORDS[params["op"]], "field": SLOT_FIELDS[params["field"]]}
    ),
    "condition_value": _condition_value,
    "rule_ids_unique": lambda params, path: _("Two rules have the same name: %(ids)s.") % {"ids": params["ids"]},
    **contradictions.WORDINGS,  # sections that contradict each other (issue 14 item 4)
}


def _worded(wordings, entry, *context):
    """`entry` (a stored `{"message", "code"?, "params"?}`) in the reader's language: its code's wording, or the
    message as written for an entry stored before codes, or whose parameters no longer fit the wording."""
    wording = wordings.get(entry.get("code"))
    if wording is not None:
        try:
            return wording(entry.get("params") or {}, *context)
        except (KeyError, TypeError, ValueError):
            pass
    return str(entry.get("message", ""))


def problem(error):
    """The problem of one `{"path", "message", "code"?, "params"?}` error alone, for the field it sits at."""
    return _worded(WORDINGS, error, error.get("path") or "")


def _rest_label(form, name):
    field = form.base_fields.get(name) if form is not None else None
    return str(field.label) if field is not None else None


def subject(path, section_forms):
    """What a document path is about, as the edit form labels it; `section_forms` names each section's form class
    (and "prize", "rule", "condition"). Never the dotted path."""
    parts = [part for part in str(path).split(".") if part]
    if not parts:
        return _("The policy document")
    section, rest = parts[0], parts[1:]
    words = [str(SECTION_TITLES.get(section, _("The policy document")))]
    if section == "schedule" and rest[:1] == ["windows"]:
        rest = rest[1:]
        if not rest:
            return _("Push windows")
        words = [_("%(day)s push windows") % {"day": DAY_TYPES.get(rest[0], _("Push windows"))}]
        if len(rest) > 1 and rest[1].isdigit():
            words.append(_("window %(number)s") % {"number": int(rest[1]) + 1})
        if len(rest) > 2 and rest[2] in ("start", "end"):
            words.append(_("start") if rest[2] == "start" else _("end"))
        return SEPARATOR.join(words)
    if section == "rewards" and rest[:1] == ["prizes"]:
        words = [_("Semester prizes (A17.2)")]
        if len(rest) > 1 and rest[1].isdigit():
            words.append(_("prize %(number)s") % {"number": int(rest[1]) + 1})
            label = _rest_label(section_forms.get("prize"), rest[2]) if len(rest) > 2 else None
            words += [label] if label else []
        return SEPARATOR.join(words)
    if section == "conditions":
        if rest[:1] and rest[0].isdigit():
            words.append(_("rule %(number)s") % {"number": int(rest[0]) + 1})
            if rest[1:2] == ["when"] and len(rest) > 2 and rest[2].isdigit():
                words.append(_("condition %(number)s") % {"number": int(rest[2]) + 1})
                label = _rest_label(section_forms.get("condition"), rest[3]) if len(rest) > 3 else None
            else:
                label = _rest_label(section_forms.get("rule"), rest[1]) if len(rest) > 1 else None
            words += [label] if label else []
        return SEPARATOR.join(words)
    if section == "quotas" and rest[:1] == ["assessment"]:
        rest = rest[1:]
    label = _rest_label(section_forms.get(section), rest[0]) if rest else None
    return label or words[0]


def error_text(error, section_forms):
    """One document error with what it is about: "工作日推送时段：两个时段重叠：…"."""
    if error.get("code") == "windows_overlap":  # pydantic names the windows; the day is in its parameters
        error = {**error, "path": f"{error.get('path')}.{(error.get('params') or {}).get('day_type', '')}"}
    return _("%(subject)s: %(problem)s") % {
        "subject": subject(error.get("path", ""), section_forms),
        "problem": problem(error),
    }


STEPS = {
    "schema_ok": lambda params: _("The document is valid."),
    "schema_invalid": lambda params: _("The document is not valid: %(count)s error(s), listed below.") % params,
    "contradictions": lambda params: (
        _("The sections contradict each other: %(count)s error(s), listed below.") % params
    ),
    "coherent": lambda params: (
        ngettext(
            "No section contradicts another; %(warnings)s warning to acknowledge before activation, listed below.",
            "No section contradicts another; %(warnings)s warnings to acknowledge before activation, listed below.",
            params["warnings"],
        )
        % params
        if params["warnings"]
        else _("No section contradicts another.")
    ),
    "compile_ok": lambda params: _("The policy compiles to a ruleset."),
    "compile_failed": lambda params: _("The policy cannot be compiled (%(detail)s).") % params,
    "cases_failed": lambda params: (
        _("%(failed)s of %(total)s administrator cases do not hold under this document.") % params
    ),
    "cases_hold": lambda params: _("All %(total)s administrator cases hold under this document.") % params,
    "no_cases": lambda params: _("No administrator cases."),
    "engine_ok": lambda params: (
        _(
            "The rules engine loaded this policy in a separate process and gave the verdicts it means in all %(cases)s "
            "cases."
        )
        % params
    ),
    "engine_failed": lambda params: (
        _(
            "The rules engine did not load this policy or gave other verdicts than it means (for the maintainers: "
            "%(detail)s)."
        )
        % params
    ),
}


def step_text(step):
    """One step of a validation report in the reader's language; an older step without a code as written."""
    return _worded(STEPS, step)


def report_message(report):
    """What a validation report says in one sentence: its first failed step, else its last."""
    steps = report.get("steps") or []
    failed = [step for step in steps if not step.get("ok")]
    if steps:
        return step_text(failed[0] if failed else steps[-1])
    return str(report.get("message", ""))


def _push_violation(params):
    reason = reason_text(params["reason"])
    if params.get("article"):
        return _("Push at %(at)s (article %(article)s): %(reason)s") % {**params, "reason": reason}
    return _("Push at %(at)s: %(reason)s") % {"at": params["at"], "reason": reason}


DISCIPLINE_ACTIONS = {
    "warning": gettext_lazy("the department head is warned"),
    "escalation": gettext_lazy("the supervising leader is involved"),
}
VIOLATIONS = {
    "week_quota": lambda params: (
        _("%(name)s: %(count)s submission(s) in the week of %(week)s; the weekly quota is %(minimum)s (A8)") % params
    ),
    "semester_quota": lambda params: (
        _("%(name)s: %(count)s submission(s) in the period; the semester quota is %(minimum)s (A8)") % params
    ),
    "coverage": lambda params: (
        _("Working day %(day)s: %(count)s push(es); at least %(minimum)s are required (A11.1)") % params
    ),
    "push": _push_violation,
    "discipline": lambda params: (
        _("%(name)s: %(errors)s error(s) in department material; %(action)s (A20)")
        % {**params, "action": DISCIPLINE_ACTIONS[params["level"]]}
    ),
}


def violation_text(violation):
    """A violation of an evaluation in the reader's language; one stored without a code as written."""
    return _worded(VIOLATIONS, violation)
