"""An audit-log action of the site, declared once: the code services log under, and how the history reads it.

A feature lists its actions in its own `audit.py`; its services log with `action=ACTION.code`, and
`cms.admin.features.register_feature` registers them with Wagtail's log registry. The codes are stored in log
entries, so they never change once released.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.log_actions import LogFormatter


@dataclass(frozen=True)
class AuditAction:
    code: str
    label: str
    # How an entry reads in the history: a fixed message, or one made from the entry's data.
    message: str = ""
    describe: Callable[[dict], str] | None = None

    def register(self, actions):
        """Register with Wagtail's `LogActionRegistry` (the `register_log_actions` hook's argument)."""
        action = self

        class Formatter(LogFormatter):
            label = action.label

            def format_message(self, log_entry):
                return action.describe(log_entry.data) if action.describe else action.message

        actions.register_action(self.code)(Formatter)
