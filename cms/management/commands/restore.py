"""`manage.py restore FOLDER`: a backup of `manage.py backup` into the configured database and MEDIA_ROOT, both
new and empty (docs/operations.md). It then counts what it restored against the backup's manifest.

Exit code 2 when the restore is refused or what it restored differs from the manifest."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.backups import archive
from cms.backups.messages import explain


class Command(BaseCommand):
    help = gettext_lazy("Restore a backup folder into an empty database and an empty uploads folder.")

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar=_("FOLDER"), help=gettext_lazy("a folder made by manage.py backup"))

    def handle(self, *args, **options):
        try:
            manifest, restored = archive.restore(options["folder"])
        except archive.BackupError as error:
            raise CommandError(explain(error), returncode=2) from error
        expected = {"counts": manifest["counts"], "media_files": manifest["media_files"], "schema": manifest["schema"]}
        if restored != expected:
            raise CommandError(
                _("The restore differs from the backup's manifest: expected %(expected)s, restored %(restored)s.")
                % {"expected": expected, "restored": restored},
                returncode=2,
            )
        self.stdout.write(
            _(
                "Restored the backup of %(created)s: %(pages)s pages, %(policy_versions)s policy versions, %(pushes)s "
                "pushes, %(images)s images and %(files)s upload files, as its manifest lists."
            )
            % {**manifest["counts"], "created": manifest["created_at"], "files": manifest["media_files"]}
        )
