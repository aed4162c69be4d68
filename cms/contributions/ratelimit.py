"""Counters in Django's cache that keep the public form from being flooded.

Fixed windows: a counter starts with its first hit and expires with the window,
so at most `limit` hits fit in any one window. `cache.incr` is atomic on Redis.
The public report form (A6.5.2) counts its own submissions under `form="report"`, with the same limits.
"""

import hashlib

from django.core.cache import cache

from . import get_conf


def _key(scope, value, form="contribution"):
    digest = hashlib.sha256(str(value).strip().lower().encode()).hexdigest()[:32]
    return f"newsroom:{form}:{scope}:{digest}"


def _count(key):
    return cache.get(key, 0)


def _add(key, amount, window):
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=window)
        return amount


def _scopes(email, ip, form):
    scopes = []
    if email and str(email).strip():
        scopes.append(_key("email", email, form))
    if ip:
        scopes.append(_key("ip", ip, form))
    return scopes


def submissions_exceeded(email, ip, form="contribution"):
    """Whether this e-mail address (any case) or client address has used up its submissions of `form`."""
    limit = get_conf()["CONTRIBUTION_RATE_LIMIT"]
    return any(_count(key) >= limit for key in _scopes(email, ip, form))


def record_submission(email, ip, form="contribution"):
    """Count one successful submission of `form` against the e-mail address and the client address."""
    window = get_conf()["CONTRIBUTION_RATE_WINDOW_SECONDS"]
    for key in _scopes(email, ip, form):
        _add(key, 1, window)


def reserve_pending_images(ip, count):
    """Allow holding `count` more uploads from a form that failed; False once the client's quota is used.

    Held uploads are stored before any submission succeeds, so they get their own
    quota: as many images as the allowed submissions could carry.
    """
    conf = get_conf()
    limit = conf["CONTRIBUTION_RATE_LIMIT"] * conf["CONTRIBUTION_MAX_IMAGES"]
    key = _key("pending-images", ip or "unknown")
    if _count(key) + count > limit:
        return False
    _add(key, count, conf["CONTRIBUTION_RATE_WINDOW_SECONDS"])
    return True
