"""Review routing as the admin shows it: who stands in (A6.1, A6.2.4, A5), in words; the departments the public
form offers and those the office is warned about; the department form's setup rule.

The rule itself, who acts at a stage for a department, is `cms/models/routing.py`: the review stages ask it.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.models.routing import HEADS, LEADER, OFFICE, departments, holds
from cms.people.roles import DEPARTMENT_HEAD, SUPERVISING_LEADER

ACTING_LABELS = {
    HEADS: _("the department heads"),
    LEADER: _("the supervising leader"),
    OFFICE: _("the office"),
}


def reviewable_departments():
    """Active departments whose material someone in their own line reviews: what the public form offers (A6.1)."""
    return departments().filter(active=True).filter(Q(has_head=True) | Q(has_leader=True))


def unstaffed_departments():
    """Active departments missing a head or a supervising leader who can act: the office's warning."""
    return departments().filter(active=True).filter(Q(has_head=False) | Q(has_leader=False))


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
