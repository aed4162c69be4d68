"""What an import does: the plan (people created, changed — which fields —, left alone; departments created; heads
and supervising leaders set), computed from the database as it is, and applied all or nothing.

People are matched on their number (工号/学号, `Person.number`) within their category, so importing next term's file
updates them. An empty optional cell keeps what is stored; people absent from the file are left alone and listed.
Roles are added, never taken away; accounts are created only for the roles that act in the admin.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.models import Department, Person
from cms.people import roles
from cms.people.imports import audit
from cms.people.imports.rows import COLUMN_LABELS, DEPARTMENT, EMAIL, NAME, PHONE, ROLES, RowError, supervised

CHUNK = 500  # numbers per query: well under any database's limit on parameters
ABSENT_SHOWN = 50
CHANGEABLE = (NAME, DEPARTMENT, EMAIL, PHONE)


class PlanRefused(Exception):
    """The file cannot be imported as it is: `errors` say which rows."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class PlanChanged(Exception):
    """The people or departments changed since the preview (another import, an edit): preview again."""


@dataclass
class PersonPlan:
    row: object
    person: Person | None
    changes: list = field(default_factory=list)  # (field, old, new)
    roles_added: tuple = ()
    account: str = ""  # "create", "link" (an account of that username exists, with no person) or ""

    status: str = ""  # "created", "changed" or "unchanged": decided by the plan, kept once applied

    def decide(self):
        if self.person is None:
            return "created"
        return "changed" if self.changes or self.roles_added or self.account else "unchanged"

    def labelled_changes(self):
        return [(COLUMN_LABELS[name], old, new) for name, old, new in self.changes]

    def changed_labels(self):
        labels = [str(COLUMN_LABELS[name]) for name, _old, _new in self.changes]
        return labels + ([_("roles")] if self.roles_added else []) + ([_("admin account")] if self.account else [])

    def role_names(self):
        return [roles.ROLES_BY_KEY[key].name for key in self.roles_added]


@dataclass
class DepartmentPlan:
    name: str
    department: Department | None
    heads_added: list = field(default_factory=list)  # PersonPlans
    leader: tuple | None = None  # (old name or "", PersonPlan)

    status: str = ""

    def decide(self):
        if self.department is None:
            return "created"
        return "changed" if self.heads_added or self.leader else "unchanged"


@dataclass
class Plan:
    people: list
    departments: list
    absent_count: int = 0
    absent: list = field(default_factory=list)  # the first ABSENT_SHOWN of them
    errors: list = field(default_factory=list)

    def of_people(self, status):
        return [entry for entry in self.people if entry.status == status]

    def counts(self):
        return {status: len(self.of_people(status)) for status in ("created", "changed", "unchanged")}

    def new_departments(self):
        return [entry for entry in self.departments if entry.status == "created"]

    def accounts(self):
        return [entry for entry in self.people if entry.account]

    @property
    def digest(self):
        """A fingerprint of what applying would do: the preview's and the confirmation's must agree."""
        what = {
            "people": [
                [*p.row.key, p.status, [[n, str(new)] for n, _o, new in p.changes], list(p.roles_added), p.account]
                for p in self.people
            ],
            "departments": [
                [d.name, d.status, [p.row.number for p in d.heads_added], d.leader[1].row.number if d.leader else ""]
                for d in self.departments
            ],
        }
        return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()


def make_plan(rows, grantable=None):
    """The plan of importing `rows` (checked `PersonRow`s) into the database as it is now. A role outside
    `grantable` (role keys; None: any) is a row error: the office head gives no channel administrator's role (A15)."""
    errors = [
        _refused_role(row, key) for row in rows for key in row.roles if grantable is not None and key not in grantable
    ]
    existing = _existing_people(rows)
    departments = {d.name: d for d in Department.objects.prefetch_related("heads")}
    users = _users_by_username([row.number for row in rows if row.roles])
    people = []
    for row in rows:
        entry = _person_plan(row, existing.get(row.key), departments, users, errors)
        if entry is not None:
            people.append(entry)
    department_plans = _department_plans(people, departments, errors)
    matched = [entry.person.pk for entry in people if entry.person is not None]
    absent = Person.objects.exclude(pk__in=matched).select_related("department").order_by("name", "pk")
    for entry in (*people, *department_plans):
        entry.status = entry.decide()
    return Plan(people, department_plans, absent.count(), list(absent[:ABSENT_SHOWN]), errors)


def _refused_role(row, key):
    return RowError(
        row.line,
        str(COLUMN_LABELS[ROLES]),
        _("only a superuser may give the role %(role)s (A15).") % {"role": roles.ROLES_BY_KEY[key].name},
    )


def _existing_people(rows):
    numbers = sorted({row.number for row in rows})
    found = {}
    for start in range(0, len(numbers), CHUNK):
        query = Person.objects.filter(number__in=numbers[start : start + CHUNK])
        for person in query.select_related("department", "user").prefetch_related("user__groups"):
            found[(person.kind, person.number)] = person
    return found


def _users_by_username(usernames):
    users, names = {}, sorted(set(usernames))
    for start in range(0, len(names), CHUNK):
        query = get_user_model().objects.filter(username__in=names[start : start + CHUNK])
        users.update({user.username: user for user in query.select_related("person")})
    return users


