"""Who acts at a department review stage (A6.1, A6.2.4), and where material goes when nobody holds the role.

The review stages ask it (`DepartmentScopedTask` in `cms/models/review.py`), and so do the stall reminders and the
dashboard; its words, the office's warnings and the department form's setup rule are `cms/review/routing.py`.

The regulation has a department's material reviewed by its head (科室负责人) and then its supervising leader
(分管领导). A department whose head has left (account deactivated, role or headship removed) must not swallow
material: its first stage falls to the supervising leader, who supervises the department; a stage that nobody in
the department's line can take falls to the office, which runs the account day to day (A5). Either way the office
is warned on its dashboard (cms/review/hooks.py) until the department is set up again.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from cms.models.departments import Department
from cms.people.roles import DEPARTMENT_HEAD, OFFICE_EDITOR, SUPERVISING_LEADER

HEAD_STAGE = "head"
LEADER_STAGE = "leader"

# Who acts at a stage for one department.
HEADS = "heads"
LEADER = "leader"
OFFICE = "office"


def _holders(role):
    """Users who can act in `role` now: active, and holding the role (or superusers)."""
    return Q(is_active=True) & (Q(is_superuser=True) | Q(groups__name=role.name))


def holds(user, role):
    """Whether `user` can act in `role` now."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=role.name).exists()


def departments():
    """Departments annotated with `has_head` and `has_leader`: someone who can act in that role now."""
    users = get_user_model().objects
    heads = users.filter(_holders(DEPARTMENT_HEAD), headed_departments=OuterRef("pk"))
    leader = users.filter(_holders(SUPERVISING_LEADER), pk=OuterRef("supervising_leader_id"))
    return Department.objects.annotate(has_head=Exists(heads), has_leader=Exists(leader))


def acting(stage, department):
    """HEADS, LEADER or OFFICE: who acts at `stage` for an annotated `department` (None: no department)."""
    if department is None:
        return OFFICE
    if stage == HEAD_STAGE and department.has_head:
        return HEADS
    if department.has_leader:
        return LEADER
    return OFFICE


def users_acting(who, department):
    """The users behind `who` (HEADS, LEADER, OFFICE) for `department`."""
    users = get_user_model().objects
    if who == HEADS:
        return users.filter(_holders(DEPARTMENT_HEAD), headed_departments=department).distinct()
    if who == LEADER:
        return users.filter(_holders(SUPERVISING_LEADER), pk=department.supervising_leader_id).distinct()
    return users.filter(_holders(OFFICE_EDITOR)).distinct()


def reviewers(stage, department_id):
    """(users, who): the users who act at `stage` for the department with `department_id`, and in which capacity."""
    department = departments().filter(pk=department_id).first() if department_id else None
    who = acting(stage, department)
    return users_acting(who, department), who


def submissions_acted_on_by(user, stage):
    """A Q over Submission: the material `user` acts on at `stage`, by its department (A6.1)."""
    condition = Q(pk__in=[])
    if not (user and user.is_authenticated and user.is_active):
        return condition
    annotated = departments()
    if stage == HEAD_STAGE and holds(user, DEPARTMENT_HEAD):
        condition |= Q(department__in=annotated.filter(has_head=True, heads=user).values("pk"))
    if holds(user, SUPERVISING_LEADER):
        led = annotated.filter(has_leader=True, supervising_leader=user)
        if stage == HEAD_STAGE:
            led = led.filter(has_head=False)  # stands in for a department head who left
        condition |= Q(department__in=led.values("pk"))
    if holds(user, OFFICE_EDITOR):
        orphaned = annotated.filter(has_leader=False)
        if stage == HEAD_STAGE:
            orphaned = orphaned.filter(has_head=False)
        condition |= Q(department__in=orphaned.values("pk")) | Q(department__isnull=True)
    return condition
