"""The hourly sweep of held uploads, created after every migrate like the site's other schedules."""

from django_q.models import Schedule

HELD_UPLOADS_PURGE = "newsroom: purge held uploads"


def ensure_schedule():
    """Create the hourly purge of held uploads (`cms.tasks.purge_held_uploads`) once; later changes stand."""
    Schedule.objects.get_or_create(
        name=HELD_UPLOADS_PURGE,
        defaults={"func": "cms.tasks.purge_held_uploads", "schedule_type": Schedule.HOURLY, "repeats": -1},
    )
