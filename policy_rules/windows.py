"""Push slots: may a push go out at this instant, and if not, when next (A11.2, A11.3, A16, A10.3).

The engine classifies one `SlotFact`; this module turns an instant into that fact
(day type from the site calendar, minute of day and lead time in Asia/Shanghai)
and its verdicts into reasons a person reads. `next_slot` walks day by day
through the windows of each day's type instead of minute by minute, and every
candidate it returns has been checked by the engine.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import engine
from .calendar import day_types
from .document import PolicyDocument
from .facts import SlotFact
from .facts_document import policy_tz
from .labels import CATEGORIES, DAY_TYPES

SEARCH_DAYS = 60  # next_slot gives up (None) after this many days ahead


@dataclass(frozen=True)
class Policy:
    """What the engine classifies under, the typed document, and the label decisions record."""

    target: object
    document: PolicyDocument
    label: str


def resolve(version_or_document, label=None):
    """A `Policy` from a PolicyVersion (its label) or a bare PolicyDocument (a dry run: `label` or scope@draft)."""
    if isinstance(version_or_document, Policy):
        return version_or_document
    if isinstance(version_or_document, PolicyDocument):
        return Policy(version_or_document, version_or_document, label or f"{version_or_document.scope}@draft")
    return Policy(version_or_document, version_or_document.parsed(), label or version_or_document.label)


@dataclass(frozen=True)
class SlotDecision:
    """The answer for one proposed push instant; `reasons` block it, `warnings` do not."""

    allowed: bool
    reasons: tuple = ()
    warnings: tuple = ()
    next_slot: datetime.datetime | None = None
    policy_version: str = ""
    verdicts: frozenset = field(default=frozenset(), repr=False)

    def as_data(self):
        return {
            "allowed": self.allowed,
            "reasons": [dict(reason) for reason in self.reasons],
            "warnings": [dict(warning) for warning in self.warnings],
            "next_slot": self.next_slot.isoformat() if self.next_slot else None,
            "policy_version": self.policy_version,
        }


def local(at):
    """`at` in the policy's time zone; a naive datetime is taken to be in it already."""
    tz = policy_tz()
    return at.replace(tzinfo=tz) if at.tzinfo is None else at.astimezone(tz)


def lead_hours(at, entered_office_at):
    """Hours from reaching office review to the push (A16); -1 when unknown, 0 when it arrives later."""
    if entered_office_at is None:
        return -1.0
    return max(0.0, (at - entered_office_at).total_seconds() / 3600)


def slot_fact(at, day_type, entered_office_at=None, breaking=False, category=None, time_sensitive=False):
    """The `SlotFact` of a push at the local instant `at` on a day of `day_type`."""
    return SlotFact(
        day_type=day_type,
        weekday=at.isoweekday(),
        minute_of_day=at.hour * 60 + at.minute,
        breaking=breaking,
        time_sensitive=time_sensitive,
        category=category,
        lead_hours=lead_hours(at, entered_office_at),
    )


def _rule_message(document, rule_id):
    for rule in document.conditions:
        if rule.id == rule_id:
            return rule.message
    return rule_id


def explain(policy, fact, verdicts):
    """(reasons, warnings) for a slot's verdicts, each `{"rule", "message"}`, citing the article or rule id."""
    schedule = policy.document.schedule
    reasons, warnings = [], []
    if "slot:in_window" not in verdicts and "slot:breaking_exempt" not in verdicts:
        windows = schedule.windows[fact.day_type] or []
        allowed = ", ".join(str(window) for window in windows) or "none"
        reasons.append(
            {
                "rule": "A11.2",
                "message": f"outside the push windows of a {fact.day_type} day ({allowed})",
                "params": {"day_type": fact.day_type, "windows": [str(window) for window in windows]},
            }
        )
    if "slot:lead_short" in verdicts:
        reasons.append(
            {
                "rule": "A16",
                "message": f"material reached the office {fact.lead_hours:.1f} h before the push; "
                f"at least {schedule.lead_hours:g} h are needed",
                "params": {"lead_hours": round(fact.lead_hours, 1), "needed_hours": schedule.lead_hours},
            }
        )
    if "slot:weekend_category" in verdicts:
        categories = ", ".join(str(category) for category in schedule.weekend_categories)
        warnings.append(
            {
                "rule": "A10.3",
                "message": f"category {fact.category} on a weekend; weekends favour: {categories}",
                "params": {
                    "category": fact.category,
                    "categories": [str(category) for category in schedule.weekend_categories],
                },
            }
        )
    for verdict in sorted(verdicts):
        if verdict.startswith("rule:"):
            _, rule_id, then = verdict.split(":", 2)
            entry = {"rule": f"rule:{rule_id}", "message": _rule_message(policy.document, rule_id)}
            (reasons if then == "block" else warnings).append(entry)
    return reasons, warnings


