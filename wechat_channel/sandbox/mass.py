"""Mass sends (群发) behind `message/mass/*`: quotas, clientmsgid dedupe and job state (WECHAT.md §5).

Quotas count accepted sends that have not failed, on the sandbox clock in Beijing time:
a subscription account has one `is_to_all` send per day, a service account four sends per calendar month
(§5: "each user receives ≤4/month"; with no follower model every sendall counts for every follower).
"""

import threading
from dataclasses import dataclass, field

from wechat_channel.sandbox.publish import fresh_ids, msg_data_ids, next_id
from wechat_channel.sandbox.quota import shanghai_day, shanghai_month

SENDING, SEND_SUCCESS, SEND_FAIL, DELETE = "SENDING", "SEND_SUCCESS", "SEND_FAIL", "DELETE"
SUBSCRIPTION_DAILY_SENDS = 1
SERVICE_MONTHLY_SENDS = 4
PREVIEWS_PER_DAY = 100
CLIENTMSGID_WINDOW = 86400  # seconds the platform remembers a clientmsgid (§5)

msg_ids = fresh_ids(1000000001)


@dataclass
class MassSend:
    """One accepted `message/mass/sendall`; `pages` are filled in when it succeeds."""

    msg_id: int
    msg_data_id: int
    appid: str
    articles: list[dict]
    host: str
    is_to_all: bool
    clientmsgid: str | None
    sent_at: float
    status: str = SENDING
    error_code: int | None = None
    pages: list = field(default_factory=list)

    def counts_against_quota(self, kind, now):
        if self.status == SEND_FAIL:
            return False
        if kind == "subscription":
            return self.is_to_all and shanghai_day(self.sent_at) == shanghai_day(now)
        return shanghai_month(self.sent_at) == shanghai_month(now)


class MassDesk:
    """All mass sends and previews of the sandbox."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.lock = threading.RLock()
        self.sends: dict[int, MassSend] = {}
        self.previews: list[tuple[str, float]] = []  # (appid, time)
        self.attempts: dict[tuple[str, str], float] = {}  # (appid, clientmsgid) → time of the last attempt let in

    def too_fast(self, appid, clientmsgid, now):
        """Whether `clientmsgid` was tried less than `clientmsgid_spacing` ago (45066); records this attempt
        otherwise. An attempt refused as too fast does not restart the wait."""
        if not clientmsgid:
            return False
        key = (appid, clientmsgid)
        with self.lock:
            last = self.attempts.get(key)
            if last is not None and now - last < self.sandbox.job_settings.clientmsgid_spacing:
                return True
            self.attempts[key] = now
        return False

    def duplicate(self, appid, clientmsgid, now):
        """The send that already used `clientmsgid` within 24 h, or None."""
        if not clientmsgid:
            return None
        with self.lock:
            for send in self.sends.values():
                if send.appid == appid and send.clientmsgid == clientmsgid and now - send.sent_at < CLIENTMSGID_WINDOW:
                    return send
        return None

    def quota_left(self, account, is_to_all, now):
        """Whether one more send fits the account's period quota (§5)."""
        if account.kind == "subscription" and not is_to_all:
            return True  # tag sends of a subscription account are not limited to one a day
        limit = SUBSCRIPTION_DAILY_SENDS if account.kind == "subscription" else SERVICE_MONTHLY_SENDS
        with self.lock:
            used = sum(
                1 for s in self.sends.values() if s.appid == account.appid and s.counts_against_quota(account.kind, now)
            )
        return used < limit

    def send(self, appid, draft, is_to_all, clientmsgid, now):
        """Record an accepted send of `draft` (already out of the draft box) and schedule its end."""
        send = MassSend(
            next_id(msg_ids),
            next_id(msg_data_ids),
            appid,
            [dict(a) for a in draft.articles],
            draft.host,
            is_to_all,
            clientmsgid,
            now,
        )
        with self.lock:
            self.sends[send.msg_id] = send
        self.sandbox.scheduler.submit(self.sandbox.job_settings.mass_delay, lambda: self.finish(send))
        return send

    def finish(self, send):
        """End a send as the job faults decide and push MASSSENDJOBFINISH."""
        error_code = self.sandbox.faults.mass_outcome()
        now = self.sandbox.state.clock.now()
        with self.lock:
            if send.status != SENDING or self.sends.get(send.msg_id) is not send:
                return
            if error_code is None:
                send.status = SEND_SUCCESS
                send.pages = [self.sandbox.pages.publish(send.appid, a, send.host, now) for a in send.articles]
            else:
                send.status, send.error_code = SEND_FAIL, error_code
        self.sandbox.notifier.mass_finished(send)

    def preview_allowed(self, appid, now):
        """Previews are limited to 100 a day per account (§5); they take no mass quota."""
        today = shanghai_day(now)
        with self.lock:
            used = sum(1 for a, t in self.previews if a == appid and shanghai_day(t) == today)
            if used >= PREVIEWS_PER_DAY:
                return False
            self.previews.append((appid, now))
            return True

    def get(self, appid, msg_id):
        try:
            key = int(msg_id)
        except (TypeError, ValueError):
            return None
        with self.lock:
            send = self.sends.get(key)
        return send if send is not None and send.appid == appid else None

    def delete(self, send, article_idx):
        """`mass/delete`: 1-based `article_idx`, 0/omitted = all; the status becomes DELETE."""
        with self.lock:
            targets = send.pages if not article_idx else [send.pages[article_idx - 1]]
            for page in targets:
                page.deleted = True
            send.status = DELETE

    def article_count(self, msg_data_id):
        with self.lock:
            for send in self.sends.values():
                if send.msg_data_id == msg_data_id:
                    if send.status == SENDING:
                        return len(send.articles)
                    if send.status == SEND_FAIL or all(p.deleted for p in send.pages):
                        return None
                    return len(send.pages)
        return None

    def clear(self):
        with self.lock:
            self.sends.clear()
            self.previews.clear()
            self.attempts.clear()
