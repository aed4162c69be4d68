"""The site's people as the channel asks about them (`WECHAT_CHANNEL["PEOPLE"]`): who is staff, and where.

Staff are what the regulation's 专人管理 (A6.6.1) can mean: a person recorded as staff (`PersonKind.STAFF`), or an
account holding one of the staff roles (heads, leaders, the office, the college leaders, the channel and policy
administrators), who often have no `Person` row. A person recorded as a student is never staff, whatever groups
their account holds; the contributor role alone makes nobody staff, and neither does a superuser flag.
"""

from django.db.models import Q
from django.utils.translation import pgettext

from cms.models import Department, Person, PersonKind
from cms.people.roles import CONTRIBUTOR, ROLES
from wechat_channel.adapters import PeopleAdapter

STAFF_ROLES = tuple(role.name for role in ROLES if role is not CONTRIBUTOR)


class StaffDirectory(PeopleAdapter):
    """Staff and their departments, from `Person`, the role groups and the departments' heads and leaders."""

    def staff(self, users):
        students = Person.objects.filter(kind=PersonKind.STUDENT, user__isnull=False).values("user_id")
        recorded_or_role = Q(person__kind=PersonKind.STAFF) | Q(groups__name__in=STAFF_ROLES)
        return users.filter(recorded_or_role).exclude(pk__in=students).distinct()

    def departments(self, users):
        """The person's own department; else the departments they head, else those they lead. Three queries."""
        own = dict(
            Person.objects.filter(user__in=users, department__isnull=False).values_list("user_id", "department__name")
        )
        headed, led = {}, {}
        for user_id, name in Department.heads.through.objects.filter(user__in=users).values_list(
            "user_id", "department__name"
        ):
            headed.setdefault(user_id, []).append(name)
        for user_id, name in Department.objects.filter(supervising_leader__in=users).values_list(
            "supervising_leader_id", "name"
        ):
            led.setdefault(user_id, []).append(name)
        separator = pgettext("list separator", ", ")
        found = {user_id: separator.join(sorted(names)) for user_id, names in {**led, **headed}.items()}
        return {**found, **own}
