"""The fault soak: 200 articles pushed by real django-q2 clusters through a sandbox that keeps failing.

The sandbox is a real server on a loopback port; `manage.py qcluster` processes (two workers each) share the test
database (a SQLite file, or PostgreSQL) and the broker (the ORM broker, or Redis when REDIS_URL is set); the site
is pytest-django's live server, so PUBLISHJOBFINISH / MASSSENDJOBFINISH come back through the real callback
endpoint, and results are also polled when late; a thread sweeps as the schedule does. The sandbox answers 20 % of
calls with -1 (system busy), stalls 5 % past the client's timeout (25 % of `freepublish/submit`, so lost answers
surely happen) and refuses each new token once with 40001. Mid-run, each while a worker holds a push:

- one cluster is SIGKILLed (a replacement starts);
- WeChat's endpoint is down for 3 s (connections refused, kept-alive ones closed) and comes back on the same port
  with all it held, as after an outage (`SandboxServer.outage()` / `serve_again()`);
- another cluster is stopped as a deploy stops it, SIGTERM to its main process (a replacement starts): it must exit
  by itself, its worker finishing its step and letting go of the push.

Every article must end published exactly once (the sandbox holds one publication per article, and no draft
is submitted twice), nothing is lost, and the two articles WeChat would refuse are parked with their reason.
Three mass-send accounts (a service account sends to everyone once a day) time out every `sendall` until each of
their pushes has lost an answer: asking again with the same clientmsgid (45065) recovers the msg_id without a second
send, unless the send's result event comes first and is matched to the push (`results.match_mass_event`).

The faults come from a seeded random sequence, 2026 unless `SOAK_SEED` says otherwise; every failure names the seed,
and `SOAK_SEED=<n> pytest tests/wechat_channel/delivery/test_soak.py` replays the same sequence (which call meets which
fault still depends on the processes' timing).
"""

import collections
import contextlib
import functools
import os
import threading
import time
import uuid

import pytest
import requests
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django_q.brokers import get_broker
from django_q.conf import Conf
from django_q.tasks import async_task

from tests.live_processes import ProcessGroup, poll
from tests.wechat_channel.delivery import soak_config
from tests.wechat_channel.delivery.soak_adapter import NO_COVER
from tests.wechat_channel.delivery.soak_cluster import Cluster
from tests.wechat_channel.delivery.soak_data import articles, plan
from tests.wechat_channel.sandbox_access import wait_for
from wechat_channel import tasks
from wechat_channel.models import Push, PushEvent, PushItem, WeChatAccount
from wechat_channel.sandbox.server import SandboxServer

