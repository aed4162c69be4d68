"""Append-only call log: what each request asked and how it was answered, without secrets."""

import hashlib
import threading
from dataclasses import asdict, dataclass


def mask_token(value):
    """A short stable fingerprint of an access token, so logs can tell tokens apart without holding them."""
    return "tok:" + hashlib.sha256(value.encode()).hexdigest()[:10]


def scrub_query(query):
    """Drop `secret`; mask `access_token`. `query` maps names to single values."""
    cleaned = {}
    for name, value in query.items():
        if name == "secret":
            continue
        cleaned[name] = mask_token(value) if name == "access_token" and value else value
    return cleaned


@dataclass
class Call:
    time: float
    method: str
    path: str
    query: dict
    status: int
    errcode: int | None
    latency_ms: float
    fingerprint: str | None = None  # e.g. "titles=A|B" for draft/add, "clientmsgid=X media_id=Y" for sendall


class CallLog:
    """Thread-safe list of `Call`s in arrival order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls: list[Call] = []

    def record(self, call):
        with self.lock:
            self.calls.append(call)

    def clear(self):
        with self.lock:
            self.calls.clear()

    def as_list(self, path=None):
        with self.lock:
            return [asdict(c) for c in self.calls if path is None or c.path == path]
