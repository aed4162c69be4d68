"""Event pushes to the site's callback URL (WECHAT.md §4.4, §5, §6.2, §6.4).

Each event is POSTed from a background thread, signed with the account's callback token (`signature`,
`timestamp`, `nonce`, `openid` in the query) and, in safe mode, wrapped in the encrypted envelope with
`encrypt_type=aes&msg_signature=…` (via `crypto.py`). Every attempt is recorded for `GET /sandbox/deliveries`;
retries resend the identical body so the site's dedupe can be exercised.

Retries follow WeChat's own words for 消息推送 (被动回复用户消息, developers.weixin.qq.com): "微信服务器在五秒内收不到
响应会断掉连接，并且重新发起请求，总共重试三次" — 5 s per attempt, 3 attempts in all, each retry sent after the
wait. A non-2xx answer, a timeout or a refused connection each count as a failed attempt, and the next attempt
starts `retry_pause` seconds (default 5, WeChat's wait) after the failed one started, never at once: a site that
is still starting gets its event once it listens. Tests shorten the spacing (`POST /sandbox/publishing`,
`SandboxServer(publishing=...)`); the default is WeChat's.
"""

import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from wechat_channel.sandbox import crypto

MPHELPER_OPENID = "oSandboxMpHelper000000000000"  # FromUserName of job events: the account's 群发助手 (§4.4)
ATTEMPTS = 3


def _cdata(value):
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _head(account, now, event):
    return (
        f"<ToUserName>{_cdata(account.ghid)}</ToUserName><FromUserName>{_cdata(MPHELPER_OPENID)}</FromUserName>"
        f"<CreateTime>{int(now)}</CreateTime><MsgType>{_cdata('event')}</MsgType><Event>{_cdata(event)}</Event>"
    )


def publish_event_xml(account, job, now):
    """`PUBLISHJOBFINISH` exactly as §4.4 shows it; failures carry repeated `<fail_idx>` instead of articles."""
    info = f"<publish_id>{job.publish_id}</publish_id><publish_status>{job.status}</publish_status>"
    if job.article_id is not None:
        items = "".join(
            f"<item><idx>{i}</idx><article_url>{_cdata(p.url)}</article_url></item>"
            for i, p in enumerate(job.pages, start=1)
        )
        info += (
            f"<article_id>{_cdata(job.article_id)}</article_id>"
            f"<article_detail><count>{len(job.pages)}</count>{items}</article_detail>"
        )
    info += "".join(f"<fail_idx>{i}</fail_idx>" for i in job.fail_idx)
    return f"<xml>{_head(account, now, 'PUBLISHJOBFINISH')}<PublishEventInfo>{info}</PublishEventInfo></xml>"


def mass_event_xml(account, send, now, followers):
    """`MASSSENDJOBFINISH` (§5): `MsgID`, `Status` `send success` or `err(NNNNN)`, counts, article URLs.

    `TotalCount` the followers addressed, `FilterCount` those left once the followers over their four a month (and
    the blacklisted) are filtered out, `SentCount` + `ErrorCount` = `FilterCount` (mass.py)."""
    ok = send.error_code is None
    total, ready = (send.total, send.ready) if ok else (followers, followers)
    sent = ready if ok else 0
    results = "".join(
        f"<item><ArticleIdx>{i}</ArticleIdx><ArticleUrl>{_cdata(p.url)}</ArticleUrl></item>"
        for i, p in enumerate(send.pages, start=1)
    )
    return (
        f"<xml>{_head(account, now, 'MASSSENDJOBFINISH')}<MsgID>{send.msg_id}</MsgID>"
        f"<Status>{_cdata('send success' if ok else f'err({send.error_code})')}</Status>"
        f"<TotalCount>{total}</TotalCount><FilterCount>{ready}</FilterCount>"
        f"<SentCount>{sent}</SentCount><ErrorCount>{ready - sent}</ErrorCount>"
        f"<CopyrightCheckResult><Count>0</Count><ResultList></ResultList><CheckState>1</CheckState>"
        f"</CopyrightCheckResult>"
        f"<ArticleUrlResult><Count>{len(send.pages)}</Count><ResultList>{results}</ResultList></ArticleUrlResult></xml>"
    )


@dataclass
class Attempt:
    """One POST of one event; `status` is the HTTP status, None when no answer came (`error` says why)."""

    event_id: int
    appid: str
    event: str
    url: str | None
    attempt: int
    status: int | None
    ok: bool
    error: str | None
    time: float
    xml: str  # the plaintext event (also in safe mode)


