"""The journey harness: the site, a django-q2 cluster and the WeChat sandbox as real processes on loopback ports.

All three share the test's database (tests/browser/journey_settings.py); the site enqueues work for real and the
cluster runs it; the sandbox delivers its job results to the site's callback endpoint. `journey.site`,
`journey.worker` and `journey.sandbox` can each be restarted (or the worker killed) mid-test; ports, queue and
directories stay the same, so a restarted process finds everything it needs in the database, the media and mail
directories and the file cache. The test process queues into the same queue (Conf patched), so anything the
test itself sets off also runs in the cluster, never inline.
"""

import email
import email.header
import re
import uuid

from django.db import connection
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.models import Task
from django_q.tasks import async_task

from tests.live_processes import LiveProcess, ProcessGroup, answers, free_ports, poll
from wechat_channel.models import WeChatAccount

SETTINGS = "tests.browser.journey_settings"
APPID = "wx70a0e70a0e70a0e7"  # the journeys' own appid: with a shared token cache it is never another test's
SECRET = "journey-sandbox-secret"
CALLBACK_TOKEN = "journey-callback-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT_SLUG = "journey"
STATUS_LINK = re.compile(r"/contribute/status/[^/\s\"<>]+/")
SERVER_ERROR = re.compile(r'" 5\d\d \d+$|^Traceback ', re.MULTILINE)
# Seconds between the sandbox's attempts to deliver an event (WeChat waits 5 s): a journey that makes the site miss
# one waits this long, not 5 s, for the next try.
RETRY_PAUSE = "0.5"


class WorkerRunsATask:
    """Readiness of a cluster: a probe task queued at this start has been run and its result saved."""

    def __init__(self):
        self.probes = {}

    def __call__(self, process):
        if process.starts not in self.probes:
            self.probes[process.starts] = async_task("os.getpid", group="journey-probe")
        return Task.objects.filter(id=self.probes[process.starts]).exists()


class Journey:
    def __init__(self, work_dir, monkeypatch):
        self.work_dir = work_dir
        self.queue = f"journey-{uuid.uuid4().hex[:8]}"
        # The test process queues into the cluster's queue too (tasks are signed with the prefix as salt).
        monkeypatch.setattr(Conf, "SYNC", False)
        monkeypatch.setattr(Conf, "CLUSTER_NAME", self.queue)
        monkeypatch.setattr(Conf, "PREFIX", self.queue)
        site_port, sandbox_port = free_ports(2)
        self.url = f"http://127.0.0.1:{site_port}"
        self.sandbox_url = f"http://127.0.0.1:{sandbox_port}"
        self.callback_url = f"{self.url}/wechat/callback/{ACCOUNT_SLUG}/"
        (work_dir / "mail").mkdir(parents=True, exist_ok=True)
        env = {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "JOURNEY_DIR": str(work_dir),
            "JOURNEY_DB_NAME": str(connection.settings_dict["NAME"]),
            "JOURNEY_QUEUE": self.queue,
            "JOURNEY_SITE_URL": self.url,
            "WECHAT_JOURNEY_SECRET": SECRET,
            "WECHAT_JOURNEY_TOKEN": CALLBACK_TOKEN,
            "WECHAT_JOURNEY_AES_KEY": AES_KEY,
        }
        self.group = ProcessGroup()
        self.sandbox = self.group.add(
            LiveProcess(
                "sandbox",
                [
                    "wechat_sandbox",
                    *("--port", str(sandbox_port), "--account", f"{APPID}:{SECRET}", "--kind", "service"),
                    *("--unverified", "--callback-url", self.callback_url),
                    *("--callback-token-env", "WECHAT_JOURNEY_TOKEN", "--aes-key-env", "WECHAT_JOURNEY_AES_KEY"),
                    *("--retry-pause", RETRY_PAUSE),
                ],
                env,
                work_dir,
                ready=answers(f"{self.sandbox_url}/sandbox/deliveries"),
            )
        )
        self.site = self.group.add(
            LiveProcess(
                "site",
                ["runserver", "--noreload", "--insecure", "--skip-checks", f"127.0.0.1:{site_port}"],
                env,
                work_dir,
                ready=answers(f"{self.url}/admin/login/"),
            )
        )
        self.worker = self.group.add(LiveProcess("worker", ["qcluster"], env, work_dir, ready=WorkerRunsATask()))

    def start(self):
        """The sandbox and the site side by side, then the worker: the site listens before any work is released."""
        for process in (self.sandbox, self.site):
            process.launch()
        for process in (self.sandbox, self.site):
            process.wait_ready()
        self.worker.start()
        return self

    def stop(self):
        self.group.stop_all()

    def mails(self, to=None):
        """The e-mails the site and the worker wrote so far, as `email.message.Message`s, oldest first."""
        found = []
        for path in sorted((self.work_dir / "mail").glob("*.log"), key=lambda p: p.stat().st_mtime):
            for raw in path.read_bytes().split(b"-" * 79):
                if raw.strip():
                    message = email.message_from_bytes(raw.lstrip())  # bytes: 8bit bodies decode as sent
                    if to is None or to in message.get("To", ""):
                        found.append(message)
        return found

    def idle(self, seconds=30):
        """True once the cluster has nothing queued or running: whatever was set off so far has run (ORM broker, as
        the journeys use; a task's row goes when it is acknowledged). For asserting that something did not happen."""
        broker = get_broker(self.queue)
        return poll(lambda: broker.queue_size() == 0 and broker.lock_size() == 0, seconds, every=0.2)

    def read_mails(self, to, seconds=30, count=1):
        """(subject, text) of each e-mail sent to `to`, as its reader sees them, once `count` have been sent."""
        messages = poll(lambda: len(found := self.mails(to)) >= count and found, seconds, every=0.2) or []
        return [read(message) for message in messages]

    def status_link(self, to, seconds=30):
        """The private status link (a path) in the receipt sent to `to`, once the worker has sent it."""

        def link():
            for message in self.mails(to):
                for part in message.walk():
                    payload = part.get_payload(decode=True)
                    if payload and (match := STATUS_LINK.search(payload.decode("utf-8", "replace"))):
                        return match.group(0)
            return None

        return poll(link, seconds, every=0.2)

    def server_errors(self):
        """Lines of the site's log that report a 5xx answer or a traceback."""
        return [
            line for line in self.site.log_path.read_text(errors="replace").splitlines() if SERVER_ERROR.search(line)
        ]


def read(message):
    """A message's subject and plain text, decoded as a mail program shows them."""
    subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
    text = "".join(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    return subject, text


def journey_account(journey):
    """The WeChat account the sandbox was started for: a service account, unverified, so pushes publish (发布)
    without notifying followers; its callbacks in safe mode (AES) at the journey's site."""
    return WeChatAccount.objects.create(
        name="瑞安学院",
        slug=ACCOUNT_SLUG,
        appid=APPID,
        kind=WeChatAccount.Kind.SERVICE,
        verified=False,
        api_base_url=journey.sandbox_url,
        secret_env="WECHAT_JOURNEY_SECRET",
        callback_token_env="WECHAT_JOURNEY_TOKEN",
        aes_key_env="WECHAT_JOURNEY_AES_KEY",
        callback_mode=WeChatAccount.CallbackMode.SAFE,
    )
