"""Python's cyclic garbage collector paused around a bulk evaluation (issue 15).

An evaluation allocates hundreds of thousands of short-lived objects (a semester's
facts, their validation, the counting) and frees them by reference counting; the
collector's passes over them found nothing to free yet cost about half of the
evaluation's CPU. `collection_paused()` turns it off for the block and restores it
afterwards; nested or concurrent blocks (threads of one web process) share one pause,
so the collector comes back on when the last block ends and only if it was on before
the first. The long-lived objects of start-up are frozen out of its passes by the
site (`gc.freeze()` after start-up, `cms.processes.startup`). Freezing alone is not enough: it
empties the count of long-lived objects that spaces out full collections, so in a
frozen process code that allocates in bulk outside a pause ran about 8 % slower
(a semester's facts from the database); whoever builds a period's facts for an
evaluation does it inside the pause too (the reports' worker, the dry run, the site's
scheduled checks).
"""

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collection_paused():
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