pytestmark = [pytest.mark.soak, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLISH_APPID = "wx50a150a150a150a1"  # not the other tests' appid: with Redis the token cache is shared
# A service account sends to everyone once a day (Batch_Sends): one mass push for each of three accounts.
MASS_APPIDS = ("wx50a250a250a250a2", "wx50a350a350a350a3", "wx50a450a450a450a4")
SECRET = "soak-sandbox-secret"
CALLBACK_TOKEN = "soak-callback-token"
ARTICLES, PER_PUSH = 200, 8
REFUSED = (17, 130)  # articles without a cover, which WeChat refuses: parked before any upload
MASS_PUSHES, MASS_PER_PUSH = 3, 4
SETTLE_SECONDS = 240
SWEEP_EVERY = 1.0
CHECKING_TIMEOUT = soak_config.TIMEOUT + 0.3  # the sandbox stalls injected timeouts this long
OUTAGE_SECONDS = 3.0  # longer than a stalled call, so calls received before the outage have taken effect after it
STOP_SECONDS = 60  # a graceful stop lets the workers finish their tasks; systemd's TimeoutStopSec (operations.md)
SEED = int(os.environ.get("SOAK_SEED", "2026"))
REPLAY = f"fault seed {SEED}; replay with SOAK_SEED={SEED} pytest tests/wechat_channel/delivery/test_soak.py"

ALWAYS = {"system_error": 0.2, "timeout": 0.05}
FAULTS = {
    "seed": SEED,
    "invalid_credential_once": True,
    "timeout_seconds": CHECKING_TIMEOUT,
    "paths": {"*": ALWAYS, "freepublish/submit": {**ALWAYS, "timeout": 0.25}},
}
SENDALL_LOST = {"message/mass/sendall": {**ALWAYS, "timeout": 1.0}}  # until every mass push lost an answer


@pytest.fixture
def soak_sandbox():
    print(f"soak: {REPLAY}")
    server = SandboxServer(
        port=0,
        seed=SEED,
        accounts={PUBLISH_APPID: SECRET, **dict.fromkeys(MASS_APPIDS, SECRET)},
        publishing={"retry_pause": 0.05, "clientmsgid_spacing": 1.0},
    ).start()
    yield server
    server.stop()


@pytest.fixture
def queue(monkeypatch):
    """The name of a queue of this run's own; the test process queues into it instead of running tasks inline."""
    name = f"soak-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "CLUSTER_NAME", name)
    monkeypatch.setattr(Conf, "PREFIX", name)  # tasks are signed with it as salt
    yield name
    get_broker(name).purge_queue()


@pytest.fixture
def accounts(soak_sandbox, live_server, settings, monkeypatch):
    settings.WECHAT_CHANNEL = soak_config.WECHAT_CHANNEL
    monkeypatch.setenv("WECHAT_SOAK_SECRET", SECRET)
    monkeypatch.setenv("WECHAT_SOAK_CALLBACK_TOKEN", CALLBACK_TOKEN)
    made = {}
    masses = [(f"soak-mass-{n}", appid, "mass_send") for n, appid in enumerate(MASS_APPIDS)]
    for slug, appid, mode in (("soak-publish", PUBLISH_APPID, "publish"), *masses):
        cache.delete_many([f"wechat_channel:{appid}_access_token", f"wechat_channel:{appid}_access_token_lock"])
        made.setdefault(mode, []).append(
            WeChatAccount.objects.create(
                name=slug,
                slug=slug,
                appid=appid,
                kind=WeChatAccount.Kind.SERVICE,
                verified=True,
                secret_env="WECHAT_SOAK_SECRET",
                callback_token_env="WECHAT_SOAK_CALLBACK_TOKEN",
                callback_mode=WeChatAccount.CallbackMode.PLAIN,
                api_base_url=soak_sandbox.url,
                delivery_mode=mode,
            )
        )
        control(
            soak_sandbox,
            "accounts",
            {
                "appid": appid,
                "secret": SECRET,
                "kind": "service",
                "verified": True,
                "callback_url": live_server.url + reverse("wechat_callback", args=[slug]),
                "callback_token": CALLBACK_TOKEN,
            },
        )
    return made


@pytest.fixture
def clusters(queue, tmp_path):
    """Start clusters with `start(name)`; all are stopped before the test database is flushed."""
    group = ProcessGroup()

    def start(name):
        return group.add(Cluster(name, queue, connection.settings_dict["NAME"], tmp_path)).start()

    yield start
    group.stop_all()


def control(sandbox, name, body):
    response = requests.post(f"{sandbox.url}/sandbox/{name}", json=body, timeout=5)
    response.raise_for_status()
    return response.json()


def replayable(test):
    """Add the fault seed, and how to replay it, to whatever makes `test` fail."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        try:
            return test(*args, **kwargs)
        except Exception as exc:
            exc.add_note(REPLAY)
            raise

    return run


class Timeline:
    """Seconds from the first push queued to each thing the soak did, for its report."""

    def __init__(self):
        self.start, self.marks = time.monotonic(), []

    def mark(self, what):
        self.marks.append(f"{what} {time.monotonic() - self.start:.1f} s")

    def __str__(self):
        return ", ".join(self.marks)


def held_mid_run(holds, seconds=30):
    """Wait until a worker for which `holds(claimed_by)` is true holds a push mid-send (or, failing that, mid-anything);
    that push's (pk, state, claimed_by), or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        claimed = Push.objects.exclude(claimed_by="").values_list("pk", "state", "claimed_by")
        mine = [entry for entry in claimed if holds(entry[2])]
        sending = [entry for entry in mine if entry[1] in (Push.State.SENDING, Push.State.DRAFTED)]
        if sending or (mine and time.monotonic() > deadline - seconds / 2):
            return (sending or mine)[0]
        time.sleep(0.02)
    return None


def outage(server):
    """WeChat's endpoint down for OUTAGE_SECONDS, then back on the same port with everything it held."""
    server.outage()
    try:
        time.sleep(OUTAGE_SECONDS)  # the outage's length, not a wait for an outcome
    finally:
        server.serve_again()


@contextlib.contextmanager
def schedule(sandbox, mass_pushes):
    """Beside the clusters, every SWEEP_EVERY s: sweep while the queue is empty (the real schedule sweeps every
    minute), and end the `sendall` timeouts once each mass push has lost an answer. Yields the errors it met."""
    errors, done = [], threading.Event()

    def run():
        eased = False
        try:
            while not done.wait(SWEEP_EVERY):
                try:
                    if not eased and all(push.events.filter(action="answer_lost").exists() for push in mass_pushes):
                        control(sandbox, "faults", FAULTS)
                        eased = True
                    if get_broker().queue_size() == 0:
                        tasks.sweep()
                except requests.ConnectionError:
                    pass  # the sandbox's outage: asked again next time
                except Exception as exc:  # noqa: BLE001 - shown in the soak's report
                    errors.append(repr(exc))
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="soak-schedule", daemon=True)
    thread.start()
    try:
        yield errors
    finally:
        done.set()
        thread.join(timeout=30)


