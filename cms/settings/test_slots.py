"""A stable, exclusive slot for a test process's database, media folder and cache prefix (issue 15).

`claim_slot(folder, worker)` returns the lowest n whose lock file `folder/test-<worker>-<n>.lock` no other
process holds, and holds it (an `flock`) until this process exits, so the kernel frees it even after a crash.
Slot 0 unless another run of the suite in the same checkout is under way.
"""

import fcntl

_held = []  # the open lock files: closing one would free its slot


def claim_slot(folder, worker):
    folder.mkdir(exist_ok=True)
    slot = 0
    while True:
        lock = open(folder / f"test-{worker}-{slot}.lock", "w")  # noqa: SIM115 - held open for the process's life
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            slot += 1
            continue
        _held.append(lock)
        return slot
