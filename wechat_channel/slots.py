"""The policy's say on pushes, through policy_rules: when the next push may go out (A11, A12, A16, A10.3).

The channel asks here and nowhere else, so a site without policy_rules could swap this module.
"""

import logging

from policy_rules import calendar as policy_calendar
from policy_rules import decisions, labels, windows
from policy_rules.document import default_document

logger = logging.getLogger(__name__)
NoActivePolicy = decisions.NoActivePolicy
DAY_TYPES = labels.DAY_TYPES  # the day types' names in the reader's language, for the weekly plan
UNUSABLE = (NoActivePolicy, ValueError)  # no active version, or one whose document no longer validates


def policy_for(account):
    """The active policy version of the account's scope."""
    return decisions.active_version(account.policy_scope)


def document(policy):
    return policy.parsed()


def usable_policy(account):
    """(version, document) of the account's active policy; (None, None) when none is usable, which is logged."""
    try:
        policy = policy_for(account)
        return policy, document(policy)
    except UNUSABLE as error:
        logger.warning("no usable policy for %s (%s): the regulation's defaults apply", account.slug, error)
        return None, None


def section(account, name):
    """The account's policy section `name` (`comments`, `cases`…); the regulation's default when none is usable."""
    _policy, doc = usable_policy(account)
    return getattr(doc or default_document(account.policy_scope), name)


def day_types(start, end):
    """The site's working-day calendar between two dates, as the policy reads it (A11.3)."""
    return policy_calendar.day_types(start, end)


def facts_of(adapter):
    """The slot facts of an article, as `check_slot` takes them."""
    return {
        "entered_office_at": adapter.entered_office_at(),
        "breaking": bool(adapter.breaking()),
        "category": adapter.category(),
        "time_sensitive": bool(adapter.time_sensitive()),
    }


def check(policy, at, **facts):
    """A `SlotDecision`: may a push carrying this article go out at `at`, and if not, when next."""
    return windows.check_slot(policy, at, **facts)


def reason_text(reason):
    """A slot reason in the reader's language (codes and parameters, not the English record)."""
    return windows.reason_text(reason)


def warning_texts(warnings):
    """A push's stored planner warnings (`Push.warnings`) in the reader's language; garbled entries are left out.

    New rows hold the policy's code and parameters (A10.3...); older rows hold English text, shown as written.
    """
    if not isinstance(warnings, list):
        return []
    texts = (windows.reason_text(warning) for warning in warnings)
    return [text for text in texts if text]


def day_windows(policy, day_type):
    """The push windows of a day type as "16:00–18:00" strings; None when the day has no fixed window (A11.3)."""
    day_windows = document(policy).schedule.windows.get(day_type)
    return None if day_windows is None else [str(window) for window in day_windows]


def lead_shortfall(policy, at, entered_office_at, breaking=False):
    """An A16 reason when material reached the office too late for a push at `at`, else None."""
    schedule = document(policy).schedule
    if entered_office_at is None or (breaking and schedule.breaking_exempt):
        return None
    lead = windows.lead_hours(at, entered_office_at)
    if lead >= schedule.lead_hours:
        return None
    return {"rule": "A16", "params": {"lead_hours": round(lead, 1), "needed_hours": schedule.lead_hours}}
