"""The columns of a people file, and each row checked: every error names its row and column, in the reader's language.

Columns (Chinese or English headers; a note in brackets, 类别（学生/教职工）, is ignored):
姓名 name · 工号/学号 number · 类别 kind (学生 / 教职工) · 科室 department · 角色 roles · 邮箱 e-mail · 电话 phone ·
分管科室 supervised departments (a supervising leader's; else their own 科室). 姓名 and 工号/学号 are required;
without 类别 the file says the category otherwise (`kinds.py`).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.models import PersonKind
from cms.people import roles
from cms.people.imports import kinds

NAME, NUMBER, KIND, DEPARTMENT, ROLES, EMAIL, PHONE, SUPERVISES = (
    "name",
    "number",
    "kind",
    "department",
    "roles",
    "email",
    "phone",
    "supervises",
)
REQUIRED = (NAME, NUMBER)  # and a category: the 类别 column, or what kinds.py reads elsewhere
# What each column is called in the error messages and the plan (the template's headers).
COLUMN_LABELS = {
    NAME: gettext_lazy("Full name"),
    NUMBER: gettext_lazy("Staff/student number"),
    KIND: gettext_lazy("Category"),
    DEPARTMENT: gettext_lazy("Department"),
    ROLES: gettext_lazy("Roles"),
    EMAIL: gettext_lazy("E-mail"),
    PHONE: gettext_lazy("Phone"),
    SUPERVISES: gettext_lazy("Supervised departments"),
}
HEADERS = {
    NAME: ("姓名", "name", "fullname"),
    NUMBER: ("工号/学号", "学号/工号", "工号", "学号", "number", "staff/studentnumber", "staffnumber", "studentnumber"),
    KIND: ("类别", "身份", "kind", "category"),
    DEPARTMENT: ("科室", "部门", "department"),
    ROLES: ("角色", "role", "roles"),
    EMAIL: ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail"),
    PHONE: ("电话", "手机", "联系电话", "phone", "mobile"),
    SUPERVISES: ("分管科室", "supervises", "superviseddepartments"),
}
# The roles an import may give, each with the names a file may use: the group's name first. They are the roles
# that act in the admin, so each gets an admin account; plain students and staff get none (they contribute
# through the public form, A6.1).
ACCOUNT_ROLES = {
    roles.DEPARTMENT_HEAD.key: (roles.DEPARTMENT_HEAD.name, "负责人", "departmenthead"),
    roles.SUPERVISING_LEADER.key: (roles.SUPERVISING_LEADER.name, "supervisingleader"),
    roles.COLLEGE_LEADER.key: (roles.COLLEGE_LEADER.name, "collegeleader"),
    roles.OFFICE_EDITOR.key: (roles.OFFICE_EDITOR.name, "办公室", "officeeditor"),
    roles.CHANNEL_ADMIN.key: (roles.CHANNEL_ADMIN.name, "渠道管理员", "channeladministrator", "channeladmin"),
    roles.POLICY_ADMIN.key: (roles.POLICY_ADMIN.name, "办公室主任", "policyadministrator", "policyadmin", "officehead"),
}
NUMBER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
LOST_DIGITS = re.compile(r"\d(\.\d+)?[eE][+-]?\d+")  # 2.02601E+19: Excel kept the number as a float
PHONE_PATTERN = re.compile(r"\+?[0-9][0-9 ()-]{2,31}")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
MAX_NUMBER, MAX_NAME, MAX_PHONE, MAX_CELL = 32, 100, 32, 254


@dataclass(frozen=True)
class RowError:
    line: int  # the spreadsheet's row number (the header is row 1)
    column: str  # the column's header as the file has it, or its label
    message: str

    def __str__(self):
        return _("Row %(line)s, column “%(column)s”: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class PersonRow:
    line: int
    name: str
    number: str
    kind: str
    department: str = ""
    roles: tuple = ()
    email: str = ""
    phone: str = ""
    supervises: tuple = ()

    @property
    def key(self):
        return (self.kind, self.number)


class HeaderRefused(Exception):
    """The header row lacks a required column or names one twice."""


_normal = kinds.normal

LOOKUP = {_normal(alias): field for field, aliases in HEADERS.items() for alias in aliases}
ROLE_LOOKUP = {_normal(alias): key for key, aliases in ACCOUNT_ROLES.items() for alias in (key, *aliases)}


def read_header(header):
    """{field: column index} and the headers ignored; `HeaderRefused` when a required one is missing or doubled."""
    columns, ignored = {}, []
    for index, text in enumerate(header):
        field = LOOKUP.get(_normal(text))
        if field is None:
            if text.strip():
                ignored.append(text.strip())
            continue
        if field in columns:
            raise HeaderRefused(
                _("Two columns mean “%(label)s”: “%(first)s” and “%(second)s”. Keep one.")
                % {"label": COLUMN_LABELS[field], "first": header[columns[field]].strip(), "second": text.strip()}
            )
        columns[field] = index
    missing = [str(COLUMN_LABELS[field]) for field in REQUIRED if field not in columns]
    if missing:
        raise HeaderRefused(
            _("The first row must name the columns; missing: %(missing)s. Expected headers: %(expected)s.")
            % {"missing": "、".join(missing), "expected": "姓名、工号/学号、类别、科室、角色、邮箱、电话"}
        )
    return columns, ignored


def read_rows(table):
    """(rows, errors, ignored headers) of a table whose first row is the header. Raises `HeaderRefused`."""
    columns, ignored = read_header(table[0])
    rows, errors, first_line = [], [], {}
    for offset, cells in enumerate(table[1:]):
        line = offset + 2
        row, row_errors = _read_row(line, cells, columns, table[0])
        errors.extend(row_errors)
        if row is None:
            continue
        if row.key in first_line:
            errors.append(
                RowError(
                    line,
                    _label(NUMBER, columns, table[0]),
                    _("%(number)s is already on row %(first)s: each person once.")
                    % {"number": row.number, "first": first_line[row.key]},
                )
            )
            continue
        first_line[row.key] = line
        rows.append(row)
    errors.extend(_leadership_conflicts(rows, columns, table[0]))
    return rows, errors, ignored


def _label(field, columns, header):
    index = columns.get(field)
    return header[index].strip() if index is not None else str(COLUMN_LABELS[field])


def _read_row(line, cells, columns, header):
    values, errors = {}, []

    def refuse(field, message):
        errors.append(RowError(line, _label(field, columns, header), message))

    for field, index in columns.items():
        value = cells[index].strip() if index < len(cells) else ""
        if len(value) > MAX_CELL:
            refuse(field, _("longer than %(limit)s characters.") % {"limit": MAX_CELL})
        elif value.startswith(FORMULA_START) and not (field == PHONE and PHONE_PATTERN.fullmatch(value)):
            refuse(field, _("starts with “%(mark)s”, as a formula does: type the value itself.") % {"mark": value[0]})
        else:
            values[field] = value
    for field in REQUIRED:
        if field in values and not values[field]:
            refuse(field, _("required."))
    checks = {
        NAME: _check_name,
        NUMBER: _check_number,
        KIND: kinds.check_kind,
        DEPARTMENT: _check_department,
        ROLES: _check_roles,
        EMAIL: _check_email,
        PHONE: _check_phone,
        SUPERVISES: _check_supervises,
    }
    cleaned = {}
    for field, check in checks.items():
        if field == ROLES and KIND not in columns:
            continue  # 学生 or 教职工 may be written there: read with the category below
        if values.get(field):
            try:
                cleaned[field] = check(values[field])
            except ValidationError as refusal:
                refuse(field, refusal.messages[0])
    if KIND not in columns and not errors:
        try:
            cleaned[KIND], cleaned[ROLES] = _kind_elsewhere(header[columns[NUMBER]], values.get(ROLES, ""))
        except ValidationError as refusal:
            refuse(ROLES if ROLES in columns else NUMBER, refusal.messages[0])
    if errors:
        return None, errors
    row = PersonRow(line=line, **cleaned)
    _role_needs(row, refuse)
    return (None, errors) if errors else (row, [])


def _kind_elsewhere(number_header, roles_cell):
    """(kind, roles) of a row in a file without 类别: from the number column's header or the 角色 cell (kinds.py)."""
    kind, names = kinds.from_roles(_names(roles_cell))
    found = _check_roles("、".join(names)) if names else ()
    kind = kinds.from_number_header(number_header) or kind or (str(PersonKind.STAFF) if found else None)
    if kind is None:
        raise kinds.unknown()
    return kind, found


