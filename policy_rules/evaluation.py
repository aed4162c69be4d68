"""Evaluate a facts document for its period: quotas, coverage, points and prizes, discipline, violations.

All counting happens here, in one pass over each list of the facts document;
the engine classifies one counted fact at a time (a department's week, its
period total, a student's accepted count, a working day, a push), and equal
facts are classified once per evaluation. See docs/facts-document.md.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from . import engine
from .calendar import day_types
from .facts import DepartmentErrorsFact, DepartmentSemesterFact, DepartmentWeekFact, StudentPointsFact, WorkingDayFact
from .facts_document import key, parse_facts, policy_tz
from .gc_pause import collection_paused
from .windows import explain, resolve, slot_fact

# Material that counts toward a department's quota (A8); the office is not a department here.
QUOTA_PROVIDERS = ("department", "personal")


class Classifier:
    """The engine under one policy, asked once per distinct fact."""

    def __init__(self, policy):
        self.policy = policy
        self._verdicts = {}

    def __call__(self, fact):
        cache_key = (fact.kind, fact)
        if cache_key not in self._verdicts:
            self._verdicts[cache_key] = engine.classify(self.policy.target, fact)
        return self._verdicts[cache_key]


def evaluate(version_or_document, facts_document, label=None):
    """Outcomes of `facts_document` (dict or FactsDocument) under a PolicyVersion or a bare PolicyDocument.

    Raises `FactsDocumentError` when the facts are invalid; nothing is evaluated then.
    The garbage collector is paused meanwhile (`gc_pause`).
    """
    with collection_paused():
        return _evaluate(version_or_document, facts_document, label)


def _evaluate(version_or_document, facts_document, label):
    facts = parse_facts(facts_document)
    policy = resolve(version_or_document, label)
    classify = Classifier(policy)
    period = facts.period
    tz = policy_tz()
    days = {date: str(day_type) for date, day_type in day_types(period.start, period.end).items()}
    violations = []
    counts = tallies(facts, tz)
    departments = _departments(facts, classify, tz, counts, violations)
    contributors = _contributors(facts, classify, counts)
    working_days = _working_days(facts, classify, counts, days, violations)
    _pushes(facts, classify, tz, days, violations)
    _discipline_violations(facts, departments, violations)
    return {
        "policy_version": policy.label,
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "departments": departments,
        "contributors": contributors,
        "working_days": working_days,
        "violations": violations,
    }


@dataclass(frozen=True)
class Tallies:
    """What an evaluation counts from the facts alone, whatever the policy (keys are `key()` text)."""

    weekly: dict  # department → Counter(Monday → submissions that count for its quota, A8)
    totals: Counter  # department → submissions in the period (A8)
    accepted: Counter  # contributor → accepted material in their own name (A17, A18)
    published: Counter  # contributor → published material in their own name
    pushed: Counter  # department → its quota material that went out in a push of the period (A22)
    pushes_on: Counter  # local date → pushes (A11.1)


def tallies(facts, tz):
    """The document's `Tallies`, counted once per parsed document and time zone: a dry run's second evaluation
    (another policy, the same facts) only classifies (issue 15)."""
    cached = facts._tallies
    if cached is not None and cached[0] == tz:
        return cached[1]
    counted = _count(facts, tz)
    facts._tallies = (tz, counted)
    return counted


def _count(facts, tz):
    period = facts.period
    # Each submission's local day, once (20,000 astimezone calls a semester); then counted by the id as written and
    # merged by key (5 and "5" are one department): a Counter increment a submission, not a key() each.
    submitted_on = [submission.submitted_at.astimezone(tz).date() for submission in facts.submissions]
    by_day = Counter(
        (submission.department, date)
        for submission, date in zip(facts.submissions, submitted_on, strict=True)
        if submission.provider in QUOTA_PROVIDERS and submission.department is not None and date in period
    )
    weekly, totals = defaultdict(Counter), Counter()
    for (written, date), count in by_day.items():
        department = key(written)
        weekly[department][date - datetime.timedelta(days=date.weekday())] += count
        totals[department] += count
    # Only material in a person's own name counts for that person (A17, A18, A19).
    personal = Counter(
        (submission.contributor, submission.accepted, submission.published_at is not None)
        for submission, date in zip(facts.submissions, submitted_on, strict=True)
        if submission.provider == "personal" and submission.contributor is not None and date in period
    )
    accepted, published = Counter(), Counter()
    for (written, was_accepted, was_published), count in personal.items():
        contributor = key(written)
        accepted[contributor] += was_accepted * count
        published[contributor] += was_published * count
    return Tallies(
        weekly=dict(weekly),  # a plain dict: reading a department without submissions adds nothing to it
        totals=totals,
        accepted=accepted,
        published=published,
        pushed=pushed_per_department(facts, tz),
        pushes_on=Counter(push.at.astimezone(tz).date() for push in facts.pushes),
    )


def _weeks(period):
    """Mondays of every Monday–Sunday week overlapping the period."""
    monday = period.start - datetime.timedelta(days=period.start.weekday())
    while monday <= period.end:
        yield monday
        monday += datetime.timedelta(days=7)


def _departments(facts, classify, tz, counts, violations):
    """Quota per week and per period (A8) and counted errors with their discipline level (A20)."""
    quotas = classify.policy.document.quotas
    counted_kinds = set(classify.policy.document.discipline.counted_kinds)
    weekly, totals, pushed = counts.weekly, counts.totals, counts.pushed
    errors = {department: len(days) for department, days in counted_error_days(facts, counted_kinds, tz).items()}

    mondays = list(_weeks(facts.period))
    outcomes = {}
    for department in facts.departments:
        department_id = key(department.id)
        by_week = weekly.get(department_id, Counter())  # read only: the tallies are shared by every evaluation
        weeks = []
        for monday in mondays:
            count = by_week[monday]
            met = "quota:week_met" in classify(DepartmentWeekFact(count=count))
            weeks.append({"week_start": monday.isoformat(), "count": count, "met": met})
            if not met:
                violations.append(
                    {
                        "rule": "A8",
                        "subject": department_id,
                        "message": f"{department.name or department_id}: {count} submission(s) in the week of "
                        f"{monday.isoformat()}; at least {quotas.min_per_week} a week",
                        "code": "week_quota",  # worded in the reader's language by texts.violation_text
                        "params": {
                            "name": department.name or str(department_id),
                            "count": count,
                            "week": monday.isoformat(),
                            "minimum": quotas.min_per_week,
                        },
                    }
                )
        total = totals[department_id]
        semester_met = "quota:semester_met" in classify(DepartmentSemesterFact(count=total))
        if not semester_met:
            violations.append(
                {
                    "rule": "A8",
                    "subject": department_id,
                    "message": f"{department.name or department_id}: {total} submission(s) in the period; "
                    f"at least {quotas.min_per_semester} a semester",
                    "code": "semester_quota",
                    "params": {
                        "name": department.name or str(department_id),
                        "count": total,
                        "minimum": quotas.min_per_semester,
                    },
                }
            )
        discipline = discipline_level(classify(DepartmentErrorsFact(errors=errors.get(department_id, 0))))
        outcomes[department_id] = {
            "name": department.name,
            "submissions": total,
            "weeks": weeks,
            "semester_met": semester_met,
            "errors": errors.get(department_id, 0),
            "pushed": pushed[department_id],
            "discipline": discipline,
            "assessment": _assessment(quotas, total, semester_met),
        }
    return outcomes


def counted_error_days(facts, counted_kinds, tz):
    """Department id → the sorted found-at days of its errors that count (A20).

    Only material a department provided counts; personal material is sent back, no warning.
    An error without a department falls back to its submission's.
    """
    # Only the submissions an error without a department names: not a map of the whole semester (issue 15).
    unassigned = {key(error.submission) for error in facts.errors if error.department is None}
    submission_department = {
        key(submission.id): key(submission.department)
        for submission in facts.submissions
        if unassigned and key(submission.id) in unassigned
    }
    days = defaultdict(list)
    for error in facts.errors:
        if error.provider != "department" or error.kind not in counted_kinds:
            continue
        day = error.found_at.astimezone(tz).date()
        if day not in facts.period:
            continue
        department = key(error.department) or submission_department.get(key(error.submission))
        if department is not None:
            days[department].append(day)
    return {department: sorted(found) for department, found in days.items()}


def pushed_per_department(facts, tz):
    """Department id → how many of its submissions (quota material, A8) went out in a push of the period (A22)."""
    pushed = {
        key(article)
        for push in facts.pushes
        if push.at.astimezone(tz).date() in facts.period
        for article in push.articles
    }
    counts = Counter()
    for submission in facts.submissions:
        if (
            submission.provider in QUOTA_PROVIDERS
            and submission.department is not None
            and key(submission.id) in pushed
        ):
            counts[key(submission.department)] += 1
    return counts


def discipline_level(verdicts):
    """The discipline level (none, warning or escalation) of a department_errors fact's verdicts."""
    if "discipline:escalation" in verdicts:
        return "escalation"
    return "warning" if "discipline:warning" in verdicts else "none"


