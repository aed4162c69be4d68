"""The dry run as an office head reads it (issue 14 item 3): each change once, in sections by what it affects, naming
its department or contributor.

`fold(changes)` drops the violation changes that restate a listed outcome (a department's week below its quota is
one change, not a quota change and a "new violation") and a violation found by both versions; `compare` stores the
folded list and reports stored before are folded again when shown. `sections(report)` groups the changes under
`SECTIONS`, worded by `describe(change, names)` with the names the site gives (`DryRunNames`, one query per kind).
"""

import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dry_run_names import CONTRIBUTOR_CHANGES, DryRunNames
from .labels import LEVELS, PRIZES
from .texts import violation_text

SECTIONS = (
    ("departments", gettext_lazy("Departments' submissions (A8)")),
    ("contributors", gettext_lazy("Contributors' points and prizes (A17, A18)")),
    ("discipline", gettext_lazy("Discipline levels (A20)")),
    ("pushes", gettext_lazy("Working-day pushes and push times (A11, A16)")),
    ("violations", gettext_lazy("Other violations")),
)
OUTCOME_SECTIONS = {
    "week": "departments",
    "semester": "departments",
    **dict.fromkeys(CONTRIBUTOR_CHANGES, "contributors"),
    "discipline": "discipline",
    "working_day": "pushes",
}
VIOLATIONS = ("violation_added", "violation_removed")
# A violation's code → the outcome change that says the same (kind, and the key beside its subject).
RESTATED = {"week_quota": "week", "semester_quota": "semester", "coverage": "working_day", "discipline": "discipline"}
VIOLATION_SECTIONS = {
    "week_quota": "departments",
    "semester_quota": "departments",
    "discipline": "discipline",
    "coverage": "pushes",
    "push": "pushes",
}
WEEK_OF = re.compile(r"week of (\d{4}-\d{2}-\d{2})")


def _violation_code(change):
    """A violation's code; one stored before codes by its article (A8 week or semester, A11.1, A20)."""
    if change.get("code"):
        return change["code"]
    rule = str(change.get("rule", ""))
    if rule == "A8":
        return "week_quota" if WEEK_OF.search(str(change.get("message", ""))) else "semester_quota"
    return {"A11.1": "coverage", "A20": "discipline"}.get(rule, "push" if rule.startswith(("A11", "A16")) else None)


def _outcome_key(kind, subject, week=None):
    return (kind, str(subject), week)


def _restates(violation):
    """The outcome change a violation restates (its department's week, semester or level, its working day)."""
    code = _violation_code(violation)
    if code not in RESTATED:
        return None
    week = None
    if code == "week_quota":
        found = WEEK_OF.search(str(violation.get("message", "")))
        week = (violation.get("params") or {}).get("week") or (found.group(1) if found else None)
    return _outcome_key(RESTATED[code], violation.get("subject"), week)


def _violation_signature(change):
    params = json.dumps(change.get("params"), sort_keys=True, default=str) if change.get("code") else None
    return (change.get("rule"), str(change.get("subject")), change.get("code"), params or change.get("message"))


def fold(changes):
    """`changes` with each listed once: no violation that restates an outcome change, none both found and gone."""
    outcomes = {
        _outcome_key(change["kind"], change["subject"], change.get("week_start"))
        for change in changes
        if change["kind"] not in VIOLATIONS
    }
    found = {_violation_signature(c) for c in changes if c["kind"] == "violation_added"}
    gone = {_violation_signature(c) for c in changes if c["kind"] == "violation_removed"}
    shown, seen = [], set()
    for change in changes:
        if change["kind"] in VIOLATIONS and (
            _restates(change) in outcomes or _violation_signature(change) in found & gone
        ):
            continue
        signature = json.dumps(change, sort_keys=True, default=str)
        if signature not in seen:
            seen.add(signature)
            shown.append(change)
    return shown


def listed_count(report):
    """How many changes a stored report lists, folded (a report stored before folding counted its repeats)."""
    return len(fold(report.get("changes") or []))


def section_of(change):
    """The key of the section `change` is listed in."""
    if change["kind"] in VIOLATIONS:
        return VIOLATION_SECTIONS.get(_violation_code(change), "violations")
    return OUTCOME_SECTIONS.get(change["kind"], "violations")


def sections(report):
    """[{"key", "title", "count", "items": [{"kind", "text"}]}] in `SECTIONS` order, only those with changes."""
    changes = fold(report.get("changes") or [])
    names = DryRunNames(changes)
    items, seen = {}, set()
    for change in changes:
        key, text = section_of(change), describe(change, names)
        if change["kind"] in VIOLATIONS:  # two violations worded alike read as one (never two people alike)
            if (change["kind"], text) in seen:
                continue
            seen.add((change["kind"], text))
        items.setdefault(key, []).append({"kind": change["kind"], "text": text})
    return [
        {"key": key, "title": str(title), "count": len(items[key]), "items": items[key]}
        for key, title in SECTIONS
        if items.get(key)
    ]


def _met(value):
    return {True: _("met"), False: _("not met"), None: "—"}[value]


def _level(level):
    return str(LEVELS.get(level, "—")) if level is not None else "—"


def _value(kind, value):
    if value is None:
        return "—"
    if kind == "prize":
        return str(PRIZES.get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def describe(change, names=None):
    """One changed outcome in words, in the active language, naming its department or contributor."""
    names = names or DryRunNames([change])
    kind = change["kind"]
    if kind == "discipline":
        text = _("%(name)s: %(old)s → %(new)s") % {
            "name": names.department(change),
            "old": _level(change["old"]),
            "new": _level(change["new"]),
        }
        return text + (_(" on %(day)s") % {"day": change["on"]} if change.get("on") else "")
    if kind == "week":
        return _("%(name)s, week of %(week)s (%(count)s submitted): weekly quota %(old)s → %(new)s") % {
            "name": names.department(change),
            "week": change["week_start"],
            "count": change["count"],
            "old": _met(change["old"]),
            "new": _met(change["new"]),
        }
    if kind == "semester":
        return _("%(name)s (%(count)s submitted in the period): semester quota %(old)s → %(new)s") % {
            "name": names.department(change),
            "count": change["count"],
            "old": _met(change["old"]),
            "new": _met(change["new"]),
        }
    if kind in CONTRIBUTOR_CHANGES:
        what = {"points": _("points"), "prize": _("prize"), "certificate": _("certificate")}[kind]
        return _("%(who)s: %(what)s %(old)s → %(new)s") % {
            "who": names.contributor(change),
            "what": what,
            "old": _value(kind, change["old"]),
            "new": _value(kind, change["new"]),
        }
    if kind == "working_day":
        return _("Working day %(day)s (%(pushes)s pushes): coverage %(old)s → %(new)s") % {
            "day": change["subject"],
            "pushes": change["pushes"],
            "old": _met(change["old"]),
            "new": _met(change["new"]),
        }
    label = _("New violation") if kind == "violation_added" else _("Violation no longer found")
    if change.get("code"):  # worded with its article (A8, A11.1, A20) in the reader's language
        return _("%(label)s: %(text)s") % {"label": label, "text": violation_text(change)}
    return f"{label} ({change['rule']}): {change['message']}"
