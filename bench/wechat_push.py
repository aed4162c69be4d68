"""WeChat push benchmark: the call budget, the plugin's cost per article against bare wechatpy, two workers.

Run with `make bench` (or `.venv/bin/python bench/wechat_push.py [--articles N] [--runs N] [--latency-ms N]`).
Uses the test settings with a throwaway SQLite file and an in-process sandbox (a real HTTP server on a
loopback port). The articles are tests/wechat_channel/delivery/soak_adapter.py's: three images each, two of them
shared by all, and a cover of their own. Prints the machine, the date and Markdown tables, and exits 1
when a target of the issue is missed:

- pushing the articles (publish mode, pushes of 8) makes exactly the minimal calls: one token, one upload
  per distinct image and cover, one draft and one publish per push;
- the plugin's time per article, against a bare wechatpy script making the same calls with the same drafts
  to a fresh sandbox, is at most 1.5 times as long (median of --runs runs each, after a warm-up);
- with --latency-ms of sandbox latency on every call, two workers (threads, each with its own database
  connection) push the same pushes at least 1.7 times as fast as one.
"""

import argparse
import collections
import importlib.metadata
import io
import itertools
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
OVERHEAD_TARGET = 1.5
SPEEDUP_TARGET = 1.7
_appids = itertools.count(1)


def machine():
    return describe(
        django=django.get_version(),
        wechatpy=importlib.metadata.version("wechatpy"),
        database=f"SQLite {connection.Database.sqlite_version} (temporary file)",
    )


def sandbox(latency_ms=0):
    """A fresh sandbox with one new account (so nothing is cached on WeChat's side yet); (server, appid)."""
    appid = f"wx{next(_appids):016x}"
    server = SandboxServer(port=0, seed=1, accounts={appid: SECRET}).start()
    if latency_ms:
        server.faults.configure({"paths": {"*": {"slow": 1.0, "slow_ms": latency_ms}}})
    return server, appid


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
    """Seconds for `workers` threads to take every push to "submitted", and the calls made."""
    server, appid = sandbox(latency_ms)
    account = WeChatAccount.objects.create(
        name=appid,
        slug=appid,
        appid=appid,
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
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    server.stop()
    states = collections.Counter(Push.objects.filter(account=account).values_list("state", flat=True))
    if errors or states != {Push.State.SUBMITTED: len(pushes)}:
        raise SystemExit(f"the plugin did not submit every push: {dict(states)} {errors[:1]}")
    return elapsed, calls_by_path(server)


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
    server, appid = sandbox()
    client = BareClient(server.url, appid)
    urls = {}
    started = time.perf_counter()
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
    elapsed = time.perf_counter() - started
    server.stop()
    return elapsed, calls_by_path(server)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=50)
    args = parser.parse_args()
    settings.WECHAT_CHANNEL = {
        "ADAPTERS": {"cms.ArticlePage": "tests.wechat_channel.delivery.soak_adapter.SyntheticAdapter"},
        "RESULT_POLL_AFTER_SECONDS": 3600,  # the benchmark stops at "submitted": no result polling
    }
    info = machine()
    setup_started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _home, index = ensure_site()
    pages = articles(index, "bench", args.articles)
    setup = time.perf_counter() - setup_started
    prepared = bare_articles(pages)
    requests.Session()  # import cost out of the way

    plugin_run(pages, PER_PUSH)  # warm-up: imports, connections, templates
    bare_run(prepared, PER_PUSH)
    plugin_times, bare_times = [], []
    for _run in range(args.runs):
        elapsed, plugin_calls = plugin_run(pages, PER_PUSH)
        plugin_times.append(elapsed)
        elapsed, bare_calls = bare_run(prepared, PER_PUSH)
        bare_times.append(elapsed)
    minimum = minimal_calls(args.articles, PER_PUSH)

    throughput = {}
    for workers in (1, 2):
        elapsed, _calls = plugin_run(pages, THROUGHPUT_PER_PUSH, workers=workers, latency_ms=args.latency_ms)
        throughput[workers] = elapsed

    plugin_ms = statistics.median(plugin_times) / args.articles * 1000
    bare_ms = statistics.median(bare_times) / args.articles * 1000
    overhead = plugin_ms / bare_ms
    speedup = throughput[1] / throughput[2]
    pushes = -(-args.articles // THROUGHPUT_PER_PUSH)

    print("## Machine and date\n")
    for key, value in info.items():
        print(f"- {key}: {value}")
    print(f"\nSetup (migrate, {args.articles} article pages): {setup:.1f} s.\n")
    print(f"### Calls for {args.articles} articles in pushes of {PER_PUSH}\n")
    print("| path | minimum | plugin | bare wechatpy |\n| --- | ---: | ---: | ---: |")
    for path in sorted(set(minimum) | set(plugin_calls) | set(bare_calls)):
        print(f"| `{path}` | {minimum.get(path, 0)} | {plugin_calls.get(path, 0)} | {bare_calls.get(path, 0)} |")
    print(f"\n### Time per article (median of {args.runs} runs, no added latency)\n")
    print("| client | ms per article | runs (s) |\n| --- | ---: | --- |")
    print(f"| plugin (`delivery.advance`) | {plugin_ms:.2f} | {', '.join(f'{t:.2f}' for t in plugin_times)} |")
    print(f"| bare wechatpy | {bare_ms:.2f} | {', '.join(f'{t:.2f}' for t in bare_times)} |")
    print(f"| **ratio** | **{overhead:.2f}** (target ≤ {OVERHEAD_TARGET}) | |")
    print(f"\n### Throughput with {args.latency_ms} ms per call ({pushes} pushes of {THROUGHPUT_PER_PUSH})\n")
    print("| workers | seconds | articles per second |\n| ---: | ---: | ---: |")
    for workers, elapsed in throughput.items():
        print(f"| {workers} | {elapsed:.2f} | {args.articles / elapsed:.1f} |")
    print(f"| **speed-up** | **{speedup:.2f}×** (target ≥ {SPEEDUP_TARGET}) | |")

    missed = []
    if dict(plugin_calls) != minimum:
        missed.append(f"the plugin's calls {dict(plugin_calls)} are not the minimum {minimum}")
    if dict(bare_calls) != minimum:
        missed.append(f"the bare script's calls {dict(bare_calls)} differ from the minimum")
    if overhead > OVERHEAD_TARGET:
        missed.append(f"overhead ratio {overhead:.2f} > {OVERHEAD_TARGET}")
    if speedup < SPEEDUP_TARGET:
        missed.append(f"two workers only {speedup:.2f}× as fast as one (< {SPEEDUP_TARGET})")
    for line in missed:
        print(f"\nMISSED: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
