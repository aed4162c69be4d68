"""What a dry run covered, and whether it proves enough to activate a version (issue 14 item 5).

A dry run only shows what a policy changes if it replays a period that is over and that holds
data: a replay of next month, or of a fortnight in which nothing was submitted or pushed, lists
"no change" and proves nothing. `measure` counts what the facts held, `judge` says whether the
period satisfies the activation gate and, when not, why (a code the page words), and
`default_period` offers the last complete semester, else the last 8 complete weeks.
"""

import datetime

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from .conf import get_conf
from .evaluation import QUOTA_PROVIDERS
from .facts_document import key, policy_tz

FALLBACK_WEEKS = 8
FUTURE, UNFINISHED, EMPTY = "future", "unfinished", "empty"


def today():
    """Today on the policy's calendar (Asia/Shanghai)."""
    return datetime.datetime.now(policy_tz()).date()


def measure(facts):
    """How much a parsed facts document holds inside its period: weeks, departments, submissions, pushes, errors."""
    tz, period = policy_tz(), facts.period

    def inside(moment):
        return moment.astimezone(tz).date() in period

    submissions = [s for s in facts.submissions if inside(s.submitted_at)]
    departments = {key(s.department) for s in submissions if s.provider in QUOTA_PROVIDERS and s.department is not None}
    first_monday = period.start - datetime.timedelta(days=period.start.weekday())
    return {
        "days": (period.end - period.start).days + 1,
        "weeks": (period.end - first_monday).days // 7 + 1,  # Monday–Sunday weeks the period touches, as A8 counts
        "departments": len(departments),
        "departments_listed": len(facts.departments),
        "submissions": len(submissions),
        "pushes": sum(1 for push in facts.pushes if inside(push.at)),
        "errors": sum(1 for error in facts.errors if inside(error.found_at)),
    }


def judge(counts, start, end, on=None):
    """`counts` with whether the period `start`–`end` proves enough to activate (`proves`), and why not (`reason`)."""
    on = on or today()
    if start >= on:
        reason = FUTURE
    elif end >= on:
        reason = UNFINISHED
    elif not (counts["submissions"] or counts["pushes"]):
        reason = EMPTY
    else:
        reason = None
    return {**counts, "proves": reason is None, "reason": reason, "judged_on": on.isoformat()}


def proves(report):
    """Whether a stored dry-run report satisfies the activation gate (a report older than the check does not)."""
    return bool((report.get("coverage") or {}).get("proves"))


def default_period(on=None):
    """`{"start", "end", "name"}`: the site's last semester that is over, else the last 8 complete weeks."""
    on = on or today()
    path = get_conf("PERIODS")
    for period in import_string(path)() if path else []:
        if period["end"] < on:
            return {"start": period["start"], "end": period["end"], "name": str(period["name"])}
    end = on - datetime.timedelta(days=on.weekday() + 1)  # the Sunday before this week
    start = end - datetime.timedelta(weeks=FALLBACK_WEEKS, days=-1)
    return {"start": start, "end": end, "name": _("the last %(weeks)s weeks") % {"weeks": FALLBACK_WEEKS}}


def summary(coverage):
    """What a dry run covered, in words: "12 周，3 个科室，41 份投稿，30 次推送，2 处错误"."""
    parts = [
        ngettext("%(count)s week", "%(count)s weeks", coverage["weeks"]),
        ngettext(
            "%(count)s department with submissions", "%(count)s departments with submissions", coverage["departments"]
        ),
        ngettext("%(count)s submission", "%(count)s submissions", coverage["submissions"]),
        ngettext("%(count)s push", "%(count)s pushes", coverage["pushes"]),
        ngettext("%(count)s error found in review", "%(count)s errors found in review", coverage["errors"]),
    ]
    counts = [
        coverage["weeks"],
        coverage["departments"],
        coverage["submissions"],
        coverage["pushes"],
        coverage["errors"],
    ]
    return pgettext("list of names", ", ").join(
        part % {"count": count} for part, count in zip(parts, counts, strict=True)
    )


def verdict(coverage):
    """Whether the dry run counts for activation, in words; a report older than the check says so."""
    if not coverage:
        return _(
            "This dry run was made before dry runs were checked for data, so it does not count for activation: "
            "run it again."
        )
    reason = coverage.get("reason")
    if reason == FUTURE:
        return _(
            "This period has not begun yet, so the dry run replayed nothing and does not count for activation. "
            "Replay a past period: the last complete semester, or the last 8 weeks."
        )
    if reason == UNFINISHED:
        return _(
            "This period is not over yet (it reaches %(today)s or later), so the dry run does not count for "
            "activation. Replay a period that has ended."
        ) % {"today": coverage.get("judged_on", "")}
    if reason == EMPTY:
        return _(
            "Nothing was submitted or pushed in this period, so the dry run shows no change because there was "
            "nothing to change, and does not count for activation. Replay a period with submissions or pushes."
        )
    return _("This dry run replayed a past period with data: it counts for activation.")
