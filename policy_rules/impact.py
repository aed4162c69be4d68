"""What activating a version would change: a past period replayed under two versions (DURABLE_RULES.md §4.6).

`compare(active, candidate, facts)` evaluates one facts document under the
active version and the candidate and lists every outcome that differs: each
department's discipline level (with the day the new level is reached), weekly
and semester quotas, each contributor's points, prize and certificate, each
working day's coverage, and violations added or removed, each once (`dry_run_sections.fold`: a violation that
restates a quota, level or coverage change is not listed again). `dry_run_sections` words and groups them.
"""

from collections import defaultdict

from . import coverage, engine
from .dry_run_sections import fold
from .evaluation import counted_error_days, discipline_level, evaluate
from .facts import DepartmentErrorsFact
from .facts_document import key, parse_facts, policy_tz

LEVELS = ("none", "warning", "escalation")


def compare(active, candidate, facts_data):
    """The dry-run report of `candidate` against `active` (None: nothing is active) over `facts_data`."""
    facts = parse_facts(facts_data)
    after = evaluate(candidate, facts)
    before = evaluate(active, facts) if active is not None else _EMPTY
    changes = fold(
        _department_changes(before, after, facts, active, candidate)
        + _contributor_changes(before, after, facts)
        + _working_day_changes(before, after)
        + _violation_changes(before["violations"], after["violations"])
    )
    by_kind = defaultdict(int)
    for change in changes:
        by_kind[change["kind"]] += 1
    return {
        "period": after["period"],
        "baseline": before.get("policy_version"),
        "candidate": after["policy_version"],
        "coverage": coverage.measure(facts),  # judged against today by versions.dry_run
        "changes": changes,
        "totals": {
            "changes": len(changes),
            "by_kind": dict(by_kind),
            "violations": {"before": len(before["violations"]), "after": len(after["violations"])},
            "departments": len(after["departments"]),
            "contributors": len(after["contributors"]),
        },
    }


_EMPTY = {"policy_version": None, "departments": {}, "contributors": {}, "working_days": {}, "violations": []}


def _department_changes(before, after, facts, active, candidate):
    changes = []
    error_days = _error_days(facts)
    for department, new in after["departments"].items():
        old = before["departments"].get(department, {})
        name = new.get("name") or department
        if old.get("discipline") != new["discipline"]:
            changes.append(
                {
                    "kind": "discipline",
                    "subject": department,
                    "name": name,
                    "old": old.get("discipline"),
                    "new": new["discipline"],
                    "on": _level_reached_on(error_days, department, candidate, active, new, old),
                }
            )
        old_weeks = {week["week_start"]: week["met"] for week in old.get("weeks", [])}
        for week in new["weeks"]:
            if old_weeks.get(week["week_start"]) != week["met"]:
                changes.append(
                    {
                        "kind": "week",
                        "subject": department,
                        "name": name,
                        "week_start": week["week_start"],
                        "count": week["count"],
                        "old": old_weeks.get(week["week_start"]),
                        "new": week["met"],
                    }
                )
        if old.get("semester_met") != new["semester_met"]:
            changes.append(
                {
                    "kind": "semester",
                    "subject": department,
                    "name": name,
                    "count": new["submissions"],
                    "old": old.get("semester_met"),
                    "new": new["semester_met"],
                }
            )
    return changes


def _level_reached_on(error_days, department, candidate, active, new, old):
    """The day the department reached its new level under the candidate (or its old one under the active)."""
    if new["discipline"] != "none":
        return _first_day_at(error_days(candidate), candidate, new["discipline"], department)
    if active is not None and old.get("discipline") not in (None, "none"):
        return _first_day_at(error_days(active), active, old["discipline"], department)
    return None


def _error_days(facts):
    """policy → its counted error days per department (A20), computed once per policy for the whole dry run."""
    tz = policy_tz()
    computed = {}

    def days_under(policy):
        if id(policy) not in computed:
            kinds = set(policy.parsed().discipline.counted_kinds)
            computed[id(policy)] = counted_error_days(facts, kinds, tz)
        return computed[id(policy)]

    return days_under


def _first_day_at(days_by_department, policy, level, department):
    """The found-at day of the error with which `department` reached `level` under `policy`."""
    for count, day in enumerate(days_by_department.get(department, []), start=1):
        if discipline_level(engine.classify(policy, DepartmentErrorsFact(errors=count))) == level:
            return day.isoformat()
    return None


def _contributor_changes(before, after, facts):
    """Points, prize and certificate changes, each with the contributor's department (id and the facts' name)."""
    department_names = {key(department.id): department.name for department in facts.departments}
    departments = {key(contributor.id): key(contributor.department) for contributor in facts.contributors}
    changes = []
    for contributor, new in after["contributors"].items():
        old = before["contributors"].get(contributor, {})
        department = departments.get(contributor)
        for field in ("points", "prize", "certificate"):
            if old.get(field) != new[field]:
                changes.append(
                    {
                        "kind": field,
                        "subject": contributor,
                        "contributor_kind": new["kind"],
                        "department": department,
                        "department_name": department_names.get(department, ""),
                        "old": old.get(field),
                        "new": new[field],
                    }
                )
    return changes


def _working_day_changes(before, after):
    return [
        {"kind": "working_day", "subject": day, "pushes": new["pushes"], "old": old.get("met"), "new": new["met"]}
        for day, new in after["working_days"].items()
        if (old := before["working_days"].get(day, {})).get("met") != new["met"]
    ]


def _violation_changes(before, after):
    """Violations only one version finds. Matching ignores text that names the policy's own numbers."""
    old, new = list(before), list(after)
    for match in (_exact, _same_fact, _only_one_per_subject):
        old, new = _unmatched(old, new, match)
    return [{"kind": "violation_removed", **v} for v in old] + [{"kind": "violation_added", **v} for v in new]


def _exact(violation):
    return (violation["rule"], violation["subject"], violation["message"])


def _same_fact(violation):
    # Messages say the fact, then after ";" what the policy asks ("…; at least 2 a week").
    return (violation["rule"], violation["subject"], violation["message"].split(";", 1)[0])


def _only_one_per_subject(violation):
    return (violation["rule"], violation["subject"])


def _unmatched(old, new, signature):
    """Drop pairs with the same signature; for the last pass only where each side has exactly one."""
    groups_old, groups_new = defaultdict(list), defaultdict(list)
    for violation in old:
        groups_old[signature(violation)].append(violation)
    for violation in new:
        groups_new[signature(violation)].append(violation)
    strict = signature is _only_one_per_subject
    left_old, left_new = [], []
    for group, items in groups_old.items():
        others = groups_new.get(group, [])
        if strict and (len(items) != 1 or len(others) != 1):
            left_old.extend(items)
            continue
        left_old.extend(items[len(others) :])
    for group, items in groups_new.items():
        others = groups_old.get(group, [])
        if strict and (len(items) != 1 or len(others) != 1):
            left_new.extend(items)
            continue
        left_new.extend(items[len(others) :])
    return left_old, left_new
