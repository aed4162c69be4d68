"""WeChat push benchmark: the call budget, the plugin's CPU per article against bare wechatpy, two workers.

Run with `make bench` (or `.venv/bin/python bench/wechat_push.py [--articles 100,500] [--runs N] [--latency-ms N]`).
Uses the test settings with a throwaway SQLite file; the sandbox (a real HTTP server on a loopback port, a fresh
one with a new account for every run) runs in a forked child process. The articles are
tests/wechat_channel/delivery/soak_adapter.py's: three images each, two of them shared by all, and a cover of
their own. Prints the machine, the date and Markdown tables, then one line per target
(`PASS|MISSED <name> <measured> <target>`, bench/targets.py), and exits 1 when one is missed:

- pushing the articles (publish mode, pushes of 8) makes exactly the minimal calls: one token, one upload
  per distinct image and cover, one draft and one publish per push;
- at each size in --articles, the plugin's CPU time is at most 1.25 times a bare wechatpy script's making the
  same calls with the same drafts to a fresh sandbox (medians of --runs runs, taken in turn after a warm-up).
  CPU time is `time.process_time()` of this process while it pushes: the plugin's worker thread with its
  SQLite work (in process), or the bare script's one thread; requests and wechatpy on both sides. The
  sandbox, WeChat's stand-in, is another process and is charged to neither. After the warm-up the process
  freezes what it holds (`gc.freeze()`), as a worker does after start-up (cms/processes/startup.py), for both sides;
- with --latency-ms of sandbox latency on every call, two workers (threads, each with its own database
  connection) push the same pushes at least 1.7 times as fast as one (median of --throughput-runs).
"""

import argparse
import collections
import gc
import importlib.metadata
import io
import itertools
import multiprocessing
import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORKDIR = tempfile.TemporaryDirectory(prefix="newsroom-bench-")

# Configuration is read at import of the settings: set it before django.setup().
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR.name}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{WORKDIR.name}/media"
os.environ["WECHAT_BENCH_SECRET"] = "bench-sandbox-secret"  # noqa: S105 - a sandbox account's secret
os.environ.pop("REDIS_URL", None)  # locmem cache, as in the test settings
sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402
import requests  # noqa: E402
from machine import describe  # noqa: E402 - bench/ is on sys.path when run
from targets import Targets  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from wechatpy import WeChatClient  # noqa: E402

from cms.demo.site import ensure_site  # noqa: E402
from tests.wechat_channel.delivery.soak_adapter import SHARED, SyntheticAdapter, own_src, picture  # noqa: E402
from tests.wechat_channel.delivery.soak_data import articles, plan  # noqa: E402
from wechat_channel import delivery  # noqa: E402
from wechat_channel.content.article import render_content  # noqa: E402
from wechat_channel.models import Push, WeChatAccount  # noqa: E402
from wechat_channel.sandbox.server import SandboxServer  # noqa: E402

SECRET_ENV = "WECHAT_BENCH_SECRET"  # noqa: S105 - the name of the variable, not a secret
SECRET = os.environ[SECRET_ENV]
PER_PUSH = 8
THROUGHPUT_PER_PUSH = 4  # more, smaller pushes so two workers can share them evenly
OVERHEAD_TARGET = 1.25  # by CPU time
SPEEDUP_TARGET = 1.7
_appids = itertools.count(1)


def machine():
    return describe(
        django=django.get_version(),
        wechatpy=importlib.metadata.version("wechatpy"),
        database=f"SQLite {connection.Database.sqlite_version} (temporary file)",
    )


def _serve(conn, appid, latency_ms):
    """The forked child: one sandbox until the parent asks for its calls."""
    server = SandboxServer(port=0, seed=1, accounts={appid: SECRET}).start()
    if latency_ms:
        server.faults.configure({"paths": {"*": {"slow": 1.0, "slow_ms": latency_ms}}})
    conn.send(server.url)
    conn.recv()
    conn.send(calls_by_path(server))
    server.stop()


class Sandbox:
    """A fresh sandbox with one new account (nothing cached on WeChat's side yet), in a child process."""

    def __init__(self, latency_ms=0):
        self.appid = f"wx{next(_appids):016x}"
        self.conn, child = multiprocessing.Pipe()
        context = multiprocessing.get_context("fork")  # the child needs no Django, only the sandbox's code
        self.process = context.Process(target=_serve, args=(child, self.appid, latency_ms), daemon=True)
        self.process.start()
        self.url = self.conn.recv()

    def stop(self):
        """Stop it; the calls it answered, by path."""
        self.conn.send("calls")
        calls = self.conn.recv()
        self.process.join(timeout=10)
        return calls


