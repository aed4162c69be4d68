"""The import in two calls, for the admin and `manage.py people import` alike: preview a file, import a file."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cms.people.imports import plan as plans
from cms.people.imports.files import SpreadsheetRefused, read_table
from cms.people.imports.rows import HeaderRefused, read_rows


class FileRefused(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too large, no header): one message."""


@dataclass
class Preview:
    plan: plans.Plan | None = None
    errors: list = field(default_factory=list)  # RowErrors: the file cannot be imported until they are fixed
    ignored_columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def importable(self):
        return self.plan is not None and not self.errors


def read_file(data):
    """(rows, errors, ignored columns) of the spreadsheet in `data`; `FileRefused` when it cannot be read at all."""
    try:
        table = read_table(data)
        if not table:
            raise SpreadsheetRefused(_no_rows())
        rows, errors, ignored = read_rows(table)
    except (SpreadsheetRefused, HeaderRefused) as refused:
        raise FileRefused(str(refused)) from None
    if not rows and not errors:
        raise FileRefused(_no_rows())
    return rows, errors, ignored


def preview(data, grantable=None):
    """What importing `data` would do, or its row errors; changes nothing."""
    rows, errors, ignored = read_file(data)
    if errors:
        return Preview(errors=errors, ignored_columns=ignored)
    plan = plans.make_plan(rows, grantable)
    return Preview(plan=plan, errors=plan.errors, ignored_columns=ignored, rows=rows)


def import_file(data, *, user=None, source="admin", expected_digest=None, grantable=None):
    """Import `data` all or nothing; the plan applied. `FileRefused`, `PlanRefused`, `PlanChanged` change nothing."""
    rows, errors, _ignored = read_file(data)
    if errors:
        raise plans.PlanRefused(errors)
    return plans.apply(rows, user=user, source=source, expected_digest=expected_digest, grantable=grantable)


def _no_rows():
    return _("The file has no rows of people under its header.")
