"""The worker's task run once, as django-q2 runs it after a change to everything: the stored outcomes the reports'
tests read (the real evaluation, through the configured facts provider)."""

from django.utils import timezone

from policy_rules.conf import get_conf
from policy_rules.models import OutcomeRecomputation
from policy_rules.reports.tasks import recompute_outcomes


def compute_outcomes(scope=None):
    """Compute and store every begun period's outcome; the keys of the periods computed."""
    scope = scope or get_conf("DEFAULT_SCOPE")
    OutcomeRecomputation.objects.update_or_create(scope=scope, defaults={"requested_at": timezone.now(), "since": None})
    return recompute_outcomes(scope)
