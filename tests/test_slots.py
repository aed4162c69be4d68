"""Each test process's database, media folder and cache prefix have a stable name (so `--reuse-db` finds the
database), and two runs of the suite at once in one checkout do not share one (cms/settings/test_slots.py)."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from cms.settings.test_slots import claim_slot

CLAIM = (
    "import sys, pathlib; from cms.settings.test_slots import claim_slot; "
    "print(claim_slot(pathlib.Path(sys.argv[1]), 'gw7'))"
)


def claimed_elsewhere(folder):
    """The slot another process gets while this one runs (it exits at once, freeing it)."""
    done = subprocess.run([sys.executable, "-c", CLAIM, str(folder)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_process_gets_slot_0_and_a_second_one_at_the_same_time_the_next(tmp_path):
    assert claimed_elsewhere(tmp_path) == 0  # no one holds it: the stable name

    assert claim_slot(tmp_path, "gw7") == 0  # held by this test process from now on
    assert claimed_elsewhere(tmp_path) == 1
    assert claimed_elsewhere(tmp_path) == 1  # the other process's claim ended with it


def test_this_process_names_its_database_by_worker_and_slot():
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # pytest-django appends the xdist worker to the name (`…/test-gw0-0.sqlite3_gw0`).
        name = Path(settings.DATABASES["default"]["TEST"]["NAME"]).name
        assert name.startswith(f"test-{settings.TEST_PROCESS}.sqlite3")
    worker, slot = settings.TEST_PROCESS.rsplit("-", 1)
    assert worker == settings.TEST_WORKER and slot.isdigit()
