"""`manage.py people import FILE [--dry-run]`: the admin's people import for the server's operator (issue 14).

It prints the plan (in LANGUAGE_CODE's language), then imports all or nothing unless --dry-run. Run by whoever
runs the server, it may give every role, the channel administrator's too. Exit code 2 when the file is refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.people.imports import services
from cms.people.imports.files import MAX_BYTES
from cms.people.imports.plan import PlanChanged, PlanRefused
from policy_rules.cli.help_format import HelpFormatter
from policy_rules.cli.language import reading_error

SOURCE = "manage.py"


class Command(BaseCommand):
    help = gettext_lazy("People: import departments, people and roles from an XLSX or CSV file.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser):
        # argparse names a missing positional by its metavar with str.join: translated now, not lazily.
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar=_("SUBCOMMAND"))
        importing = subparsers.add_parser(
            "import",
            help=gettext_lazy("Import an XLSX or CSV file of people (see docs/operations.md)."),
            description=gettext_lazy("Import an XLSX or CSV file of people (see docs/operations.md)."),
            formatter_class=HelpFormatter,
        )
        importing.add_argument("file", metavar=_("FILE"), help=gettext_lazy("the XLSX or CSV file"))
        importing.add_argument("--dry-run", action="store_true", help=gettext_lazy("show the plan, change nothing"))

    def handle(self, *args, **options):
        data = _read(options["file"])
        try:
            preview = services.preview(data)
            if preview.errors:
                raise PlanRefused(preview.errors)
            self.show(preview)
            if options["dry_run"]:
                self.stdout.write(_("Dry run: nothing was changed."))
                return
            plan = services.import_file(data, source=SOURCE, expected_digest=preview.plan.digest)
        except services.FileRefused as refused:
            raise CommandError(str(refused), returncode=2) from None
        except PlanRefused as refused:
            lines = [_("Nothing was imported; correct these rows and run again:")] + [str(e) for e in refused.errors]
            raise CommandError("\n".join(lines), returncode=2) from None
        except PlanChanged:
            raise CommandError(
                _("People or departments changed meanwhile; nothing was imported. Run again."), returncode=1
            ) from None
        counts = plan.counts()
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)s created, %(changed)s changed, %(unchanged)s unchanged.") % counts
            )
        )

    def show(self, preview):
        plan, write = preview.plan, self.stdout.write
        counts = plan.counts()
        write(
            _(
                "%(created)s to create, %(changed)s to change, %(unchanged)s unchanged, "
                "%(absent)s not in the file (left alone)."
            )
            % {**counts, "absent": plan.absent_count}
        )
        if preview.ignored_columns:
            write(_("Columns ignored: %(columns)s") % {"columns": "、".join(preview.ignored_columns)})
        for entry in plan.new_departments():
            write("  " + _("department created: %(name)s") % {"name": entry.name})
        for entry in plan.departments:
            for head in entry.heads_added:
                write("  " + _("%(department)s: head %(name)s") % {"department": entry.name, "name": head.row.name})
            if entry.leader:
                write(
                    "  "
                    + _("%(department)s: supervising leader %(old)s → %(new)s")
                    % {"department": entry.name, "old": entry.leader[0] or "—", "new": entry.leader[1].row.name}
                )
        for entry in plan.people:
            if entry.status == "unchanged":
                continue
            label = _("created") if entry.status == "created" else _("changed")
            details = [f"{name}: {old or '—'} → {new}" for name, old, new in entry.labelled_changes()]
            if entry.roles_added:
                details.append(_("roles: %(roles)s") % {"roles": "、".join(entry.role_names())})
            if entry.account:
                details.append(_("admin account %(username)s") % {"username": entry.row.number})
            where = _("Row %(line)s") % {"line": entry.row.line}
            write(f"  {where} {entry.row.name} ({entry.row.number}) {label}  {'; '.join(details)}")


def _read(name):
    path = Path(name)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                _("The file is larger than %(limit)s MB: split it, or remove unused sheets and pictures.")
                % {"limit": MAX_BYTES // (1024 * 1024)},
                returncode=2,
            )
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(error)s") % {"file": name, "error": reading_error(error)}, returncode=2
        ) from None
