"""Whether a person in a people file is a student or staff (学生/教职工), which with their number identifies them.

The 类别 column says it. A file without one, as offices keep them (姓名, 工号/学号, 科室, 角色), still says it:
a column headed 工号 holds staff and one headed 学号 students; under a shared 工号/学号 header, 学生 or 教职工
written in 角色 says it, and so does an admin role, which only staff hold (A6.1).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.models import PersonKind

KINDS = {
    PersonKind.STUDENT: ("学生", "student"),
    PersonKind.STAFF: ("教职工", "教师", "职工", "staff", "teacher"),
}
# A number column's header that says whose numbers it holds.
NUMBER_HEADER_KINDS = {
    "工号": PersonKind.STAFF,
    "staffnumber": PersonKind.STAFF,
    "学号": PersonKind.STUDENT,
    "studentnumber": PersonKind.STUDENT,
}


def normal(text):
    """A header or cell as looked up: no note in brackets, no spaces or underscores, lower case."""
    text = re.split(r"[（(]", text.strip(), maxsplit=1)[0]
    return re.sub(r"[\s_]+", "", text).lower()


KIND_LOOKUP = {normal(alias): kind for kind, aliases in KINDS.items() for alias in aliases}


def check_kind(value):
    """The 类别 cell's kind; refused in words when it is neither."""
    kind = KIND_LOOKUP.get(normal(value))
    if kind is None:
        raise ValidationError(_("“%(value)s” is neither 学生 nor 教职工.") % {"value": value})
    return str(kind)


def from_number_header(header):
    """The kind a number column's header names (工号: staff, 学号: students), or None for 工号/学号."""
    kind = NUMBER_HEADER_KINDS.get(normal(header))
    return str(kind) if kind is not None else None


def from_roles(names):
    """(the kind 学生 or 教职工 among a 角色 cell's names, or None; the other names)."""
    kinds = {str(KIND_LOOKUP[normal(name)]) for name in names if normal(name) in KIND_LOOKUP}
    others = tuple(name for name in names if normal(name) not in KIND_LOOKUP)
    if len(kinds) > 1:
        raise ValidationError(_("says both 学生 and 教职工: a person is one of them."))
    return (kinds.pop() if kinds else None), others


def unknown():
    return ValidationError(
        _(
            "cannot tell a student from staff: add a 类别 column (学生/教职工), head the number column 工号 or 学号, "
            "or write 学生 or 教职工 in 角色."
        )
    )