def settle(pushes, seconds=SETTLE_SECONDS):
    """Wait until every push is done or failed; the pushes' states."""

    def states():
        return collections.Counter(Push.objects.filter(pk__in=pushes).values_list("state", flat=True))

    poll(lambda: set(states()) <= {Push.State.DONE, Push.State.FAILED}, seconds, every=0.2)
    return states()


def submissions(calls, pushes, drafts):
    """Which push each submitted draft belongs to, with every call that touched it; then every call on a draft no
    push recorded, and every submit of a draft none of `pushes` recorded, with its owner or the titles `drafts` (the
    sandbox's draft box) still holds (for a failure's message)."""
    lines, listed = [], set()
    for push in pushes:
        ids = {event.data.get("media_id") for event in push.events.all() if event.data.get("media_id")}
        listed |= ids
        lines.append(f"push {push.pk}: {' '.join(push.events.values_list('action', flat=True))} drafts={ids}")
        for call in calls:
            if any(media_id and media_id in (call["fingerprint"] or "") for media_id in ids):
                lines.append(f"  {call['time']:.2f} {call['path']} {call['errcode']} {call['latency_ms']:.0f}ms")
    owners = {event.data.get("media_id"): event.push_id for event in PushEvent.objects.all()}
    for call in calls:
        media_id = (call["fingerprint"] or "").partition("media_id=")[2].split(" ")[0]
        submit = call["path"].endswith("freepublish/submit")
        if (media_id and media_id not in owners) or (submit and media_id not in listed):
            draft = drafts.drafts.get(media_id)
            titles = [article.get("title") for article in draft.articles] if draft else None
            lines.append(
                f"{'unowned' if media_id not in owners else 'other'} {call['time']:.2f} {call['path']} "
                f"{call['errcode']} {call['latency_ms']:.0f}ms {call['fingerprint']!r} push={owners.get(media_id)} "
                f"titles={titles}"
            )
    return "\n".join(lines)


