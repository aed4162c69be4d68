"""Whether a department is on track for its semester quota (A8): its pace so far, carried over the days left.

"On track" is a promise the numbers must keep: a department is on track only if, at the
pace it has kept since the period began (submissions per day, shown per week), the rest
of the period still brings it to the quota. 3 of 20 in week 14 of 20 is behind, not on track.
"""

from dataclasses import dataclass

# met: quota reached; on_track / behind: running, the pace reaches the quota or not; missed: over, not reached.
STATES = ("met", "on_track", "behind", "missed")


@dataclass(frozen=True)
class Outlook:
    """A department's semester outlook: its state, pace per week so far and the total that pace reaches."""

    state: str
    per_week: float
    projected: int


def outlook(submissions, quota, start, end, through):
    """The outlook of `submissions` counted `start`–`through` against `quota` for the period `start`–`end`.

    On track: submissions × the period's days ≥ quota × the days elapsed (the same pace over
    the whole period reaches the quota), counted in whole numbers so no rounding decides it.
    """
    elapsed = (min(through, end) - start).days + 1
    days = (end - start).days + 1
    per_week = round(submissions * 7 / elapsed, 1)
    projected = submissions * days // elapsed
    if submissions >= quota:
        state = "met"
    elif through >= end:
        state = "missed"
    elif submissions * days >= quota * elapsed:
        state = "on_track"
    else:
        state = "behind"
    return Outlook(state=state, per_week=per_week, projected=projected)
