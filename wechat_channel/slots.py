"""The policy's say on pushes, through policy_rules: when the next push may go out (A11, A12, A16, A10.3).

The channel asks here and nowhere else, so a site without policy_rules could swap this module.
"""

from policy_rules import decisions, windows


def policy_for(account):
    """The active policy version of the account's scope."""
    return decisions.active_version(account.policy_scope)


def document(policy):
    return policy.parsed()


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
