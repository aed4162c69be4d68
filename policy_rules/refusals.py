"""Why a change to a policy version was refused: one exception per reason, each with words an administrator
understands (`message`). Raised by `versions.py`, which re-exports them, and shown by the admin and the CLI."""

from django.core.exceptions import PermissionDenied


class GovernanceError(Exception):
    """A refused change; `message` says why in words an administrator understands."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class InvalidInput(GovernanceError):
    """A step was asked with an argument no version could take (a malformed scope); nothing was stored."""


class PolicyInvalid(GovernanceError):
    """The document is not valid; `errors` is a list of `{"path", "message"}` (nothing was stored)."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{e['path'] or '(document)'}: {e['message']}" for e in errors))


class WarningsNotAcknowledged(GovernanceError):
    """The document has contradictions that are warnings (contradictions.py); activation needs them acknowledged."""


class WrongStatus(GovernanceError):
    """The version is not in a status that allows this step."""


class DryRunRequired(GovernanceError):
    """Activation needs a dry run of this document against the current active version."""


class ConcurrentChange(GovernanceError):
    """Someone else changed the same scope at the same moment; nothing was stored."""


class ActivationConflict(ConcurrentChange):
    """Another activation won; the active version is the one it set."""


class NoFactsProvider(GovernanceError):
    """POLICY_RULES["FACTS_PROVIDER"] is not set, so there is no past period to replay."""


class NotAllowed(PermissionDenied):
    """The user lacks the permission for this step (a 403 in views)."""
