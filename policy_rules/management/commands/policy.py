import importlib

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from policy_rules.cli.help_format import HelpFormatter
from policy_rules.cli.language import LANGUAGES, chosen_language, operator_language

# Modules under policy_rules.cli that contribute sub-commands.
SUBCOMMAND_MODULES = ("slot", "evaluate", "versions", "assessment")


class Command(BaseCommand):
    help = gettext_lazy(
        "The policy: check a push slot, evaluate facts, show, export, import, validate, dry-run, activate; "
        "the annual assessment (A22)."
    )

    def run_from_argv(self, argv):
        # `--help` too speaks the operator's language (the output's choice, docs/operations.md).
        with translation.override(operator_language(chosen_language(argv[2:]))):
            return super().run_from_argv(argv)

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser):
        # argparse names a missing positional by its metavar with str.join: translated now, not lazily.
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar=_("SUBCOMMAND"))
        for name in SUBCOMMAND_MODULES:
            try:
                module = importlib.import_module(f"policy_rules.cli.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"policy_rules.cli.{name}":
                    raise
                continue
            module.register(subparsers, self)
        for subparser in subparsers.choices.values():
            subparser.formatter_class = HelpFormatter
            subparser.add_argument(
                "--language",
                choices=LANGUAGES,
                help=gettext_lazy("the language of the output (default: the shell's locale)"),
            )

    def handle(self, *args, **options):
        # What the command prints and refuses, in the operator's language (the calendar command's choice).
        with translation.override(operator_language(options.get("language"))):
            return options["handler"](self, options)
