import importlib

from django.core.management.base import BaseCommand

# Modules under policy_rules.cli that contribute sub-commands.
SUBCOMMAND_MODULES = ("slot", "evaluate", "versions")


class Command(BaseCommand):
    help = "The policy: check a push slot, evaluate facts, show, export, import, validate, dry-run, activate."

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

    def handle(self, *args, **options):
        return options["handler"](self, options)
