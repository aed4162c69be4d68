"""Who acts at a department review stage (A6.1, A6.2.4), and where material goes when nobody holds the role.

The regulation has a department's material reviewed by its head (科室负责人) and then its supervising leader
(分管领导). A department whose head has left (account deactivated, role or headship removed) must not swallow
material: its first stage falls to the supervising leader, who supervises the department; a stage that nobody in
the department's line can take falls to the office, which runs the account day to day (A5). Either way the office
is warned on its dashboard (cms/review/hooks.py) until the department is set up again.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from cms.models import Department, Submission
from cms.people.roles import DEPARTMENT_HEAD, OFFICE_EDITOR, SUPERVISING_LEADER

HEAD_STAGE = "head"
LEADER_STAGE = "leader"

# Who acts at a stage for one department.
HEADS = "heads"
LEADER = "leader"
OFFICE = "office"

ACTING_LABELS = {
    HEADS: _("the department heads"),
    LEADER: _("the supervising leader"),
    OFFICE: _("the office"),
}


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


def reviewable_departments():
    """Active departments whose material someone in their own line reviews: what the public form offers (A6.1)."""
    return departments().filter(active=True).filter(Q(has_head=True) | Q(has_leader=True))


def unstaffed_departments():
    """Active departments missing a head or a supervising leader who can act: the office's warning."""
    return departments().filter(active=True).filter(Q(has_head=False) | Q(has_leader=False))


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


def submission_for(page_id):
    """The review ledger row of an article (its department under review), or None."""
    return Submission.objects.filter(page_id=page_id).only("department_id").first()


def setup_problems(active, heads, leader):
    """Field errors of a department's setup: an active department has someone at each review stage (A6.1, A6.2.4).

    `heads` are the chosen users, `leader` the chosen supervising leader (or None). Marking the department inactive
    (it no longer provides material) is the way to save it without them.
    """
    if not active:
        return {}
    problems = {}
    if not any(holds(user, DEPARTMENT_HEAD) for user in heads):
        problems["heads"] = _(
            "An active department needs at least one department head (科室负责人) who can sign in: its material is "
            "reviewed by the head first (A6.1, A6.2.4). Name a head, or mark the department inactive."
        )
    if leader is None or not holds(leader, SUPERVISING_LEADER):
        problems["supervising_leader"] = _(
            "An active department needs a supervising leader (分管领导) who can sign in: its material is reviewed by "
            "the supervising leader second (A6.1, A6.2.4). Choose one, or mark the department inactive."
        )
    return problems


def department_form(base):
    """The department admin form `base`, refusing a setup that would leave material without a reviewer."""

    class DepartmentForm(base):
        def clean(self):
            cleaned = super().clean()
            problems = setup_problems(
                cleaned.get("active"), cleaned.get("heads") or [], cleaned.get("supervising_leader")
            )
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
            return cleaned

    return DepartmentForm
