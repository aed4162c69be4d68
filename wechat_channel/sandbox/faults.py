"""Fault injection: per-path rates of -1, 45009, timeouts and slow answers, plus 40001 once per token.

40001 is one-shot per token on purpose: wechatpy refetches a token and resends on every 40001 with no retry
bound (WECHAT.md §1.4), so a permanent 40001 would make a client loop forever. For the same reason the first
token issued after a trip (the client's recovery fetch) is exempt: one injected 40001 costs exactly one refetch.
`jobs` rates decide how publish and mass-send jobs end (WECHAT.md §4.2 statuses, §5 `err(...)`).
"""

import random
import threading
from dataclasses import dataclass, fields

from wechat_channel.sandbox import errors

ANY_PATH = "*"


def path_key(path):
    """`/cgi-bin/draft/add` and `draft/add` name the same API."""
    path = path.strip("/")
    return path.removeprefix("cgi-bin/") or ANY_PATH


@dataclass
class PathFaults:
    """Probabilities (0..1) per call for one path."""

    system_error: float = 0.0
    quota: float = 0.0
    timeout: float = 0.0
    slow: float = 0.0
    slow_ms: int = 200

    @classmethod
    def from_dict(cls, data):
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        return cls(**data)


@dataclass
class JobFaults:
    """Probabilities (0..1) per finished job of the failure outcomes of publishing and mass sends (§4.2, §5)."""

    originality_failure: float = 0.0  # publish_status 2
    publish_failure: float = 0.0  # publish_status 3 (what WeChat's test accounts always get)
    review_rejected: float = 0.0  # publish_status 4
    fail_idx: tuple = (1,)  # 1-based failing articles reported with 2/3/4 (clipped to the job's articles)
    mass_failure: float = 0.0  # msg_status SEND_FAIL, MASSSENDJOBFINISH Status err(mass_error_code)
    mass_error_code: int = 30003  # the SKIT sample's value

    @classmethod
    def from_dict(cls, data):
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown job fault settings: {sorted(unknown)}")
        job = cls(**data)
        job.fail_idx = tuple(int(i) for i in job.fail_idx)
        return job


@dataclass
class Verdict:
    """What to do to one call: sleep first, then either answer an error code or go on to the handler."""

    delay: float = 0.0
    code: int | None = None


class FaultPlan:
    """The fault configuration and the seeded generator that rolls against it."""

    def __init__(self, seed=0):
        self.lock = threading.Lock()
        self.configure({"seed": seed})

    def configure(self, config):
        """Replace the whole configuration (see `as_dict` for the shape); unknown keys raise ValueError."""
        allowed = {"seed", "paths", "invalid_credential_once", "timeout_seconds", "jobs"}
        unknown = set(config) - allowed
        if unknown:
            raise ValueError(f"unknown fault settings: {sorted(unknown)}")
        paths = {path_key(p): PathFaults.from_dict(v) for p, v in (config.get("paths") or {}).items()}
        jobs = JobFaults.from_dict(config.get("jobs") or {})
        with self.lock:
            self.seed = config.get("seed", 0)
            self.random = random.Random(self.seed)  # noqa: S311 - reproducible faults, not cryptography
            self.paths = paths
            self.jobs = jobs
            self.invalid_credential_once = bool(config.get("invalid_credential_once", False))
            self.timeout_seconds = float(config.get("timeout_seconds", 5.0))
            self.seen_tokens: set[str] = set()
            self.recovering: dict[str, float] = {}  # appid -> time of its last injected 40001

    def as_dict(self):
        with self.lock:
            return {
                "seed": self.seed,
                "paths": {p: vars(f) for p, f in self.paths.items()},
                "invalid_credential_once": self.invalid_credential_once,
                "timeout_seconds": self.timeout_seconds,
                "jobs": {**vars(self.jobs), "fail_idx": list(self.jobs.fail_idx)},
            }

    def _trips_invalid_credential(self, token, now):
        """40001 on a token's first call, unless the token is the recovery fetch after an earlier trip."""
        if token is None or not self.invalid_credential_once or token.value in self.seen_tokens:
            return False
        self.seen_tokens.add(token.value)
        tripped_at = self.recovering.get(token.appid)
        if tripped_at is not None and token.issued_at >= tripped_at:
            del self.recovering[token.appid]
            return False
        self.recovering[token.appid] = now
        return True

    def decide(self, path, token=None, now=0.0):
        """Roll the faults for one call; `token` is the caller's IssuedToken for APIs that take one."""
        with self.lock:
            verdict = Verdict()
            if self._trips_invalid_credential(token, now):
                verdict.code = errors.INVALID_CREDENTIAL
                return verdict
            faults = self.paths.get(path_key(path)) or self.paths.get(ANY_PATH)
            if faults is None:
                return verdict
            if self.random.random() < faults.timeout:
                verdict.delay += self.timeout_seconds
            if self.random.random() < faults.slow:
                verdict.delay += faults.slow_ms / 1000
            if self.random.random() < faults.system_error:
                verdict.code = errors.SYSTEM_ERROR
            elif self.random.random() < faults.quota:
                verdict.code = errors.DAILY_QUOTA
            return verdict

    def publish_outcome(self, article_count):
        """(publish_status, fail_idx) for a finishing publish job: 0 and [] unless a job fault rolls."""
        with self.lock:
            jobs = self.jobs
            fail_idx = [i for i in jobs.fail_idx if 1 <= i <= article_count] or [1]
            for status, rate in ((2, jobs.originality_failure), (3, jobs.publish_failure), (4, jobs.review_rejected)):
                if rate and self.random.random() < rate:
                    return status, fail_idx
            return 0, []

    def mass_outcome(self):
        """The error code a finishing mass send fails with, or None for `send success`."""
        with self.lock:
            if self.jobs.mass_failure and self.random.random() < self.jobs.mass_failure:
                return self.jobs.mass_error_code
            return None