def _role_needs(row, refuse):
    if row.roles and not row.email:
        refuse(EMAIL, _("required for a person with a role: their admin account's e-mail."))
    if roles.DEPARTMENT_HEAD.key in row.roles and not row.department:
        refuse(DEPARTMENT, _("required for a department head: the department they head."))
    if roles.SUPERVISING_LEADER.key in row.roles and not (row.department or row.supervises):
        refuse(SUPERVISES, _("required for a supervising leader: the departments they supervise."))
    if row.supervises and roles.SUPERVISING_LEADER.key not in row.roles:
        refuse(SUPERVISES, _("only a supervising leader (分管领导) supervises departments."))


def _check_name(value):
    if len(value) > MAX_NAME:
        raise ValidationError(_("longer than %(limit)s characters.") % {"limit": MAX_NAME})
    return value


def _check_number(value):
    if LOST_DIGITS.fullmatch(value):
        raise ValidationError(
            _("Excel stored %(value)s as a number and lost digits: format the column as text and type it again.")
            % {"value": value}
        )
    if len(value) > MAX_NUMBER:
        raise ValidationError(_("longer than %(limit)s characters.") % {"limit": MAX_NUMBER})
    if not NUMBER_PATTERN.fullmatch(value):
        raise ValidationError(_("only letters, digits, “.”, “-” and “_”."))
    return value


