"""What the site's long-running processes do once started (issue 15).

A web process and each django-q2 worker hold their modules, models, templates and
URL patterns for their lifetime. `gc.freeze()` moves those objects out of the
cyclic garbage collector's generations, so its full passes stop walking them again
and again (they were half of an evaluation's CPU), and a worker forked from the
cluster shares those pages with its parent instead of copying them when a pass
touches them. Evaluations pause the collector for their bulk of short-lived objects
(`policy_rules.gc_pause`).
"""

import gc

from django.urls import get_resolver


def after_startup():
    """Load what a first request would (the URL patterns and their views), then freeze it all."""
    get_resolver().url_patterns  # noqa: B018 - the import of every view module is the point
    gc.freeze()


def after_worker_spawn(**kwargs):
    """django-q2's `post_spawn`: a new worker process freezes what it inherited from the cluster."""
    after_startup()