def _assessment(quotas, total, semester_met):
    """The A22 suggestion for the annual assessment: the meeting decides, this only suggests.

    Short of the quota: a smaller share of "excellent" ratings; at least
    `surplus_ratio` × the quota: a larger one.
    """
    rule = quotas.assessment
    if not semester_met:
        return {"standing": "short", "share_change": rule.shortfall_share_change}
    if quotas.min_per_semester and total >= rule.surplus_ratio * quotas.min_per_semester:
        return {"standing": "more", "share_change": rule.surplus_share_change}
    return {"standing": "met", "share_change": 0}


def _id_order(value):
    """Ascending contributor id for tie-breaks: numbers numerically, before text ids."""
    return (0, value, "") if isinstance(value, int) else (1, 0, value)


def _contributors(facts, classify, counts):
    """Points (A17.1), prizes (A17.2) and staff certificates (A18); department material earns nothing (A19)."""
    rewards = classify.policy.document.rewards
    accepted, published = counts.accepted, counts.published

    outcomes = {}
    for contributor in facts.contributors:
        contributor_id = key(contributor.id)
        points = 0
        if contributor.kind == "student" and accepted[contributor_id]:
            capped = "points:capped" in classify(StudentPointsFact(accepted=accepted[contributor_id]))
            points = rewards.points_cap if capped else accepted[contributor_id] * rewards.points_per_accepted
        outcomes[contributor_id] = {
            "kind": contributor.kind,
            "accepted": accepted[contributor_id],
            "published": published[contributor_id],
            "points": points,
            "prize": None,
            "prize_points": 0,
            "total_points": points,
            "certificate": False,
        }

    def ranking(candidates):
        # Published count desc, then accepted desc, then contributor id asc (deterministic ties).
        return sorted(
            candidates,
            key=lambda c: (-published[key(c.id)], -accepted[key(c.id)], _id_order(c.id)),
        )

    students = ranking(c for c in facts.contributors if c.kind == "student" and accepted[key(c.id)] > 0)
    position = 0
    for prize in rewards.prizes:
        for student in students[position : position + prize.winners]:
            outcome = outcomes[key(student.id)]
            outcome.update(prize=prize.name, prize_points=prize.points, certificate=True)
            outcome["total_points"] = outcome["points"] + prize.points
        position += prize.winners
    staff = ranking(c for c in facts.contributors if c.kind == "staff" and published[key(c.id)] > 0)
    for member in staff[: rewards.staff_certificates]:
        outcomes[key(member.id)]["certificate"] = True
    return outcomes


