"""Background completion of publish and mass-send jobs (WECHAT.md §4.2, §5), with settings tests can steer.

A job answers "in progress" until its delay of wall time has passed; then it finishes and its event is pushed.
A delay of 0 finishes a job before the submitting call returns; `None` keeps it pending until
`POST /sandbox/publishing/complete` (tests that want to see the in-progress state).
"""

import threading
from dataclasses import dataclass, fields


@dataclass
class JobSettings:
    """Knobs of `GET|POST /sandbox/publishing`."""

    publish_delay: float | None = 0.2  # seconds of wall time from freepublish/submit to the finished job
    mass_delay: float | None = 0.2  # the same for message/mass/sendall
    delivery_timeout: float = 5.0  # seconds WeChat waits for the site's callback to answer (§6.4)
    # Seconds from the start of one delivery attempt to the start of the next (see `event_push.py`): WeChat retries
    # after its 5 s wait, so a refused or failed attempt is not repeated at once. Tests set a short spacing.
    retry_pause: float = 5.0
    followers: int | None = None  # TotalCount of MASSSENDJOBFINISH; None = the account's sandbox followers
    # Seconds (sandbox clock) before the same clientmsgid may be sent again: sooner is 45066, "相同 clientmsgid 重试
    # 速度过快，请间隔1分钟重试" (WECHAT.md §5, §12). Tests that resend quickly set less.
    clientmsgid_spacing: float = 60.0

    def update(self, changes):
        """Apply a partial update; unknown names or bad values raise ValueError."""
        known = {f.name: f for f in fields(self)}
        unknown = set(changes) - set(known)
        if unknown:
            raise ValueError(f"unknown publishing settings: {sorted(unknown)}")
        for name, value in changes.items():
            if name in ("publish_delay", "mass_delay", "followers") and value is None:
                setattr(self, name, None)
                continue
            number = int(value) if name == "followers" else float(value)
            if number < 0:
                raise ValueError(f"{name} must not be negative")
            setattr(self, name, number)

    def as_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


class Scheduler:
    """Runs job-finishing callables after a delay on timer threads; `run_all` finishes every pending job now."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pending: dict[int, tuple[threading.Timer | None, object]] = {}
        self.next_id = 1

    def submit(self, delay, finish):
        """Finish now (delay 0), after `delay` seconds, or only on `run_all` (delay None)."""
        if delay == 0:
            finish()
            return
        with self.lock:
            job_id = self.next_id
            self.next_id += 1
            timer = None
            if delay is not None:
                timer = threading.Timer(delay, self._run, args=(job_id,))
                timer.daemon = True
            self.pending[job_id] = (timer, finish)
        if timer is not None:
            timer.start()

    def _run(self, job_id):
        with self.lock:
            entry = self.pending.pop(job_id, None)
        if entry is not None:
            entry[1]()

    def run_all(self):
        """Finish every pending job in submission order; returns how many were finished."""
        with self.lock:
            entries = [self.pending.pop(job_id) for job_id in sorted(self.pending)]
        for timer, finish in entries:
            if timer is not None:
                timer.cancel()
            finish()
        return len(entries)

    def cancel_all(self):
        """Drop pending jobs without finishing them (sandbox reset)."""
        with self.lock:
            entries = list(self.pending.values())
            self.pending.clear()
        for timer, _finish in entries:
            if timer is not None:
                timer.cancel()
