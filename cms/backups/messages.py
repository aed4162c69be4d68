"""The operator's words for why a backup or a restore stopped (`archive.BackupError`)."""

from django.utils.translation import gettext as _


def explain(error):
    texts = {
        "tool_failed": _("%(program)s failed: %(error)s"),
        "tool_missing": _("%(program)s is not installed: install PostgreSQL's client tools (postgresql-client)."),
        "engine": _("Backups are made of PostgreSQL or SQLite databases, not %(engine)s."),
        "not_a_backup": _("%(folder)s is not a backup folder: it has no manifest.json."),
        "engine_differs": _(
            "This backup is of a %(made)s database and the configured one is %(here)s: restore into the same engine."
        ),
        "database_not_empty": _(
            "The configured database already holds tables. Restore only into a new, empty database "
            "(createdb), so nothing is overwritten."
        ),
        "unsafe_archive": _(
            "%(path)s cannot be restored (%(error)s): a file in it would land outside the uploads folder, or it is "
            "damaged. Nothing was restored."
        ),
        "media_not_empty": _(
            "The uploads folder %(path)s is not empty. Restore only into a new, empty folder (MEDIA_ROOT)."
        ),
    }
    return texts[error.code] % error.params