def _check_department(value):
    if len(value) > MAX_NAME:
        raise ValidationError(_("longer than %(limit)s characters.") % {"limit": MAX_NAME})
    return value


def _names(value):
    return tuple(dict.fromkeys(part.strip() for part in LIST_SEPARATORS.split(value) if part.strip()))


def _check_roles(value):
    found = []
    for name in _names(value):
        key = ROLE_LOOKUP.get(_normal(name))
        if key is None:
            if _normal(name) in (_normal(roles.CONTRIBUTOR.name), roles.CONTRIBUTOR.key):
                raise ValidationError(
                    _("students and staff who only contribute need no role: leave the cell empty (A6.1).")
                )
            raise ValidationError(
                _("unknown role “%(name)s”; the roles are: %(known)s.")
                % {"name": name, "known": "、".join(aliases[0] for aliases in ACCOUNT_ROLES.values())}
            )
        found.append(key)
    return tuple(dict.fromkeys(found))


def _check_email(value):
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(_("not a valid e-mail address.")) from None
    return value.lower()


def _check_phone(value):
    if not PHONE_PATTERN.fullmatch(value):
        raise ValidationError(_("not a phone number (digits, spaces, “-”, a leading “+”)."))
    return value


def _check_supervises(value):
    names = _names(value)
    if any(len(name) > MAX_NAME for name in names):
        raise ValidationError(_("longer than %(limit)s characters.") % {"limit": MAX_NAME})
    return names


def supervised(row):
    """The departments a supervising leader's row supervises: its 分管科室, else its own 科室."""
    if roles.SUPERVISING_LEADER.key not in row.roles:
        return ()
    return row.supervises or ((row.department,) if row.department else ())


def _leadership_conflicts(rows, columns, header):
    """Two rows naming different supervising leaders of one department (A6.1: one per department)."""
    leader_of, errors = {}, []
    for row in rows:
        for name in supervised(row):
            if name in leader_of:
                errors.append(
                    RowError(
                        row.line,
                        _label(SUPERVISES if row.supervises else DEPARTMENT, columns, header),
                        _("row %(first)s already names the supervising leader of %(department)s.")
                        % {"first": leader_of[name].line, "department": name},
                    )
                )
            else:
                leader_of[name] = row
    return errors
