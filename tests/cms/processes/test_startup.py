"""A web process and each task worker freeze what they hold after start-up (issue 15, cms.processes.startup)."""

import gc
import os
import subprocess
import sys

import pytest
from django_q.signals import post_spawn


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_new_task_worker_freezes_what_it_inherited(unfrozen):
    assert gc.get_freeze_count() == 0

    post_spawn.send(sender="django_q", proc_name="Process-1:1")

    assert gc.get_freeze_count() > 10_000  # the modules, models and URL patterns of a set-up Django


def test_the_wsgi_application_freezes_after_start_up():
    """In a process of its own, as a WSGI server imports it."""
    script = "import gc, cms.wsgi; print(gc.get_freeze_count())"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000
