"""Imported by the settings of processes a test starts: the process group dies with the test run.

A normal end or a KeyboardInterrupt stops them through the fixtures (tests/live_processes.py); this guard covers a
test run that is killed outright. It runs only in the process the test started (forked workers have no threads;
spawned ones have another parent).
"""

import os
import signal
import threading
import time

from tests.live_processes import PARENT_PID_ENV


def _die_with(parent):
    while os.getppid() == parent:
        time.sleep(1)
    os.killpg(os.getpgid(0), signal.SIGKILL)


def watch_parent():
    parent = os.environ.get(PARENT_PID_ENV)
    if parent and os.getppid() == int(parent):
        threading.Thread(target=_die_with, args=(int(parent),), daemon=True, name="process-guard").start()
