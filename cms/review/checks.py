"""`manage.py check --database default`: departments whose material nobody in their own line can review (A6.1).

The same state the office sees on its dashboard (cms/review/hooks.py), for operators and deploy scripts; it is a
warning, not an error, because the material still moves (the supervising leader or the office stands in).
"""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from cms.models.routing import HEAD_STAGE, acting
from cms.review.routing import unstaffed_departments

STAND_INS = {"heads": "its heads", "leader": "the supervising leader", "office": "the office"}  # checks speak English


@register(Tags.database)
def check_departments_have_reviewers(app_configs=None, databases=None, **kwargs):
    """One warning per active department without a head or a supervising leader who can sign in."""
    if not databases:
        return []
    try:
        departments = list(unstaffed_departments())
    except DatabaseError:  # not migrated yet: nothing to say about departments
        return []
    warnings = []
    for department in departments:
        who = acting(HEAD_STAGE, department)
        roles = (("head", department.has_head), ("supervising leader", department.has_leader))
        missing = [name for name, has in roles if not has]
        warnings.append(
            Warning(
                f"Department {department.code} ({department.name}) has no {' and no '.join(missing)} who can sign in; "
                f"its first review stage goes to {STAND_INS[who]}.",
                hint="Name them in Newsroom → Departments, or mark the department inactive (A6.1, A6.2.4).",
                obj=department,
                id="newsroom.W001",
            )
        )
    return warnings
