"""`manage.py policy assessment`: the annual assessment (A22) per department, as the admin's report computes it.

The rows are `policy_rules.reports.assessment`'s, the ones the report page and its CSV/XLSX show; `--format csv`
writes the admin export's columns. The software suggests; the 党政联席会 decides.

An operator's tool: it evaluates the year's periods now, from the database as it is (it needs no worker and
shows no figure older than the command), and stores nothing; the admin's pages read what the worker stored.
"""

import csv

from django.core.management.base import CommandError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..bounds import spreadsheet_safe
from ..reports import assessment, data, outcomes
from . import display_width

INVALID = 2  # exit code: no such year, or none of its periods has begun


def register(subparsers, command):
    parser = subparsers.add_parser(
        "assessment",
        help=gettext_lazy(
            "The annual assessment (A22): each department's quotas, material, errors, standing and the suggested "
            "change of its share of “excellent” ratings."
        ),
    )
    parser.add_argument(
        "--year", type=int, metavar="YYYY", help=gettext_lazy("the year (default: the running period's year)")
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv"),
        default="table",
        help=gettext_lazy("a table to read, or CSV (default: %(default)s)"),
    )
    parser.set_defaults(handler=handle_assessment)


def _year(chosen):
    years = assessment.assessment_years(data.periods())
    if chosen is None:
        return assessment.choose_year(None, years)
    for year in years:
        if year.year == chosen:
            return year
    raise CommandError(
        _("No period begins in %(year)s; years with periods: %(years)s.")
        % {"year": chosen, "years": ", ".join(year.key for year in years)},
        returncode=INVALID,
    )


def handle_assessment(command, options):
    try:
        report = assessment.year_report(_year(options["year"]), report_of=outcomes.compute)
    except data.ReportUnavailable as error:
        raise CommandError(error.message, returncode=INVALID) from None
    rows = assessment.assessment_rows(report)
    if options["format"] == "csv":
        _csv(command, rows)
    else:
        _table(command, report, rows)


def _csv(command, rows):
    writer = csv.writer(command.stdout, lineterminator="\n")
    writer.writerow([force_str(heading) for heading in assessment.COLUMNS.values()])
    for row in rows:
        writer.writerow([_cell(row[name]) for name in assessment.COLUMNS])


def _cell(value):
    # As the admin's CSV: yes/no as TRUE/FALSE (Excel reads booleans), a name a spreadsheet would run neutralised.
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return spreadsheet_safe(value) if isinstance(value, str) else force_str(value)


def _table(command, report, rows):
    write = command.stdout.write
    write(
        _("Annual assessment %(year)s (A22), policy %(policy)s: %(periods)s")
        % {
            "year": report.year.year,
            "policy": report.policy_version,
            "periods": "、".join(period_report.period.name for period_report in report.reports),
        }
    )
    if not report.final:
        write(_("The year is not over: the standings are provisional."))
    headings = [
        _("Department"),
        _("Periods with the quota met"),
        _("Weeks with the quota met"),
        _("Material provided"),
        _("Material pushed"),
        _("Counted errors"),
        _("Standing"),
        _("Suggestion"),
    ]
    lines = [headings] + [
        [
            str(row["department"]),
            f"{row['periods_met']}/{row['periods']}",
            f"{row['weeks_met']}/{row['weeks']}",
            f"{row['submissions']}/{row['quota']}",
            str(row["pushed"]),
            str(row["errors"]) if row["level"] == "none" else f"{row['errors']} ({row['level_label']})",
            str(row["standing_label"]),
            f"{row['share_change']:+d} {row['suggestion']}" if row["share_change"] else str(row["suggestion"]),
        ]
        for row in rows
    ]
    widths = [max(display_width(line[column]) for line in lines) for column in range(len(headings) - 1)]
    for line in lines:
        cells = [cell + " " * (width - display_width(cell)) for cell, width in zip(line, widths, strict=False)]
        write("  ".join([*cells, line[-1]]).rstrip())
    write(_("The software suggests; the 党政联席会 discusses and decides (A22)."))