def _working_days(facts, classify, counts, days, violations):
    """Pushes on each working day of the period and whether they cover it (A11.1)."""
    minimum = classify.policy.document.schedule.min_pushes_per_working_day
    pushes = counts.pushes_on
    outcomes = {}
    for date in sorted(days):
        if days[date] != "working":
            continue
        verdicts = classify(WorkingDayFact(day_type="working", pushes=pushes[date]))
        # A day that the policy requires nothing of (minimum 0) is covered.
        met = "coverage:met" in verdicts or "coverage:required" not in verdicts
        outcomes[date.isoformat()] = {"pushes": pushes[date], "met": met}
        if not met:
            violations.append(
                {
                    "rule": "A11.1",
                    "subject": date.isoformat(),
                    "message": f"{pushes[date]} push(es) on working day {date.isoformat()}; at least {minimum}",
                    "code": "coverage",
                    "params": {"count": pushes[date], "day": date.isoformat(), "minimum": minimum},
                }
            )
    return outcomes


def _pushes(facts, classify, tz, days, violations):
    """Each push in the period against the windows and lead time (A11.2, A16) and blocking condition rules."""
    # When each pushed article reached the office: only those, not the whole semester (issue 15).
    pushed = {key(article) for push in facts.pushes for article in push.articles}
    arrived = {
        key(submission.id): (submission.reached_office_at or submission.submitted_at).astimezone(tz)
        for submission in facts.submissions
        if pushed and key(submission.id) in pushed
    }
    for push in sorted(facts.pushes, key=lambda push: push.at):
        at = push.at.astimezone(tz)
        if at.date() not in days:
            continue  # outside the period: its day type is not known here
        # The article that reached the office last has the shortest lead time; it decides A16.
        last = max(push.articles, key=lambda article: arrived[key(article)])
        fact = slot_fact(at, days[at.date()], entered_office_at=arrived[key(last)], breaking=push.breaking)
        reasons, _ = explain(classify.policy, fact, classify(fact))
        subject = key(push.id) if push.id is not None else at.isoformat()
        for reason in reasons:
            about = f" (article {key(last)})" if reason["rule"] == "A16" else ""
            message = f"push at {at:%Y-%m-%d %H:%M}{about}: {reason['message']}"
            params = {"at": f"{at:%Y-%m-%d %H:%M}", "article": str(key(last)) if about else "", "reason": reason}
            violations.append(
                {"rule": reason["rule"], "subject": subject, "message": message, "code": "push", "params": params}
            )


def _discipline_violations(facts, departments, violations):
    """Departments at a warning or escalation level (A20)."""
    discipline = {"warning": "warn the department head", "escalation": "refer to the supervising leader"}
    for department_id, outcome in departments.items():
        if outcome["discipline"] != "none":
            violations.append(
                {
                    "rule": "A20",
                    "subject": department_id,
                    "message": f"{outcome['name'] or department_id}: {outcome['errors']} error(s) in department "
                    f"material; {discipline[outcome['discipline']]}",
                    "code": "discipline",
                    "params": {
                        "name": outcome["name"] or str(department_id),
                        "errors": outcome["errors"],
                        "level": outcome["discipline"],
                    },
                }
            )