def calls_by_path(server):
    return collections.Counter(call["path"].removeprefix("/cgi-bin/") for call in server.calls.as_list())


def minimal_calls(count, per_push):
    pushes = -(-count // per_push)
    return {
        "stable_token": 1,
        "media/uploadimg": len(SHARED) + count,  # two shared images, one of each article's own
        "material/add_material": count,  # each article's cover
        "draft/add": pushes,
        "freepublish/submit": pushes,
    }


# The plugin: delivery.advance over the pushes, as the task workers run it.


def plugin_run(pages, per_push, workers=1, latency_ms=0):
    """(seconds, CPU seconds of this process, calls) for `workers` threads to take every push to "submitted"."""
    server = Sandbox(latency_ms)
    account = WeChatAccount.objects.create(
        name=server.appid,
        slug=server.appid,
        appid=server.appid,
        kind=WeChatAccount.Kind.SERVICE,
        verified=True,
        secret_env=SECRET_ENV,
        api_base_url=server.url,
        delivery_mode=WeChatAccount.DeliveryMode.PUBLISH,
    )
    todo = queue.SimpleQueue()
    pushes = plan(account, pages, per_push, Push.Mode.PUBLISH)
    for push in pushes:
        todo.put(push.pk)
    errors = []

    def work():
        try:
            while True:
                try:
                    push_pk = todo.get_nowait()
                except queue.Empty:
                    return
                delivery.advance(push_pk)
        except Exception as exc:  # noqa: BLE001 - reported below, the run then fails
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=work) for _ in range(workers)]
    started, started_cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    calls = server.stop()
    states = collections.Counter(Push.objects.filter(account=account).values_list("state", flat=True))
    if errors or states != {Push.State.SUBMITTED: len(pushes)}:
        raise SystemExit(f"the plugin did not submit every push: {dict(states)} {errors[:1]}")
    return elapsed, cpu, calls


# The same calls from a bare wechatpy script: the drafts' HTML is made beforehand, only the calls are timed.


class BareClient(WeChatClient):
    """wechatpy pointed at the sandbox, taking its token from `stable_token` as the plugin does."""

    def __init__(self, base_url, appid):
        super().__init__(appid, SECRET, timeout=10)
        self.API_BASE_URL = base_url + "/cgi-bin/"

    def fetch_access_token(self):
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        result = self._http.post(self.API_BASE_URL + "stable_token", json=body, timeout=10).json()
        self.session.set(self.access_token_key, result["access_token"], result["expires_in"])
        self.expires_at = int(time.time()) + result["expires_in"]
        return result


def bare_articles(pages):
    """Per page: the plugin's own draft fields, with its image URLs left as placeholders to fill in."""
    prepared = []
    for page in pages:
        adapter = SyntheticAdapter(page)
        srcs = [*SHARED, own_src(page.pk)]
        content = render_content(adapter, image_url=lambda src: f"{{{src}}}")
        fields = {
            "title": adapter.title(),
            "author": adapter.author(),
            "digest": adapter.digest(),
            "content": content,
            "content_source_url": adapter.source_url(),
            "need_open_comment": 1,
            "only_fans_can_comment": 0,
        }
        prepared.append((fields, {src: picture(src) for src in srcs}, picture(own_src(page.pk))))
    return prepared


def named(data):
    stream = io.BytesIO(data)
    stream.name = "image.png"
    return stream


def bare_run(prepared, per_push):
    """(seconds, CPU seconds of this process, calls) for the same pushes made by bare wechatpy."""
    server = Sandbox()
    client = BareClient(server.url, server.appid)
    urls = {}
    started, started_cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(prepared), per_push):
        batch = []
        for fields, images, cover in prepared[start : start + per_push]:
            content = fields["content"]
            for src, data in images.items():
                if src not in urls:
                    urls[src] = client.media.upload_image(named(data))
                content = content.replace(f"{{{src}}}", urls[src])
            thumb = client.material.add("image", named(cover))["media_id"]
            batch.append({**fields, "content": content, "thumb_media_id": thumb})
        media_id = client.post("draft/add", data={"articles": batch})["media_id"]
        client.post("freepublish/submit", data={"media_id": media_id})
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return elapsed, cpu, server.stop()


def compare(pages, runs):
    """Plugin and bare runs taken in turn (which goes first alternates), after one warm-up of each."""
    prepared = bare_articles(pages)
    plugin_run(pages, PER_PUSH)  # warm-up: imports, connections, templates
    bare_run(prepared, PER_PUSH)
    # As a worker does after start-up (cms/processes/startup.py, django-q2's post_spawn): what lives as long as the
    # process (here also the pages and the bare script's drafts) leaves the collector's generations, for both sides.
    gc.freeze()
    plugin, bare = [], []
    for run in range(runs):
        pair = [lambda: plugin.append(plugin_run(pages, PER_PUSH)), lambda: bare.append(bare_run(prepared, PER_PUSH))]
        for measure in pair if run % 2 == 0 else reversed(pair):
            measure()
    return plugin, bare


