"""Mass sends (群发) behind `message/mass/*`: quotas, followers' monthly limit, clientmsgid dedupe and job state.

The rules are the current official page's (服务号 → 群发消息 Batch_Sends.html, §1 前言 and the notes on `is_to_all`;
WECHAT.md §5), on the sandbox clock in Beijing time, counting sends that have not failed:
- a subscription account (公众号): "群发接口每天可成功调用1次，此次群发可选择发送给全部用户或某个标签" — one send a day,
  to everyone or to a tag, together with one made on mp.weixin.qq.com;
- a service account: `is_to_all` "一天内只能 … 成功群发一次，或者在公众平台官网群发一次" and "一个月内 … 加上
  公众平台官网群发的次数，最多只能是4次" — 45028 past either; tag sends are not counted
  ("设置 is_to_all 为 false 时是可以多次群发的");
- each follower of a service account receives at most four mass messages a calendar month, "无论在公众平台网站上，还是
  使用接口群发 … 多于4条的群发将对该用户发送失败": the send is accepted and the followers over their four are filtered
  out of it. MASSSENDJOBFINISH reports them as the official event does: `TotalCount` the followers addressed,
  `FilterCount` those left after filtering ("用户接收已超4条的过滤"), `SentCount` + `ErrorCount` = `FilterCount`.
Sends made by hand on mp.weixin.qq.com are simulated by `POST /sandbox/mass/by-hand` (`by_hand`); no API reads them
back, and whether WeChat pushes an event for them is not documented, so none is pushed.
The sandbox has no tags: a tag send reaches every follower.
"""

import threading
from dataclasses import dataclass, field

from wechat_channel.sandbox.publish import fresh_ids, msg_data_ids, next_id
from wechat_channel.sandbox.quota import shanghai_day, shanghai_month

SENDING, SEND_SUCCESS, SEND_FAIL, DELETE = "SENDING", "SEND_SUCCESS", "SEND_FAIL", "DELETE"
SUBSCRIPTION_DAILY_SENDS = 1
SERVICE_MONTHLY_SENDS = 4  # is_to_all sends, with those made on mp.weixin.qq.com
SERVICE_DAILY_SENDS_TO_ALL = 1
FOLLOWER_MONTHLY_MESSAGES = 4  # what one follower of a service account receives a month
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
    total: int = 0  # TotalCount: followers addressed
    ready: int = 0  # FilterCount: left after the monthly limit (and the blacklist) filtered them


class MassDesk:
    """All mass sends and previews of the sandbox."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.lock = threading.RLock()
        self.sends: dict[int, MassSend] = {}
        self.previews: list[tuple[str, float]] = []  # (appid, time)
        self.attempts: dict[tuple[str, str], float] = {}  # (appid, clientmsgid) → time of the last attempt let in
        self.received: dict[tuple[str, tuple], dict[str, int]] = {}  # (appid, month) → openid → messages received
        self.by_hand: list[tuple[str, float]] = []  # (appid, time) of sends to everyone made on mp.weixin.qq.com

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
        """Whether one more send fits the account's quotas (see the module docstring)."""
        if account.kind == "service" and not is_to_all:
            return True
        day, month = shanghai_day(now), shanghai_month(now)
        with self.lock:
            mine = [s for s in self.sends.values() if s.appid == account.appid and s.status != SEND_FAIL]
            times = [s.sent_at for s in mine if s.is_to_all or account.kind == "subscription"]
            times += [t for appid, t in self.by_hand if appid == account.appid]
        today = sum(1 for t in times if shanghai_day(t) == day)
        if account.kind == "subscription":
            return today < SUBSCRIPTION_DAILY_SENDS
        this_month = sum(1 for t in times if shanghai_month(t) == month)
        return today < SERVICE_DAILY_SENDS_TO_ALL and this_month < SERVICE_MONTHLY_SENDS

    def deliver(self, account, openids, now):
        """Count one mass message for each of `openids` under its monthly limit; how many it reached.

        Only a service account's followers are limited to four a month (a subscription account sends once a day)."""
        month = shanghai_month(now)
        with self.lock:
            counts = self.received.setdefault((account.appid, month), {})
            reached = 0
            for openid in openids:
                if account.kind == "service" and counts.get(openid, 0) >= FOLLOWER_MONTHLY_MESSAGES:
                    continue
                counts[openid] = counts.get(openid, 0) + 1
                reached += 1
        return reached

    def received_this_month(self, appid, openid, now):
        with self.lock:
            return self.received.get((appid, shanghai_month(now)), {}).get(openid, 0)

    def send_by_hand(self, account, openids, to_all, now):
        """A send made on mp.weixin.qq.com: it uses the quota when to everyone and counts for each follower."""
        with self.lock:
            if to_all:
                if not self.quota_left(account, True, now):
                    return None
                self.by_hand.append((account.appid, now))
            return len(openids), self.deliver(account, openids, now)

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
                send.total, send.ready = self._reach(send, now)
            else:
                send.status, send.error_code = SEND_FAIL, error_code
        self.sandbox.notifier.mass_finished(send)

    def _reach(self, send, now):
        """(TotalCount, FilterCount) of a send that went out: its audience, less the blacklisted and the full."""
        counted = self.sandbox.job_settings.followers
        if counted is not None:
            return counted, counted  # a bare number of followers, set for a benchmark: nobody to filter
        audience = self.sandbox.audience
        followers = audience.follower_list(send.appid)
        blocked = set(audience.blacklist.get(send.appid, {}))
        account = self.sandbox.state.accounts.get(send.appid)
        return len(followers), self.deliver(account, [o for o in followers if o not in blocked], now)

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
            self.received.clear()
            self.by_hand.clear()