class Notifier:
    """Pushes events and keeps the attempt log; `clear()` (reset) also stops deliveries still retrying."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.lock = threading.Lock()
        self.attempts: list[Attempt] = []
        self.events: dict[int, tuple[str, str, str]] = {}  # event_id -> (appid, event name, plaintext xml)
        self.next_event_id = 1
        self.generation = 0
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # WeChat calls the site directly

    def publish_finished(self, job):
        account = self.sandbox.state.accounts.get(job.appid)
        if account is not None:
            self.push(job.appid, "PUBLISHJOBFINISH", publish_event_xml(account, job, self.sandbox.state.clock.now()))

    def mass_finished(self, send):
        account = self.sandbox.state.accounts.get(send.appid)
        if account is not None:
            followers = self.sandbox.job_settings.followers
            if followers is None:
                audience = getattr(self.sandbox, "audience", None)
                followers = len(audience.follower_list(send.appid)) if audience is not None else 0
            xml = mass_event_xml(account, send, self.sandbox.state.clock.now(), followers)
            self.push(send.appid, "MASSSENDJOBFINISH", xml)

    def push(self, appid, event, xml, wait=False):
        """Deliver `xml` (plaintext) to the account's callback; returns the event id. `wait` blocks until done."""
        with self.lock:
            event_id = self.next_event_id
            self.next_event_id += 1
            self.events[event_id] = (appid, event, xml)
            generation = self.generation
        thread = threading.Thread(
            target=self._deliver, args=(event_id, generation), name=f"wechat-sandbox-push-{event_id}", daemon=True
        )
        thread.start()
        if wait:
            settings = self.sandbox.job_settings
            thread.join(timeout=ATTEMPTS * (max(settings.delivery_timeout, settings.retry_pause) + 1) + 1)
        return event_id

    def redeliver(self, event_id, wait=False):
        """Push a recorded event again, identical body (the duplicate a site must tolerate, §6.4)."""
        with self.lock:
            found = self.events.get(event_id)
        if found is None:
            raise KeyError(event_id)
        return self.push(*found, wait=wait)

    def _request(self, account, xml):
        timestamp = str(int(self.sandbox.state.clock.now()))
        nonce = str(secrets.randbelow(10**9))
        token = account.callback_token or ""
        if account.encoding_aes_key:
            body, signed = crypto.envelope(token, account.encoding_aes_key, account.appid, xml, timestamp, nonce)
            query = {k: signed[k] for k in ("signature", "timestamp", "nonce")}
            query.update(openid=MPHELPER_OPENID, encrypt_type="aes", msg_signature=signed["msg_signature"])
        else:
            body, query = xml, crypto.plain_query(token, timestamp, nonce)
            query["openid"] = MPHELPER_OPENID
        separator = "&" if "?" in account.callback_url else "?"
        return account.callback_url + separator + urlencode(query), body.encode("utf-8")

    def _post(self, url, body):
        """(status, error) of one POST; status None when nothing came back in time."""
        # callback_url is checked to be http(s) when the account is configured (publish_control.account_changes)
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "text/xml"})  # noqa: S310
        try:
            with self._opener.open(request, timeout=self.sandbox.job_settings.delivery_timeout) as response:
                response.read()
                return response.status, None
        except urllib.error.HTTPError as exc:
            return exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            return None, str(getattr(exc, "reason", exc)) or type(exc).__name__

    def _deliver(self, event_id, generation):
        with self.lock:
            appid, event, xml = self.events[event_id]
        account = self.sandbox.state.accounts.get(appid)
        if account is None or not account.callback_url:
            self._record(generation, Attempt(event_id, appid, event, None, 0, None, False, "no callback_url", 0, xml))
            return
        url, body = self._request(account, xml)
        for attempt in range(1, ATTEMPTS + 1):
            if self.sandbox.stopping.is_set() or generation != self.generation:
                return
            started = time.monotonic()
            status, error = self._post(url, body)
            ok = status is not None and 200 <= status < 300
            record = Attempt(event_id, appid, event, url, attempt, status, ok, error, 0, xml)
            if not self._record(generation, record) or ok:
                return
            if attempt < ATTEMPTS:
                spacing = self.sandbox.job_settings.retry_pause - (time.monotonic() - started)
                self.sandbox.stopping.wait(max(0.0, spacing))

    def _record(self, generation, attempt):
        attempt.time = self.sandbox.state.clock.now()
        with self.lock:
            if generation != self.generation:
                return False
            self.attempts.append(attempt)
            return True

    def as_list(self, event=None, appid=None):
        with self.lock:
            return [
                asdict(a)
                for a in self.attempts
                if (event is None or a.event == event) and (appid is None or a.appid == appid)
            ]

    def clear(self):
        with self.lock:
            self.attempts.clear()
            self.events.clear()
            self.generation += 1