def median(runs, index):
    return statistics.median(run[index] for run in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="100,500", help="sizes compared, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs of each side per size, taken in turn")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--throughput-articles", type=int, default=100)
    parser.add_argument("--throughput-runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(size) for size in args.articles.split(",")]
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.soak_adapter.SyntheticAdapter"},
        "RESULT_POLL_AFTER_SECONDS": 3600,  # the benchmark stops at "submitted": no result polling
    }
    info = machine()
    setup_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _home, index = ensure_site()
    pages = articles(index, "bench", max([*sizes, args.throughput_articles]))
    setup = time.perf_counter() - setup_started
    requests.Session()  # import cost out of the way

    compared = {size: compare(pages[:size], args.runs) for size in sizes}
    throughput = {1: [], 2: []}
    for _run in range(args.throughput_runs):
        for workers in (1, 2):
            elapsed, _cpu, _calls = plugin_run(
                pages[: args.throughput_articles], THROUGHPUT_PER_PUSH, workers=workers, latency_ms=args.latency_ms
            )
            throughput[workers].append(elapsed)
    speedup = statistics.median(throughput[1]) / statistics.median(throughput[2])
    pushes = -(-args.throughput_articles // THROUGHPUT_PER_PUSH)

    print("## Machine and date\n")
    for key, value in info.items():
        print(f"- {key}: {value}")
    print(f"\nSetup (migrate, {len(pages)} article pages): {setup:.1f} s.\n")
    targets = Targets()
    for size, (plugin, bare) in compared.items():
        minimum = minimal_calls(size, PER_PUSH)
        plugin_calls, bare_calls = plugin[-1][2], bare[-1][2]
        print(f"### Calls for {size} articles in pushes of {PER_PUSH}\n")
        print("| path | minimum | plugin | bare wechatpy |\n| --- | ---: | ---: | ---: |")
        for path in sorted(set(minimum) | set(plugin_calls) | set(bare_calls)):
            print(f"| `{path}` | {minimum.get(path, 0)} | {plugin_calls.get(path, 0)} | {bare_calls.get(path, 0)} |")
        cpu_ratio = median(plugin, 1) / median(bare, 1)
        wall_ratio = median(plugin, 0) / median(bare, 0)
        print(f"\n### {size} articles: time per article (median of {args.runs} runs each, in turn, no added latency)\n")
        print("| client | CPU ms per article | wall ms per article | CPU of each run (s) |")
        print("| --- | ---: | ---: | --- |")
        for label, runs in (("plugin (`delivery.advance`)", plugin), ("bare wechatpy", bare)):
            print(
                f"| {label} | {median(runs, 1) / size * 1000:.2f} | {median(runs, 0) / size * 1000:.2f} "
                f"| {', '.join(f'{run[1]:.3f}' for run in runs)} |"
            )
        print(f"| **ratio** | **{cpu_ratio:.2f}** (target ≤ {OVERHEAD_TARGET}) | {wall_ratio:.2f} | |\n")
        for side, calls in (("plugin", plugin_calls), ("bare", bare_calls)):
            if dict(calls) != minimum:
                print(f"The {side}'s calls differ from the minimum: {dict(calls)}\n")
            targets.equal(
                f"wechat.{side}_calls.{size}", sum(calls.values()), sum(minimum.values()), ok=dict(calls) == minimum
            )
        targets.at_most(f"wechat.cpu_ratio.{size}", cpu_ratio, OVERHEAD_TARGET)
    print(f"### Throughput with {args.latency_ms} ms per call ({pushes} pushes of {THROUGHPUT_PER_PUSH})\n")
    print("| workers | seconds (median) | articles per second | runs (s) |\n| ---: | ---: | ---: | --- |")
    for workers, runs in throughput.items():
        elapsed = statistics.median(runs)
        print(
            f"| {workers} | {elapsed:.2f} | {args.throughput_articles / elapsed:.1f} "
            f"| {', '.join(f'{run:.2f}' for run in runs)} |"
        )
    print(f"| **speed-up** | **{speedup:.2f}×** (target ≥ {SPEEDUP_TARGET}) | | |")
    targets.at_least("wechat.speedup_two_workers", speedup, SPEEDUP_TARGET)
    return targets.report()


if __name__ == "__main__":
    sys.exit(main())
