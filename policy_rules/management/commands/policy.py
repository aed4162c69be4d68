import importlib

from django.core.management.base import BaseCommand
from django.utils import translation

from policy_rules.cli.language import LANGUAGES, operator_language

# Modules under policy_rules.cli that contribute sub-commands.
SUBCOMMAND_MODULES = ("slot", "evaluate", "versions", "assessment")


class Command(BaseCommand):
    help = (
        "The policy: check a push slot, evaluate facts, show, export, import, validate, dry-run, activate; "
        "the annual assessment (A22)."
    )

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        for name in SUBCOMMAND_MODULES:
            try:
                module = importlib.import_module(f"policy_rules.cli.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"policy_rules.cli.{name}":
                    raise
                continue
            module.register(subparsers, self)
        for subparser in subparsers.choices.values():
            subparser.add_argument(
                "--language", choices=LANGUAGES, help="the language of the output (default: the shell's locale)"
            )

    def handle(self, *args, **options):
        # What the command prints and refuses, in the operator's language (the calendar command's choice).
        with translation.override(operator_language(options.get("language"))):
            return options["handler"](self, options)
