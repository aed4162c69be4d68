"""The restore drill (issue 16): a site with content, an upload, pushes and policy versions is backed up by
`manage.py backup`, restored by `manage.py restore` into a new database and an empty uploads folder, and the
restored site, served by gunicorn on the production settings, serves the same pages, policy history and push
records as the original.

On SQLite the backup is SQLite's online copy; on PostgreSQL (`make test-services`) `pg_dump` and `pg_restore`."""

import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from policy_rules import versions
from tests.deploy.production import start_site
from tests.live_processes import BASE_DIR, ProcessGroup
from tests.publishing import publish_approved
from tests.wechat_channel.admin_factories import make_account, make_push
from tests.wechat_channel.pushes import wagtail_image
from wechat_channel.models import Push

FORWARDED = {"X-Forwarded-Proto": "https"}
RECORDS = """
import json
from policy_rules.models import PolicyEvent, PolicyVersion
from wechat_channel.models import Push, PushItem
print(json.dumps({
    "versions": list(PolicyVersion.objects.order_by("pk").values_list("number", "status", "change_note", "document")),
    "policy_events": list(PolicyEvent.objects.order_by("pk").values_list("pk", "action")),
    "pushes": list(Push.objects.order_by("pk").values_list("pk", "state", "mode", "publish_id")),
    "items": list(PushItem.objects.order_by("pk").values_list("pk", "push_id", "page_id", "title", "wechat_url")),
}, default=str))
"""


def records(env):
    """What the database under `env` holds of the policy's history and the pushes, read by the site's own code."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", RECORDS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def restore(env, folder):
    command = [sys.executable, "manage.py", "restore", str(folder)]
    return subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300, check=False)


def without_csrf_token(html):
    """A page as both sites render it: each signs its forms with a token of its own (the language switcher)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)


def files(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture
def empty_database(production, tmp_path):
    """The DATABASE_URL of a new, empty database on the same server; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"newsroom_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield production["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def original_site(production, settings, people, article_factory):
    """The content the drill backs up: an article with an uploaded cover, a push with its item, a policy draft."""
    settings.MEDIA_ROOT = production["MEDIA_ROOT"]
    cover = wagtail_image("运动会封面", (200, 40, 40))
    article = publish_approved(article_factory(title="运动会开幕", department=people["dept_a"], cover_image=cover))
    account = make_account(slug="news")
    push = make_push(account, slot=timezone.now(), titles=(article.title,), pages=[article])
    Push.objects.filter(pk=push.pk).update(state=Push.State.DONE, publish_id="2247483650")
    push.items.update(wechat_url="https://mp.weixin.qq.com/s/abc")
    versions.start_draft("default", people["policy"], note="备份演练")
    return article


def test_a_backup_restores_into_a_new_database_and_serves_the_same_site(
    production, original_site, empty_database, tmp_path
):
    folder = tmp_path / "backups"
    call_command("backup", str(folder))
    (backup,) = folder.iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["counts"]["pushes"] == 1 and manifest["counts"]["policy_versions"] == 2
    assert manifest["media_files"] >= 1  # the cover, and its renditions if any were made

    restored = {**production, "DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "restored-media")}
    done = restore(restored, backup)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 个政策版本" in done.stdout and "1 个推送" in done.stdout

    assert records(restored) == records(production)
    assert files(Path(restored["MEDIA_ROOT"])) == files(Path(production["MEDIA_ROOT"]))
    group = ProcessGroup()
    try:
        urls = [
            start_site(group, env, tmp_path, name=f"gunicorn-{n}")[0] for n, env in enumerate([production, restored])
        ]
        for path in (original_site.url, "/", "/api/v2/pages/?type=cms.ArticlePage&fields=title"):
            original, copy = (requests.get(url + path, headers=FORWARDED, timeout=10) for url in urls)
            assert original.status_code == copy.status_code == 200, path
            assert without_csrf_token(original.text) == without_csrf_token(copy.text), path
        assert "运动会开幕" in requests.get(urls[1] + original_site.url, headers=FORWARDED, timeout=10).text
    finally:
        group.stop_all()


def test_a_restore_into_a_database_that_holds_tables_is_refused_and_changes_nothing(production, tmp_path):
    folder = tmp_path / "backups"
    call_command("backup", str(folder))
    (backup,) = folder.iterdir()
    before = records(production)

    done = restore(production, backup)  # the live database itself

    assert done.returncode == 2 and "只能恢复到新建的空数据库" in done.stderr
    assert records(production) == before


def test_an_uploads_archive_reaching_outside_its_folder_is_refused_before_anything_is_restored(
    production, empty_database, tmp_path
):
    folder = tmp_path / "backups"
    call_command("backup", str(folder))
    (backup,) = folder.iterdir()
    escaped = tmp_path / "escaped.txt"
    with tarfile.open(backup / "media.tar.gz", "w:gz") as archive:  # a tampered backup
        payload = b"written outside MEDIA_ROOT"
        member = tarfile.TarInfo("../escaped.txt")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    media = tmp_path / "restored-media"
    restored = {**production, "DATABASE_URL": empty_database, "MEDIA_ROOT": str(media)}

    done = restore(restored, backup)

    assert done.returncode == 2 and "其中有文件会落到上传文件夹之外" in done.stderr
    assert not escaped.exists() and not (media.exists() and any(media.iterdir()))
    # The database was left as it was: still empty, so the restore can be run again with a sound backup.
    assert "没有 manifest.json" in restore(restored, tmp_path).stderr  # (the tool still answers for this database)
    again = restore(restored, backup)
    assert "其中有文件会落到上传文件夹之外" in again.stderr  # not "already holds tables"


def test_a_folder_that_is_no_backup_is_refused_by_name(production, empty_database, tmp_path):
    restored = {**production, "DATABASE_URL": empty_database, "MEDIA_ROOT": str(tmp_path / "restored-media")}

    done = restore(restored, tmp_path)

    assert done.returncode == 2 and f"{tmp_path} 不是备份文件夹：其中没有 manifest.json。" in done.stderr
