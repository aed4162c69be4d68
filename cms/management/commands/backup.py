"""`manage.py backup DIRECTORY`: the database and the uploads, consistent, in a new folder (docs/operations.md).

Exit code 2 when the backup cannot be made (the reason printed in LANGUAGE_CODE's language)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.backups import archive
from cms.backups.messages import explain


class Command(BaseCommand):
    help = gettext_lazy("Back up the database and the uploads into a new folder under DIRECTORY.")

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar=_("DIRECTORY"), help=gettext_lazy("where the backup folder is made"))

    def handle(self, *args, **options):
        try:
            folder, manifest = archive.create(options["directory"])
        except archive.BackupError as error:
            raise CommandError(explain(error), returncode=2) from error
        self.stdout.write(_("Backup written to %(folder)s.") % {"folder": folder})
        self.stdout.write(explain_counts(manifest))


def explain_counts(manifest):
    counts = manifest["counts"]
    return _(
        "It holds %(pages)s pages, %(policy_versions)s policy versions, %(pushes)s pushes, %(images)s images "
        "and %(files)s upload files."
    ) % {**counts, "files": manifest["media_files"]}
