"""django-q2 clusters as real processes for the fault soak: started, killed (SIGKILL) and stopped by group."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


class Cluster:
    """`manage.py qcluster` in its own session, so the sentinel, pusher, monitor and workers die together."""

    def __init__(self, name, queue, db_name, log_dir, workers=2):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.wechat_channel.soak_settings",
            "SOAK_QUEUE": queue,
            "SOAK_DB_NAME": str(db_name),
            "SOAK_WORKERS": str(workers),
            "SOAK_PARENT_PID": str(os.getpid()),
            "PYTHONUNBUFFERED": "1",
        }
        self.process = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
                [sys.executable, "manage.py", "qcluster"],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pgid(self):
        return self.process.pid  # a session leader's group id is its pid

    def holds(self, claimed_by):
        """Whether the worker named in a push's `claimed_by` ("host:pid:thread") belongs to this cluster."""
        try:
            pid = int(claimed_by.rsplit(":", 2)[1])
            return os.getpgid(pid) == self.pgid
        except (IndexError, ValueError, ProcessLookupError, PermissionError):
            return False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL the whole group at once: no worker gets to finish its step or release its claim."""
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, grace=8):
        if self.process is None:
            return
        self._signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        self._signal(signal.SIGKILL)  # stragglers of the group, if any
        self.process.wait(timeout=10)

    def _signal(self, signum):
        try:
            os.killpg(self.pgid, signum)
        except ProcessLookupError:
            pass

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
