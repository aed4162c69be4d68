"""Stopping a worker the way a deploy does (issue 12: "qcluster ignored SIGTERM for more than 30 s").

What was seen: SIGTERM sent to every process of a `qcluster` at once (systemd's default `KillMode=control-group`,
or `kill -- -PGID`) kills its workers under the sentinel, which then waits for them forever and never exits.
SIGTERM to the main process alone (systemd's `KillMode=mixed`, docs/operations.md) lets the sentinel stop its
workers and exit, leaving no process behind. The worker here is a real `manage.py qcluster` on the test database
(tests/browser/journey.py), ready once it has run a task.
"""

import pytest

from tests.browser.journey import Journey
from tests.live_processes import poll

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_worker_sent_sigterm_on_its_main_process_stops_and_leaves_nothing_behind(tmp_path, monkeypatch):
    journey = Journey(tmp_path, monkeypatch)
    worker = journey.worker
    try:
        worker.start()  # ready: it has run a probe task
        assert worker.group_alive()
        worker.terminate()  # what KillMode=mixed sends on `systemctl stop`
        assert poll(lambda: not worker.alive(), 60), worker.log_tail()
        assert worker.process.returncode is not None
        assert poll(lambda: not worker.group_alive(), 10), "workers were left running after the sentinel exited"
    finally:
        journey.stop()
