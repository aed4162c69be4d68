"""Backups that restore (issue 16): the database and the uploads of one moment, and their restore into a new,
empty database and media folder.

A backup is a folder `newsroom-<YYYYmmdd-HHMMSS>/` holding
- `database.pgdump` (PostgreSQL: `pg_dump --format=custom`, one consistent snapshot of every table) or
  `database.sqlite3` (SQLite's online backup, consistent as well);
- `media.tar.gz`, the uploads folder, read after the database: an upload of the meantime is kept in excess,
  never one the database names left out (uploads are not rewritten in place; renditions are made again);
- `manifest.json`: when, from which engine and schema (each app's last migration), and what it holds (pages,
  policy versions, pushes, images, upload files), which the restore checks against what it restored.

The password of DATABASE_URL goes to `pg_dump` and `pg_restore` through their environment, never their command
line (which any user of the machine may list) nor anything printed."""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST, MEDIA = "manifest.json", "media.tar.gz"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
COUNTED = {
    "pages": "wagtailcore.Page",
    "policy_versions": "policy_rules.PolicyVersion",
    "pushes": "wechat_channel.Push",
    "images": "wagtailimages.Image",
}


class BackupError(Exception):
    """Why a backup or a restore cannot go on, in the operator's words (translated by the command)."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code, self.params = code, params


def counts():
    return {name: apps.get_model(label).objects.count() for name, label in COUNTED.items()}


def schema():
    """Each app's last applied migration."""
    latest = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _postgres(program, *args):
    """`program` (pg_dump, pg_restore) run against the default database; its password in the environment."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    target = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    target += ["--username", str(db.get("USER") or ""), "--dbname", str(db["NAME"])]
    path = shutil.which(program)
    if path is None:
        raise BackupError("tool_missing", program=program)
    # The PostgreSQL tool with the site's own settings as separate arguments, no shell.
    done = subprocess.run([path, *target, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError("tool_failed", program=program, error=done.stderr.strip()[-500:])


def _media_files(root):
    return sum(1 for path in Path(root).rglob("*") if path.is_file()) if Path(root).is_dir() else 0


def create(destination, now=None):
    """Write a backup folder under `destination`; (its path, the manifest)."""
    now = now or timezone.now()
    folder = Path(destination) / f"newsroom-{timezone.localtime(now):%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    engine = connection.vendor
    if engine not in DUMPS:
        raise BackupError("engine", engine=engine)
    dump = folder / DUMPS[engine]
    if engine == "postgresql":
        _postgres("pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump))
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as copy:
            connection.connection.backup(copy)
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname=".")
    manifest = {
        "created_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "engine": engine,
        "schema": schema(),
        "counts": counts(),
        "media_files": _media_files(media),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder, manifest


def read_manifest(folder):
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise BackupError("not_a_backup", folder=str(folder))
    return json.loads(path.read_text(encoding="utf-8"))


def _database_is_empty():
    return "django_migrations" not in connection.introspection.table_names()


def _check_media_archive(path, media):
    """Refuse, before anything is restored, an uploads archive with a member that would land outside the folder, a
    link out of it or a device (tarfile's "data" filter, which the extraction applies again)."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive.getmembers():
                tarfile.data_filter(member, str(media))
    except (tarfile.TarError, OSError) as error:
        raise BackupError("unsafe_archive", path=str(path), error=error.__class__.__name__) from error


def restore(folder):
    """Restore the backup in `folder` into the configured database and MEDIA_ROOT, both empty; the manifest and
    what was restored (`counts`, `media_files`), which the caller compares."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError("engine_differs", made=manifest["engine"], here=engine)
    if not _database_is_empty():
        raise BackupError("database_not_empty")
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir() and any(media.iterdir()):
        raise BackupError("media_not_empty", path=str(media))
    _check_media_archive(folder / MEDIA, media)
    dump = folder / DUMPS[engine]
    if engine == "postgresql":
        _postgres("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", str(dump))
    else:
        connection.close()
        target = Path(connection.settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(dump) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA, "r:gz") as archive:
        archive.extractall(media, filter="data")  # no path outside the folder, no links out, no devices
    connection.close()
    return manifest, {"counts": counts(), "media_files": _media_files(media), "schema": schema()}
