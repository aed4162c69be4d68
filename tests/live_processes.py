"""Real processes for tests: the site, django-q2 clusters and the WeChat sandbox, each in a session of its own.

A `LiveProcess` is started, waited for (`ready` polls an outcome — an HTTP answer, a task run — until a deadline),
killed (SIGKILL to the whole group: no worker finishes its step) or stopped, and started again with the same
command, port and environment: a restart keeps nothing but what the database, the media directory and the
sandbox's own state hold. Its output goes to a log file, whose tail a failing test shows.

The processes' settings call `watch_parent()` (tests/process_guard.py), so a test run that is killed outright
(SIGKILL, a closed terminal) still takes its processes down; a normal end or a KeyboardInterrupt stops them through
the fixtures' `finally`.
"""

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parents[1]
PARENT_PID_ENV = "TEST_PARENT_PID"  # read by tests.process_guard in the child


class NotReady(Exception):
    """A process exited or did not become ready before its deadline; the message has its log's tail."""


def free_ports(count):
    """`count` different loopback ports the kernel has just handed out (never fixed ones: other test runs share
    the machine). All are held open together while asked for, so no two are the same."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def poll(predicate, seconds, every=0.05):
    """Call `predicate` until it returns something true or `seconds` pass; its last value."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(every)


def answers(url):
    """A readiness check: `url` answers with a status below 500."""

    def check(process):
        try:
            return requests.get(url, timeout=2, allow_redirects=False).status_code < 500
        except requests.RequestException:
            return False

    return check


class LiveProcess:
    """`python manage.py ARGS…` (or another `program`) in its own session: its children (forked workers, threads'
    sockets) die with it."""

    def __init__(self, name, args, env, log_dir, ready=None, ready_seconds=60, program=("manage.py",)):
        self.name = name
        self.program = list(program)  # what the Python interpreter runs: a script, or `-c` with code
        self.args = list(args)
        self.env = {**os.environ, **env, PARENT_PID_ENV: str(os.getpid()), "PYTHONUNBUFFERED": "1"}
        self.log_path = Path(log_dir) / f"{name}.log"
        self.ready = ready
        self.ready_seconds = ready_seconds
        self.process = None
        self.starts = 0

    def start(self):
        """Launch and wait until ready."""
        self.launch()
        if self.ready is not None:
            self.wait_ready()
        return self

    def launch(self):
        """Start the process without waiting for it (`wait_ready` waits): processes that do not need each other
        start side by side."""
        with open(self.log_path, "ab") as log:
            log.write(f"--- start {self.starts + 1} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [sys.executable, *self.program, *self.args],
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        return self

    def wait_ready(self):
        def up():
            if not self.alive():
                raise NotReady(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            return self.ready(self)

        if not poll(up, self.ready_seconds, every=0.1):
            self.stop()
            raise NotReady(f"{self.name} not ready within {self.ready_seconds} s:\n{self.log_tail()}")

    def restart(self):
        self.stop()
        return self.start()

    @property
    def pgid(self):
        return self.process.pid  # a session leader's group id is its pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def group_alive(self):
        """Whether any process of its group still runs (a worker left behind by its main process, say)."""
        if self.process is None:
            return False
        try:
            os.killpg(self.pgid, 0)
        except ProcessLookupError:
            return False
        return True

    def holds(self, claimed_by):
        """Whether the worker named in a `claimed_by` ("host:pid:thread") is one of this process group's."""
        try:
            pid = int(claimed_by.rsplit(":", 2)[1])
            return os.getpgid(pid) == self.pgid
        except (IndexError, ValueError, ProcessLookupError, PermissionError):
            return False

    def kill(self):
        """SIGKILL the whole group at once: no worker gets to finish its step or release its claim."""
        if self.process is None:
            return
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, grace=8):
        """A graceful stop as systemd's `KillMode=mixed` does it: SIGTERM to the main process only, SIGKILL to the
        whole group after `grace`. (SIGTERM to every process of a `qcluster` at once leaves its sentinel waiting
        for workers that are gone: it never exits — docs/operations.md.)"""
        if self.process is None:
            return
        self.terminate()
        deadline = time.monotonic() + grace
        while self.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        self._signal(signal.SIGKILL)  # stragglers of the group, if any
        self.process.wait(timeout=10)

    def terminate(self):
        """SIGTERM to the main process only: what a deploy's stop sends (systemd `KillMode=mixed`)."""
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)

    def _signal(self, signum):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pgid, signum)

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class ProcessGroup:
    """The processes of one test, stopped together, last started first, whatever happened in the test."""

    def __init__(self):
        self.processes = []
        atexit.register(self.stop_all)  # a KeyboardInterrupt that skips the fixtures' teardown still ends them

    def add(self, process):
        self.processes.append(process)
        return process

    def stop_all(self, grace=1):
        """End every process: SIGTERM to all at once, then SIGKILL to whatever still runs after `grace` seconds.
        At the end of a test nothing is left to finish (a cluster's graceful stop can take longer than the test)."""
        atexit.unregister(self.stop_all)
        running = [process for process in reversed(self.processes) if process.alive()]
        for process in running:
            process.terminate()
        poll(lambda: not any(process.alive() for process in running), grace)
        for process in running:
            with contextlib.suppress(Exception):  # one failing stop must not leave the others running
                process.kill()