def history(push):
    """The push's history with times and data (for a failure's message)."""
    return "\n".join(f"{event.at:%H:%M:%S.%f} {event.action} {event.data}" for event in push.events.order_by("pk"))


def report(pushes, clusters_started, schedule_errors=()):
    lines = [f"schedule: {error}" for error in schedule_errors]
    for push in Push.objects.filter(pk__in=pushes).exclude(state__in=(Push.State.DONE,)):
        history = ", ".join(push.events.values_list("action", flat=True))
        lines.append(f"push {push.pk} {push.state} attempts={push.attempts} {push.error_message[:200]} [{history}]")
        lines += [f"  {item.title}: {item.state} {item.error_message[:200]}" for item in push.items.all()]
    for cluster in clusters_started:
        lines.append(f"--- {cluster.name} (alive={cluster.alive()})\n{cluster.log_tail()}")
    return "\n".join(lines)


@replayable
def test_every_article_is_published_exactly_once_through_faults_an_outage_and_stopped_workers(
    index, accounts, soak_sandbox, clusters, queue
):
    started = time.monotonic()
    mass_pages = articles(index, "soak-mass", MASS_PUSHES * MASS_PER_PUSH)
    mass = [
        push
        for n, account in enumerate(accounts["mass_send"])
        for push in plan(
            account, mass_pages[n * MASS_PER_PUSH : (n + 1) * MASS_PER_PUSH], MASS_PER_PUSH, Push.Mode.MASS_SEND
        )
    ]
    published = plan(
        accounts["publish"][0], articles(index, "soak", ARTICLES, refused=REFUSED), PER_PUSH, Push.Mode.PUBLISH
    )
    everything = [push.pk for push in mass + published]
    control(soak_sandbox, "faults", {**FAULTS, "paths": {**FAULTS["paths"], **SENDALL_LOST}})

    doomed, stopped = clusters("cluster-a"), clusters("cluster-b")
    started_clusters = [doomed, stopped]
    timeline = Timeline()
    with schedule(soak_sandbox, mass) as schedule_errors:
        for push_pk in everything:
            async_task("wechat_channel.tasks.advance_push", push_pk, group="wechat_channel")
        killed = held_mid_run(doomed.holds)
        doomed.kill()
        timeline.mark("SIGKILL")
        started_clusters.append(clusters("cluster-c"))

        live = [cluster for cluster in started_clusters if cluster.alive()]
        in_flight = held_mid_run(lambda holder: any(cluster.holds(holder) for cluster in live))
        timeline.mark("outage")
        outage(soak_sandbox)
        timeline.mark("back")

        terminated = held_mid_run(stopped.holds)
        stopped.terminate()  # what a deploy's `systemctl stop` sends (KillMode=mixed)
        timeline.mark("SIGTERM")
        started_clusters.append(clusters("cluster-d"))
        assert poll(lambda: not stopped.alive(), STOP_SECONDS), f"SIGTERM did not stop it:\n{stopped.log_tail()}"
        timeline.mark("exited")
        assert stopped.process.returncode == 0, stopped.log_tail()
        assert poll(lambda: not stopped.group_alive(), 10), "workers were left running after the sentinel exited"
        # Its worker finished the step it was in and let go of the push (a killed one leaves it to its lease).
        assert terminated is not None, f"{stopped.name} held no push"
        assert not Push.objects.filter(claimed_by=terminated[2]).exists(), f"{terminated} still held after the stop"

        states = settle(everything)
        timeline.mark("settled")
    elapsed = time.monotonic() - started
    assert states == {Push.State.DONE: len(everything)}, report(everything, started_clusters, schedule_errors)
    # Polling settles a push 3 s after sending when its result event is late (soak_config); the event still
    # brings the articles' URLs when it comes.
    wait_for(
        lambda: (
            not PushItem.objects.filter(push__in=everything, state=PushItem.State.PUBLISHED, wechat_url="").exists()
        ),
        seconds=SETTLE_SECONDS,
    )

    calls = soak_sandbox.calls.as_list()
    sandbox = soak_sandbox.sandbox
    events = collections.Counter(PushEvent.objects.values_list("action", flat=True))
    hits = collections.Counter(call["errcode"] for call in calls)
    stalled = sum(1 for call in calls if call["latency_ms"] >= CHECKING_TIMEOUT * 1000)
    print(
        f"\nsoak: {len(everything)} pushes settled in {elapsed:.1f} s; {len(calls)} calls, -1 ×{hits[-1]}, "
        f"40001 ×{hits[40001]}, 45065 ×{hits[45065]}, 45066 ×{hits[45066]}, stalled past the timeout ×{stalled}; "
        f"SIGKILL holding {killed}; outage with {in_flight} in flight; SIGTERM holding {terminated}, "
        f"exit status {stopped.process.returncode}; {timeline}; events {dict(sorted(events.items()))}; {REPLAY}"
    )

    # Every article is on WeChat with its URL, the refused ones parked with WeChat's reason.
    for push in mass + published:
        for item in push.items.order_by("position"):
            if item.title.endswith(NO_COVER):
                assert item.state == PushItem.State.FAILED and "封面" in item.error_message, item.error_message
            else:
                assert item.state == PushItem.State.PUBLISHED, (item.title, item.state)
                assert item.wechat_url.startswith(soak_sandbox.url + "/s/")
        assert push.events.filter(action="done").count() == 1, history(push)

    # Exactly once: one publication (or mass send) per push, and each article in exactly one of them.
    jobs = list(sandbox.publisher.jobs.values())
    sends = list(sandbox.mass.sends.values())
    assert len(jobs) == len(published) and len(sends) == len(mass)
    out = collections.Counter(article["title"] for job in jobs + sends for article in job.articles)
    expected = [item.title for push in mass + published for item in push.items.all()]
    assert out == {title: 1 for title in expected if not title.endswith(NO_COVER)}
    # WeChat accepted one draft per push, once: a draft leaves the draft box when accepted, so a second submit of
    # it is refused (40007) and publishes nothing. And one draft was ever submitted per push: a CI run once logged
    # 26 for 25 pushes, a lost submit acted on late and its push drafting again (fixed in 1b2ec54, CHANGELOG).
    # `submissions` lists every submit by push when this fails.
    submits = [call for call in calls if call["path"].endswith("freepublish/submit")]
    accepted = collections.Counter(call["fingerprint"] for call in submits if call["errcode"] == 0)
    explain = functools.partial(submissions, calls, published, sandbox.drafts)
    assert len(accepted) == len(published) and set(accepted.values()) == {1}, explain()
    assert len({call["fingerprint"] for call in submits}) == len(published), explain()
    assert len({send.clientmsgid for send in sends}) == len(mass)

    # The faults really hit: busy answers, refused tokens, lost answers reconciled, a killed worker's push.
    assert hits[-1] > 20 and hits[40001] >= 1 and stalled >= 3
    assert events["retry_later"] >= 5 and events["answer_lost"] >= len(mass) + 1 and events["reconciled"] >= 2
    # A lost sendall answer recovered by asking again with its clientmsgid, or by its result event, matched.
    assert hits[45065] + PushEvent.objects.filter(data__text="mass_event_matched").count() >= 1
    assert killed is not None and Push.objects.get(pk=killed[0]).state == Push.State.DONE
    assert Push.objects.get(pk=terminated[0]).state == Push.State.DONE
    # The outage met pushes in flight: their calls were refused (or cut off) and they went on afterwards.
    assert in_flight is not None
    assert any(
        (event.data.get("error") or {}).get("reason") == "connection"
        for event in PushEvent.objects.filter(action__in=("retry_later", "answer_lost"))
    )
    assert not Push.objects.filter(state=Push.State.FAILED, error_message="").exists()