def reason_text(reason):
    """A slot reason or warning in the reader's language: A11.2, A16 and A10.3 from their parameters, a condition
    rule in its own words.

    `message` stays the English record (reports, the CLI); `params` let each reader get their own language. A
    stored entry this version cannot read (older, or tampered with) shows its `message` as written, never an error.
    """
    if not isinstance(reason, dict):
        return str(reason) if isinstance(reason, str) else ""
    params = reason.get("params")
    if isinstance(params, dict):
        try:
            worded = _worded(reason.get("rule"), params)
        except (AttributeError, KeyError, TypeError, ValueError):
            worded = None
        if worded is not None:
            return worded
    message = reason.get("message", "")
    return message if isinstance(message, str) else ""


def _worded(rule, params):
    if rule == "A11.2" and "day_type" in params:
        day = DAY_TYPES.get(params["day_type"], params["day_type"])
        windows = " / ".join(str(window) for window in params.get("windows") or []) or _("none")
        return _("A11.2: outside the push windows of this day (%(day)s: %(windows)s)") % {
            "day": day,
            "windows": windows,
        }
    if rule == "A16" and "lead_hours" in params:
        return _(
            "A16: the material reached the office %(lead).1f h before the push; at least %(needed)s h are needed"
        ) % {"lead": params["lead_hours"], "needed": f"{params['needed_hours']:g}"}
    if rule == "A10.3" and "category" in params:
        favoured = [str(CATEGORIES.get(category, category)) for category in params.get("categories") or []]
        return _("A10.3: a “%(category)s” article on a weekend; weekend pushes are mainly %(categories)s") % {
            "category": CATEGORIES.get(params["category"], params["category"]) or _("no category"),
            "categories": pgettext("list of names", ", ").join(favoured) or _("none"),
        }
    return None


def check_slot(version, at, entered_office_at=None, breaking=False, category=None, time_sensitive=False, label=None):
    """May a push go out at `at`? A `SlotDecision` with reasons, warnings and the next allowed instant."""
    policy = resolve(version, label)
    at = local(at)
    entered = local(entered_office_at) if entered_office_at is not None else None
    options = {
        "entered_office_at": entered,
        "breaking": breaking,
        "category": category,
        "time_sensitive": time_sensitive,
    }
    days = day_types(at.date(), at.date() + datetime.timedelta(days=SEARCH_DAYS))
    fact = slot_fact(at, str(days[at.date()]), **options)
    verdicts = engine.classify(policy.target, fact)
    reasons, warnings = explain(policy, fact, verdicts)
    allowed = not reasons
    following = at if allowed else next_slot(policy, at, days, **options)
    return SlotDecision(
        allowed=allowed,
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        next_slot=following,
        policy_version=policy.label,
        verdicts=verdicts,
    )


def _blocked(policy, at, day_type, **options):
    fact = slot_fact(at, day_type, **options)
    reasons, _ = explain(policy, fact, engine.classify(policy.target, fact))
    return bool(reasons)


def _day_intervals(document, date, day_type):
    """The day's windows as local [start, end) instants; no fixed window (None) is the whole day (A11.3)."""
    tz = policy_tz()
    windows = document.schedule.windows.get(day_type)
    midnight = datetime.datetime.combine(date, datetime.time(), tz)
    if windows is None:
        return [(midnight, midnight + datetime.timedelta(days=1))]
    return [
        (datetime.datetime.combine(date, window.start, tz), datetime.datetime.combine(date, window.end, tz))
        for window in sorted(windows, key=lambda window: window.start)
    ]


def _breakpoints(document, date, entered, lower):
    """Instants on `date` where a condition rule's verdict may change (its minute_of_day or lead_hours values)."""
    tz = policy_tz()
    midnight = datetime.datetime.combine(date, datetime.time(), tz)
    points = {lower}
    for rule in document.conditions:
        for condition in rule.when:
            if condition.field == "minute_of_day":
                for minute in (condition.value, condition.value + 1):
                    if 0 <= minute < 24 * 60:
                        points.add(midnight + datetime.timedelta(minutes=minute))
            elif condition.field == "lead_hours" and entered is not None and condition.value >= 0:
                for minutes in (0, 1):
                    points.add(entered + datetime.timedelta(hours=condition.value, minutes=minutes))
    return points


def next_slot(policy, at, days, entered_office_at=None, **options):
    """The earliest instant at or after `at` the engine allows, within `SEARCH_DAYS`; None when there is none.

    Candidates are, in each window of each day: the later of the window start,
    `at` and the lead-time bound (A16: entered + lead_hours, unless breaking is
    exempt), then the instants where an administrator's condition rule may
    change its verdict. Each is checked through the engine, earliest first.
    """
    schedule = policy.document.schedule
    lower = at
    exempt = options.get("breaking") and schedule.breaking_exempt
    if entered_office_at is not None and not exempt:
        lower = max(lower, entered_office_at + datetime.timedelta(hours=schedule.lead_hours))
    options["entered_office_at"] = entered_office_at
    for date in sorted(days):
        if date < lower.date():
            continue
        day_type = str(days[date])
        candidates = sorted(_breakpoints(policy.document, date, entered_office_at, lower))
        for start, end in _day_intervals(policy.document, date, day_type):
            for candidate in [max(start, lower)] + [point for point in candidates if start <= point < end]:
                if candidate < lower or not (start <= candidate < end):
                    continue
                if not _blocked(policy, candidate, day_type, **options):
                    return candidate
    return None
