"""Contradictions between the sections of a policy document (issue 14 item 4).

The schema checks each value and each section on its own; these checks read the sections against
each other. Each finding has a severity, decided per check:

- **error**: the document asks for something it also makes impossible (a requirement no working day
  or student could ever meet, a promise that can never be kept), and the administrator has a
  consistent way to say what they mean. Saving such a draft, validating it and activating it are
  refused.
- **warning**: the combination can be meant (a vacant first prize, no pushes at weekends), but it
  leaves part of the document dead or surprising. Validation passes; activation needs the
  administrator to acknowledge the warnings, and the acknowledgement is recorded.

A finding is stored as `{"path", "message", "code", "params"}`, the shape of the schema's errors
(policy_rules/texts.py), so the editor puts it at the field its path names and `WORDINGS` words it in
the reader's language. Its words name the other fields it involves as the edit form labels them
(FIELDS, the forms' own msgids: tests/policy_rules/test_contradictions.py checks they stay the same).
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from . import labels
from .reference import reference_slot_verdicts
from .rule_terms import WEEKDAYS

ERROR, WARNING = "error", "warning"
# The edit form's title of the schedule section (policy_rules/templates/policy_rules/edit.html), the same msgid.
SCHEDULE = gettext_lazy("Push schedule (A11, A12, A16)")
WORKING_WEEKDAYS = (1, 2, 3, 4, 5)  # every week has them as working days
# A Saturday or Sunday worked in exchange for a holiday (调休上班) is a working day too: A11.1 asks a push of it,
# and "working day" follows the official calendar with its swapped weekends (A11.3).
SWAPPED_WEEKDAYS = (6, 7)
FAR_AHEAD = 10_000.0  # hours: material that reached the office long before, which no lead-time rule holds back


@dataclass(frozen=True)
class Finding:
    """One contradiction: `path` is where the editor shows it, `params` what its words need."""

    code: str
    severity: str
    path: str
    params: dict = field(default_factory=dict)

    def as_data(self):
        """The stored entry: the shape of a schema error, plus its severity."""
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "params": self.params,
            "message": self.english(),  # the record, as the schema's errors keep pydantic's English
        }

    def english(self):
        with translation.override("en"):
            return text(self)


def check(document):
    """Every contradiction of a PolicyDocument, errors first."""
    findings = [
        *_working_days(document),
        *_weekends(document),
        *_points(document),
        *_prizes(document),
        *_quotas(document),
        *_discipline(document),
    ]
    return sorted(findings, key=lambda finding: finding.severity != ERROR)


def errors(document):
    return [finding for finding in check(document) if finding.severity == ERROR]


def warnings(document):
    return [finding for finding in check(document) if finding.severity == WARNING]


# A11.1 against A11.2 and the administrators' rules. An error: every working day would miss its push,
# and setting the minimum to 0 says "no push is required" consistently.
def _working_days(document):
    schedule = document.schedule
    if schedule.min_pushes_per_working_day < 1:
        return []
    if schedule.windows["working"] == []:
        return [
            Finding(
                "no_working_window", ERROR, "schedule.windows.working", {"minimum": schedule.min_pushes_per_working_day}
            )
        ]
    blocking = [rule.id for rule in document.conditions if rule.then == "block"]
    findings = []
    for code, weekdays in (
        ("rules_close_working_days", WORKING_WEEKDAYS),
        ("rules_close_swapped_working_days", SWAPPED_WEEKDAYS),
    ):
        closed = [weekday for weekday in weekdays if not _any_push_allowed(document, weekday)]
        if closed:
            params = {"weekdays": closed, "rules": blocking, "minimum": schedule.min_pushes_per_working_day}
            findings.append(Finding(code, ERROR, "conditions", params))
    return findings


def _any_push_allowed(document, weekday):
    """Whether some ordinary push (not breaking news) may go out on a working day falling on `weekday`.

    Candidates: each window's start (midnight with no fixed window) and every minute or lead time at
    which an administrator's rule may change its verdict; material is taken to have reached the office
    long before, so only a rule, never A16 itself, holds it back.
    """
    windows = document.schedule.windows["working"]
    minutes = {0} if windows is None else {w.start.hour * 60 + w.start.minute for w in windows}
    leads = {FAR_AHEAD, -1.0}
    for rule in document.conditions:
        for condition in rule.when:
            if condition.field == "minute_of_day":
                minutes.update(m for m in (condition.value, condition.value + 1) if 0 <= m < 24 * 60)
            elif condition.field == "lead_hours":
                leads.update((float(condition.value), float(condition.value) + 1))
    for minute in sorted(minutes):
        for lead in sorted(leads):
            for time_sensitive in (False, True):
                fact = {
                    "day_type": "working",
                    "weekday": weekday,
                    "minute_of_day": minute,
                    "breaking": False,
                    "time_sensitive": time_sensitive,
                    "category": None,
                    "lead_hours": lead,
                }
                verdicts = reference_slot_verdicts(document, fact)
                refused = (
                    "slot:in_window" not in verdicts
                    or "slot:lead_short" in verdicts
                    or any(verdict.startswith("rule:") and verdict.endswith(":block") for verdict in verdicts)
                )
                if not refused:
                    return True
    return False


def _weekends(document):
    schedule = document.schedule
    findings = []
    # A10.3 with no category to favour: every weekend push is flagged. An error: unticking the weekend
    # day types says "no weekend expectation" consistently.
    if schedule.weekend_day_types and not schedule.weekend_categories:
        findings.append(
            Finding(
                "weekend_without_categories",
                ERROR,
                "schedule.weekend_categories",
                {"day_types": [str(d) for d in schedule.weekend_day_types]},
            )
        )
    # A10.3 against A11.3: the categories never apply to a weekend day type on which nothing may go out.
    # A warning: closing weekends can be meant; the expectation for them is then dead text.
    closed = [str(d) for d in schedule.weekend_day_types if schedule.windows[d] == []]
    if closed and schedule.weekend_categories:
        findings.append(Finding("weekend_closed", WARNING, "schedule.weekend_day_types", {"day_types": closed}))
    # Working days held to the weekend categories: possible, but A10.3 speaks of weekends only.
    if "working" in schedule.weekend_day_types:
        findings.append(Finding("working_day_as_weekend", WARNING, "schedule.weekend_day_types"))
    return findings


def _points(document):
    rewards = document.rewards
    # A17.1 promises points per accepted submission and a cap of none: an error, since 0 points per
    # submission says "no points" consistently.
    if rewards.points_per_accepted >= 1 and rewards.points_cap == 0:
        return [
            Finding("points_never_earned", ERROR, "rewards.points_cap", {"per_accepted": rewards.points_per_accepted})
        ]
    # One accepted submission already passes the cap: "+n each, at most m" means "m once". A warning.
    if 0 < rewards.points_cap < rewards.points_per_accepted:
        return [
            Finding(
                "cap_below_one_submission",
                WARNING,
                "rewards.points_per_accepted",
                {"per_accepted": rewards.points_per_accepted, "cap": rewards.points_cap},
            )
        ]
    return []


def _prizes(document):
    rewards, findings = document.rewards, []
    prizes = rewards.prizes
    # The ladder against the cap (A17.1, A17.2): the regulation's lowest prize (20) equals the cap (20),
    # so winning a prize is never worth less than submitting alone. A warning: a certificate-only prize can be meant.
    if rewards.points_per_accepted >= 1:
        below = [p.name for p in prizes if p.winners >= 1 and p.points < rewards.points_cap]
        if below:
            findings.append(
                Finding("prize_below_cap", WARNING, "rewards.prizes", {"prizes": below, "cap": rewards.points_cap})
            )
    # A vacant prize above an awarded one (一等奖空缺): the best students get a lower prize. A warning.
    vacant = [p.name for i, p in enumerate(prizes) if p.winners == 0 and any(q.winners for q in prizes[i + 1 :])]
    if vacant:
        findings.append(Finding("prize_vacant_above_awarded", WARNING, "rewards.prizes", {"prizes": vacant}))
    return findings


def _quotas(document):
    quotas = document.quotas
    # A22 reads "pushes more" against the semester quota (A8): with no quota every department pushes
    # "more" and gets the larger share. A warning: a term without a quota can be meant.
    if quotas.min_per_semester == 0 and quotas.assessment.surplus_share_change > 0:
        return [
            Finding(
                "assessment_without_quota",
                WARNING,
                "quotas.min_per_semester",
                {"change": quotas.assessment.surplus_share_change},
            )
        ]
    return []


def _discipline(document):
    # A20 with no kind of error counted: no department is ever warned. A warning: the thresholds are dead text.
    if not document.discipline.counted_kinds:
        return [Finding("no_error_kinds_counted", WARNING, "discipline.counted_kinds")]
    return []


# The edit form's field labels (policy_rules/forms.py), the same msgids.
FIELDS = {
    "min_pushes_per_working_day": gettext_lazy("Pushes required on every working day (A11.1)"),
    "weekend_day_types": gettext_lazy("Day types counted as weekend (A10.3)"),
    "weekend_categories": gettext_lazy("Categories expected at weekends (A10.3, a warning)"),
    "points_per_accepted": gettext_lazy("Points for each accepted student submission (A17.1)"),
    "points_cap": gettext_lazy("Most points a student earns in a semester (A17.1)"),
    "min_per_semester": gettext_lazy("Submissions each department provides every semester (A8)"),
    "counted_kinds": gettext_lazy("Errors that count against a department (A20)"),
}


def _field(name, section=None):
    """A field as the edit form shows it, “label”, after its section's title when it sits in another section."""
    label = _("“%(label)s”") % {"label": FIELDS[name]}
    return f"{section} › {label}" if section else label


