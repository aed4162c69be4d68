"""Rate limits of the public forms (A6.1 contributions, A6.5.2 reports) and the budget for uploads.

Each limit is a counter per key (an e-mail address or contact, a client address) in a fixed
window that starts with the first hit, kept in the `RateLimitCounter` table. A request takes
what it needs before it writes anything, with one conditional UPDATE per counter
(`count + n <= limit`), every counter in one transaction: parallel requests cannot all pass a
check made before any of them counted. The cache would not do: Django's DatabaseCache, the
default, increments with a get and a set.
"""

import datetime
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cms.models import RateLimitCounter

SUBMISSIONS, HELD_IMAGES, UPLOAD_BYTES = "submissions", "held-images", "upload-bytes"
UPLOAD_WINDOW_SECONDS = 3600  # CONTRIBUTION_UPLOAD_BYTES_PER_HOUR


@dataclass(frozen=True)
class Charge:
    """`amount` to take from the counter `key` in its current window of `seconds`; refused past `limit`."""

    kind: str
    key: str
    amount: int
    limit: int
    seconds: int


class LimitReached(Exception):
    """A limit of this client is used up and nothing was taken; `kind` says which limit."""

    def __init__(self, kind):
        self.kind = kind
        super().__init__(kind)


def _key(scope, value, form="contribution"):
    digest = hashlib.sha256(str(value).strip().lower().encode()).hexdigest()[:32]
    return f"{form}:{scope}:{digest}"


def _scopes(email, ip, form):
    scopes = []
    if email and str(email).strip():
        scopes.append(_key("email", email, form))
    if ip:
        scopes.append(_key("ip", ip, form))
    return scopes


def submission_limit():
    """(submissions, minutes): how many submissions of a public form one address or client may make in how long."""
    conf = settings.NEWSROOM
    return conf["CONTRIBUTION_RATE_LIMIT"], conf["CONTRIBUTION_RATE_WINDOW_SECONDS"] // 60


def submission(email, ip, form="contribution"):
    """The charges of one submission of `form`: one for the e-mail address (any case), one for the client address."""
    conf = settings.NEWSROOM
    limit, seconds = conf["CONTRIBUTION_RATE_LIMIT"], conf["CONTRIBUTION_RATE_WINDOW_SECONDS"]
    return [Charge(SUBMISSIONS, key, 1, limit, seconds) for key in _scopes(email, ip, form)]


def held_images(ip, count):
    """The charge of holding `count` uploads of a failed form: as many as the allowed submissions could carry."""
    conf = settings.NEWSROOM
    limit = conf["CONTRIBUTION_RATE_LIMIT"] * conf["CONTRIBUTION_MAX_IMAGES"]
    key = _key("held-images", ip or "unknown")
    return Charge(HELD_IMAGES, key, count, limit, conf["CONTRIBUTION_RATE_WINDOW_SECONDS"])


def upload_bytes(ip, uploads):
    """The charge of storing `uploads`, held or submitted, against the client address's bytes per hour."""
    limit = settings.NEWSROOM["CONTRIBUTION_UPLOAD_BYTES_PER_HOUR"]
    amount = sum(upload.size for upload in uploads)
    return Charge(UPLOAD_BYTES, _key("upload-bytes", ip or "unknown"), amount, limit, UPLOAD_WINDOW_SECONDS)


def _take_one(charge, now):
    """Take `charge` in its key's current window; the start of that window, or None when the limit is used up."""
    counters = RateLimitCounter.objects.filter(key=charge.key)
    RateLimitCounter.objects.bulk_create(
        [RateLimitCounter(key=charge.key, window_started_at=now)], ignore_conflicts=True
    )
    # A window that has ended starts again now, empty.
    counters.filter(window_started_at__lte=now - datetime.timedelta(seconds=charge.seconds)).update(
        window_started_at=now, count=0
    )
    if not counters.filter(count__lte=charge.limit - charge.amount).update(count=F("count") + charge.amount):
        return None
    return counters.values_list("window_started_at", flat=True).get()


def _take(charges, now):
    taken = []
    with transaction.atomic():
        # Always the same order, so two transactions never wait for each other's rows (PostgreSQL).
        for charge in sorted(charges, key=lambda charge: charge.key):
            started = _take_one(charge, now)
            if started is None:
                raise LimitReached(charge.kind)  # rolls back what this loop took so far
            taken.append((charge, started))
    return taken


def _give_back(taken):
    with transaction.atomic():
        for charge, started in taken:
            RateLimitCounter.objects.filter(key=charge.key, window_started_at=started, count__gte=charge.amount).update(
                count=F("count") - charge.amount
            )


@contextmanager
def reserved(*charges):
    """Take every charge before the block runs, or raise LimitReached having taken none.

    A block that raises gives the charges back: a submission that fails does not cost a slot.
    """
    taken = _take([charge for charge in charges if charge.amount], timezone.now())
    try:
        yield
    except BaseException:
        _give_back(taken)
        raise


def submissions_exceeded(email, ip, form="contribution"):
    """Whether this e-mail address or client address has used up its submissions of `form` (a quick look).

    Only `reserved` decides; this spares the work of checking a form that could not be accepted anyway.
    """
    now = timezone.now()
    return any(
        RateLimitCounter.objects.filter(
            key=charge.key,
            window_started_at__gt=now - datetime.timedelta(seconds=charge.seconds),
            count__gte=charge.limit,
        ).exists()
        for charge in submission(email, ip, form)
    )


def purge_expired_counters(now=None):
    """Delete the counters whose window has ended (they would start again anyway); returns how many."""
    now = now or timezone.now()
    longest = max(settings.NEWSROOM["CONTRIBUTION_RATE_WINDOW_SECONDS"], UPLOAD_WINDOW_SECONDS)
    cutoff = now - datetime.timedelta(seconds=longest)
    deleted, _by_model = RateLimitCounter.objects.filter(window_started_at__lte=cutoff).delete()
    return deleted
