"""`manage.py calendar import FILE [--dry-run]`: a year's holiday arrangement from a CSV file (A11.1).

The file's format is cms/calendar/arrangement_file.py's (docs/operations.md). Output in the operator's language:
`--language`, else the locale of the shell (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else the site's.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.calendar import arrangement_file, arrangements
from cms.models import YearArrangement
from policy_rules.cli.help_format import HelpFormatter
from policy_rules.cli.language import LANGUAGES, chosen_language, operator_language, reading_error


class Command(BaseCommand):
    help = gettext_lazy(
        "The working-day calendar: import a year's holiday arrangement from a CSV file (docs/operations.md)."
    )

    def run_from_argv(self, argv):
        # `--help` too speaks the operator's language, as the output does.
        with translation.override(operator_language(chosen_language(argv[2:]))):
            return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser):
        # argparse names a missing positional by its metavar with str.join: translated now, not lazily.
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("SUBCOMMAND"))
        imported = subcommands.add_parser(
            "import",
            help=gettext_lazy("Check, preview and save a year arrangement from FILE."),
            description=gettext_lazy("Check, preview and save a year arrangement from FILE."),
            formatter_class=HelpFormatter,
        )
        imported.add_argument("file", metavar=_("FILE"), help=gettext_lazy("the CSV file (UTF-8)"))
        imported.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("check and show what would change, save nothing")
        )
        imported.add_argument(
            "--language",
            choices=LANGUAGES,
            help=gettext_lazy("the language of the output (default: the shell's locale)"),
        )

    def handle(self, *args, **options):
        with translation.override(operator_language(options.get("language"))):
            return self.import_file(options["file"], options["dry_run"])

    def import_file(self, name, dry_run):
        try:
            with open(name, "rb") as stream:
                arrangement = arrangement_file.read(stream)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": name, "error": reading_error(error)}
            ) from None
        except arrangement_file.FileRefused as refused:
            for problem in refused.problems:
                self.stderr.write(f"{name}: {problem}")
            raise CommandError(_("Nothing was saved: correct the lines above.")) from None
        preview = arrangements.preview(arrangement)
        self.stdout.write(
            _("%(year)s: %(holidays)s holiday days, %(swapped)s swapped working days; %(kept)s days set by hand kept.")
            % {
                "year": arrangement.year,
                "holidays": preview.holiday_days,
                "swapped": preview.swapped_days,
                "kept": len(preview.kept),
            }
        )
        for holiday in arrangement.holidays:
            self.stdout.write(f"  {holiday.name}: {holiday.start.isoformat()} – {holiday.end.isoformat()}")
        for swapped in arrangement.swapped_days:
            self.stdout.write("  " + _("Swapped working day") + f": {swapped.date.isoformat()} {swapped.name}".rstrip())
        for override in preview.kept:
            self.stdout.write("  " + _("Set by hand, kept") + f": {override.date.isoformat()} {override.note}".rstrip())
        saved = YearArrangement.objects.filter(year=arrangement.year).select_related("saved_by").first()
        if saved:  # the file replaces it whole: say so before, not after
            by = (saved.saved_by.get_full_name() or saved.saved_by.get_username()) if saved.saved_by else "manage.py"
            self.stdout.write(
                _("It replaces the arrangement of %(year)s saved %(when)s by %(who)s (source: %(source)s).")
                % {
                    "year": arrangement.year,
                    "when": f"{timezone.localtime(saved.saved_at):%Y-%m-%d %H:%M}",
                    "who": by,
                    "source": saved.source,
                }
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        arrangements.save(arrangement)
        self.stdout.write(self.style.SUCCESS(_("The arrangement of %(year)s is saved.") % {"year": arrangement.year}))
