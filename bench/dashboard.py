"""The admin dashboard, cold, and the reports it links to, at the bench's size and at 5× (issue 15).

Run with `.venv/bin/python bench/dashboard.py [--database-url URL] [--runs N] [--scale 1,5]`.

Builds a throwaway database as bench/policy_semester.py does (its `prepare_database`; a temporary SQLite file
by default), adds the synthetic autumn semester of bench/semester_data.py at the bench's full size (60
departments, 5,000 contributors, 20,000 submissions, 2,000 errors) and then the rest up to each `--scale`, with
the semester as a cms Semester. At each size it times, median of `--runs` runs after one warm-up:

- the worker's work (`policy_rules.reports.outcomes.refresh` as after a change to everything), which
  evaluates the semester and stores its outcome, and `display_names` for every contributor;
- the office editor's dashboard (`GET /admin/`) with the cache emptied before each run, and the policy panel
  alone, with their SQL queries: they read the stored outcome and evaluate nothing;
- each policy report page (`GET /admin/policy-reports/…/`), cold.

Prints the machine, the date and a Markdown table. The target: the cold dashboard ≤ 150 ms at 5×, queries
the same at every size.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from policy_semester import FULL, close_django, machine, prepare_database, start_django  # noqa: E402 - bench/ is on sys.path when run
from semester_data import SEED, SEMESTER, Semester  # noqa: E402
from targets import Targets  # noqa: E402

TARGET_MS = 150
REPORTS = ("departments", "leaderboard", "staff", "discipline", "coverage", "assessment")


def timed(fn, runs, before=None):
    """(median seconds, SQL queries of one run), after one warm-up; `before` runs untimed before each run."""
    from django.db import connection

    if before:
        before()
    fn()
    if before:
        before()
    queries = []  # counted by a wrapper: a request's start empties connection.queries

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    timings = []
    for _ in range(runs):
        if before:
            before()
        began = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings), len(queries)


def office_client():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from cms.people.roles import OFFICE_EDITOR

    user, _created = get_user_model().objects.get_or_create(username="bench-office", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=OFFICE_EDITOR.name))
    client = Client()
    client.force_login(user)
    return client, user


def get(client, url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def panel(user):
    from django.test import RequestFactory

    from policy_rules.reports.panels import PolicyDashboardPanel

    request = RequestFactory().get("/admin/")
    request.user = user

    def run():
        html = PolicyDashboardPanel().render_html({"request": request})
        assert "data-policy-computed" in html, "the panel shows no stored outcome"

    return run


def measure(runs):
    from django.core.cache import cache

    from policy_rules.models import PeriodOutcome
    from policy_rules.reports import data, outcomes

    results = {}
    began = time.perf_counter()
    outcomes.refresh(everything=True)  # the worker's task after a change to everything
    results["worker"] = (time.perf_counter() - began, None)
    ids = set(PeriodOutcome.objects.get().report["outcomes"]["contributors"])
    results["names"] = timed(lambda: data.display_names("contributor", ids), runs)
    results["ids"] = len(ids)
    client, user = office_client()
    results["dashboard"] = timed(get(client, "/admin/"), runs, before=cache.clear)
    results["panel"] = timed(panel(user), runs, before=cache.clear)
    from django.urls import reverse

    for name in REPORTS:
        results[name] = timed(get(client, reverse(f"policy_reports:{name}")), runs, before=cache.clear)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://user@host:port/NAME (NAME is created and dropped)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement, after one warm-up")
    parser.add_argument("--scale", default="1,5", help="sizes, in multiples of the bench's full size")
    args = parser.parse_args()
    scales = [int(scale) for scale in args.scale.split(",")]

    url, cleanup = prepare_database(args.database_url)
    try:
        index, _migrated = start_django(url)
        from cms.models import Semester as SiteSemester

        # bulk_create: no signal, so nothing is computed before the bench times it.
        SiteSemester.objects.bulk_create([SiteSemester(name="2026 秋季学期", start=SEMESTER[0], end=SEMESTER[1])])
        semester = Semester(index, random.Random(SEED))
        done, steps = 0, []
        for scale in scales:
            counts = {name: count * (scale - done) for name, count in FULL.items() if name != "pushes"}
            began = time.perf_counter()
            semester.add(counts)
            print(f"data ×{scale}: +{counts} in {time.perf_counter() - began:.0f} s", flush=True)
            done = scale
            steps.append((scale, measure(args.runs)))
            print(f"measured ×{scale}", flush=True)

        print("\n## Machine\n")
        for key, value in machine().items():
            print(f"- {key}: {value}")
        print(f"\nMedian of {args.runs} runs after one warm-up, the cache emptied before each; queries of one run.\n")
        print("| measure | " + " | ".join(f"×{scale} (ms) | queries ×{scale}" for scale, _ in steps) + " |")
        print("| --- |" + " ---: | ---: |" * len(steps))
        rows = [
            ("worker: evaluate the semester and store its outcome (once)", "worker"),
            ("`display_names` of every contributor ({ids})", "names"),
            ("dashboard `GET /admin/` (office editor), cold", "dashboard"),
            ("the policy panel alone, cold", "panel"),
            *((f"report `{name}`, cold", name) for name in REPORTS),
        ]
        for title, name in rows:
            cells = []
            for _scale, results in steps:
                seconds, queries = results[name]
                cells.append(f"{seconds * 1000:,.0f} | {queries if queries is not None else ''}")
            ids = "/".join(f"{results['ids']:,}" for _scale, results in steps)
            print(f"| {title.format(ids=ids + ' ids')} | " + " | ".join(cells) + " |")
        last = steps[-1][1]["dashboard"]
        queries = [results["dashboard"][1] for _scale, results in steps]
        targets = Targets()
        targets.at_most(f"dashboard.cold_ms.x{steps[-1][0]}", round(last[0] * 1000), TARGET_MS, unit="ms")
        targets.equal("dashboard.cold_queries", "/".join(map(str, queries)), "constant", ok=len(set(queries)) == 1)
        return targets.report()
    finally:
        close_django(cleanup)


if __name__ == "__main__":
    sys.exit(main())