def _names(values, names):
    return pgettext("list of names", ", ").join(str(names.get(value, value)) for value in values)


WORDINGS = {
    "no_working_window": lambda params, path: (
        _(
            "Working days have no push window, while %(minimum)s is %(count)s, so no working day can meet A11.1. "
            "Add a window for working days, or set that number to 0."
        )
        % {"minimum": _field("min_pushes_per_working_day"), "count": params["minimum"]}
    ),
    "rules_close_working_days": lambda params, path: (
        _(
            "The rules %(rules)s, with the working-day push windows, leave no time for an ordinary push on "
            "%(weekdays)s, while %(minimum)s is %(count)s (A11.1). Change the rules or the windows."
        )
        % {
            "rules": _names(params["rules"], {}) or "—",
            "weekdays": _names(params["weekdays"], WEEKDAYS),
            "minimum": _field("min_pushes_per_working_day", SCHEDULE),
            "count": params["minimum"],
        }
    ),
    "rules_close_swapped_working_days": lambda params, path: (
        _(
            "The rules %(rules)s, with the working-day push windows, leave no time for an ordinary push on a "
            "%(weekdays)s that is a swapped working day, while %(minimum)s is %(count)s (A11.1). To keep "
            "weekends free, make the rule apply to the day type “%(rest)s” rather than to the weekday."
        )
        % {
            "rules": _names(params["rules"], {}) or "—",
            "weekdays": _names(params["weekdays"], WEEKDAYS),
            "minimum": _field("min_pushes_per_working_day", SCHEDULE),
            "count": params["minimum"],
            "rest": labels.DAY_TYPES["rest"],
        }
    ),
    "weekend_without_categories": lambda params, path: (
        _(
            "%(types)s counts %(days)s as weekend, but no category is ticked here, so every weekend push would go "
            "against A10.3. Tick the categories weekends favour, or untick the weekend day types."
        )
        % {"types": _field("weekend_day_types"), "days": _names(params["day_types"], labels.DAY_TYPES)}
    ),
    "weekend_closed": lambda params, path: (
        _("No push may go out on %(days)s (it has no push window), so %(categories)s never applies there.")
        % {"days": _names(params["day_types"], labels.DAY_TYPES), "categories": _field("weekend_categories")}
    ),
    "working_day_as_weekend": lambda params, path: (
        _("Working days are counted as weekend, so every working-day push is held to %(categories)s (A10.3).")
        % {"categories": _field("weekend_categories")}
    ),
    "points_never_earned": lambda params, path: (
        _(
            "%(per)s is %(count)s, but the cap is 0, so no student can ever earn a point (A17.1). "
            "Raise the cap, or set the points for each submission to 0."
        )
        % {"per": _field("points_per_accepted"), "count": params["per_accepted"]}
    ),
    "cap_below_one_submission": lambda params, path: (
        _(
            "%(per)s (%(count)s) is more than %(cap)s (%(limit)s), so a student reaches the cap with the first "
            "accepted submission (A17.1)."
        )
        % {
            "per": _field("points_per_accepted"),
            "count": params["per_accepted"],
            "cap": _field("points_cap"),
            "limit": params["cap"],
        }
    ),
    "prize_below_cap": lambda params, path: (
        _(
            "%(prizes)s gives fewer points than %(cap)s (%(limit)s), so winning it is worth less than what a student "
            "earns by submitting alone (A17.1, A17.2)."
        )
        % {"prizes": _names(params["prizes"], labels.PRIZES), "cap": _field("points_cap"), "limit": params["cap"]}
    ),
    "prize_vacant_above_awarded": lambda params, path: (
        _("%(prizes)s has no winners while a lower prize has some, so the best students receive a lower prize (A17.2).")
        % {"prizes": _names(params["prizes"], labels.PRIZES)}
    ),
    "assessment_without_quota": lambda params, path: (
        _(
            "The semester quota is 0, so every department counts as pushing more than its quota and its share of "
            "excellent ratings grows by %(change)s points (A22)."
        )
        % {"change": params["change"]}
    ),
    "no_error_kinds_counted": lambda params, path: _(
        "No kind of error is ticked, so no department is ever warned or escalated (A20)."
    ),
}


def text(finding):
    """The finding in the reader's language (the problem; the editor shows it at the field its path names)."""
    return WORDINGS[finding.code](finding.params, finding.path)
