"""Background work of the reports, run by django-q2 through the dotted path (`recompute.TASK`, the schedules)."""

from . import outcomes


def recompute_outcomes(scope=None):
    """Recompute the stored outcomes that are due (`outcomes.refresh`); returns the keys of the periods computed."""
    return outcomes.refresh(scope)