def _person_plan(row, person, departments, users, errors):
    department = departments.get(row.department)
    if department is not None and not department.active:
        errors.append(RowError(row.line, str(COLUMN_LABELS[DEPARTMENT]), _("this department is inactive.")))
        return None
    entry = PersonPlan(row, person)
    if person is not None:
        stored = {
            NAME: person.name,
            DEPARTMENT: person.department.name if person.department else "",
            EMAIL: person.email,
            PHONE: person.phone,
        }
        wanted = {NAME: row.name, DEPARTMENT: row.department, EMAIL: row.email, PHONE: row.phone}
        entry.changes = [
            (name, stored[name], wanted[name]) for name in CHANGEABLE if wanted[name] and wanted[name] != stored[name]
        ]
    if not row.roles:
        return entry
    user = person.user if person is not None else None
    if user is None:
        found = users.get(row.number)
        if found is not None and getattr(found, "person", None) is not None and found.person != person:
            errors.append(
                RowError(
                    row.line,
                    str(COLUMN_LABELS["number"]),
                    _("the admin account %(username)s belongs to %(other)s.")
                    % {"username": row.number, "other": found.person},
                )
            )
            return None
        entry.account = "link" if found is not None else "create"
        held = set(found.groups.values_list("name", flat=True)) if found is not None else set()
    else:
        held = {group.name for group in user.groups.all()}
    entry.roles_added = tuple(key for key in row.roles if roles.ROLES_BY_KEY[key].name not in held)
    return entry


def _department_plans(people, departments, errors):
    plans = {}

    def plan_for(name):
        if name not in plans:
            plans[name] = DepartmentPlan(name, departments.get(name))
        return plans[name]

    for entry in people:
        if entry.row.department:
            plan_for(entry.row.department)
        user = entry.person.user if entry.person is not None else None
        if roles.DEPARTMENT_HEAD.key in entry.row.roles:
            department = plan_for(entry.row.department)
            known = department.department
            if user is None or known is None or user not in known.heads.all():
                department.heads_added.append(entry)
        for name in supervised(entry.row):
            department = plan_for(name)
            known = department.department
            if known is not None and known.active is False:
                errors.append(
                    RowError(entry.row.line, str(COLUMN_LABELS["supervises"]), _("this department is inactive."))
                )
            elif user is None or known is None or known.supervising_leader_id != user.pk:
                old = known.supervising_leader if known is not None else None
                department.leader = ((old.get_full_name() or old.username) if old else "", entry)
    return sorted(plans.values(), key=lambda plan: plan.name)


def apply(rows, *, user=None, source="admin", expected_digest=None, grantable=None):
    """Import `rows` all or nothing; returns the plan applied. Refused (`PlanRefused`, `PlanChanged`) unchanged."""
    try:
        with transaction.atomic():
            plan = make_plan(rows, grantable)
            if plan.errors:
                raise PlanRefused(plan.errors)
            if expected_digest is not None and plan.digest != expected_digest:
                raise PlanChanged
            saved = _save_departments(plan)
            _save_people(plan, saved)
            _save_leadership(plan, saved)
            _log(plan, user, source)
    except IntegrityError:  # a parallel import created the same person or account first
        raise PlanChanged from None
    return plan


def _save_departments(plan):
    codes = set(Department.objects.values_list("code", flat=True))
    saved = {}
    for entry in plan.departments:
        if entry.department is None:
            base = (slugify(entry.name) or "dept")[:40]
            code, n = base, 1
            while code in codes:
                n += 1
                code = f"{base}-{n}"
            codes.add(code)
            entry.department = Department.objects.create(name=entry.name, code=code)
        saved[entry.name] = entry.department
    return saved


def _save_people(plan, departments):
    groups = {group.name: group for group in Group.objects.filter(name__in=[r.name for r in roles.ROLES])}
    created, changed = [], []
    for entry in plan.people:
        row = entry.row
        if entry.person is None:
            entry.person = Person(
                name=row.name,
                kind=row.kind,
                number=row.number,
                email=row.email,
                phone=row.phone,
                department=departments.get(row.department),
            )
            created.append(entry.person)
        elif entry.changes:
            for name, _old, new in entry.changes:
                setattr(entry.person, name, departments[new] if name == DEPARTMENT else new)
            changed.append(entry.person)
    Person.objects.bulk_create(created)
    Person.objects.bulk_update(changed, fields=list(CHANGEABLE))
    for entry in plan.people:
        if entry.account:
            entry.person.user = _account(entry)
            entry.person.save(update_fields=["user"])
        if entry.roles_added:
            entry.person.user.groups.add(*(groups[roles.ROLES_BY_KEY[key].name] for key in entry.roles_added))


def _account(entry):
    model = get_user_model()
    if entry.account == "link":
        return model.objects.get(username=entry.row.number)
    # A random password no one knows: the person chooses theirs through the login page's "Forgotten password?"
    # (Django sends that e-mail only to accounts with a usable password).
    return model.objects.create_user(
        username=entry.row.number,
        email=entry.row.email,
        password=secrets.token_urlsafe(32),
        first_name=entry.row.name[:150],
    )


def _save_leadership(plan, departments):
    for entry in plan.departments:
        department = departments[entry.name]
        if entry.heads_added:
            department.heads.add(*(head.person.user for head in entry.heads_added))
        if entry.leader:
            department.supervising_leader = entry.leader[1].person.user
            department.save(update_fields=["supervising_leader"])


def _log(plan, user, source):
    for entry in plan.people:
        if entry.status != "unchanged":
            data = {
                "source": source,
                "status": entry.status,
                "fields": [name for name, _old, _new in entry.changes],
                "roles": list(entry.roles_added),
                "account": entry.account,
            }
            log(instance=entry.person, action=audit.IMPORTED.code, user=user, data=data)
