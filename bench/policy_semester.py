"""Policy evaluation of a synthetic semester, from the database (issue #3, "Numbers to reach").

Run with `.venv/bin/python bench/policy_semester.py [--database-url URL] [--runs N] [--five-times]`.

Builds a throwaway database (a temporary SQLite file by default; with
`--database-url postgres://…/NAME` it creates the PostgreSQL database NAME, which
must contain "bench", and drops it afterwards), runs the migrations, then adds a
synthetic autumn semester (2026-09-01 … 2027-01-22, Asia/Shanghai) with bulk
inserts: first a tenth of it (6 departments, 500 contributors, 2,000
submissions, 200 errors) and then the rest (60, 5,000, 20,000, 2,000 in all).
After each step it times, median of `--runs` runs after one warm-up:

- `cms.policy.adapters.facts_for_period` (the facts document from the database) and its SQL queries;
- `policy_rules.evaluation.evaluate` under the active version, without pushes and
  with synthetic pushes (40, then 400) added to the document in memory: pushes are
  not in the database yet (the WeChat channel comes later), so `facts_for_period`
  returns none;
- the whole evaluation from the database (facts + evaluate), with its SQL queries;
- a dry run: the same facts under the active version and a draft (discipline at
  4/7 errors, two submissions a week), then every outcome that differs: two
  evaluations and a comparison of their outcomes in this script; and, when the
  module exists, `policy_rules.versions.dry_run` of the draft saved and validated
  as a version (the full replay with its diff and audit event), once through the
  configured facts provider and once with the pushes added.

With `--five-times` it then adds four times as much again (300 departments, 25,000
contributors, 100,000 submissions, 10,000 errors, 2,000 pushes) and times the
evaluation from the database once more.

Prints the machine, the date, the setup times and Markdown tables, then one line per
target (`PASS|MISSED <name> <measured> <target>`, bench/targets.py), and exits 1 when
one is missed (issue 15). The evaluation is facts + pushes + `evaluate` from the
database; it and `versions.dry_run` (pushes added) are timed in turn, `--runs` times
each after a warm-up, and judged by the medians of this process's CPU time (on
PostgreSQL the server's own work is in the wall times only):

- the evaluation at most 0.4 s at full size and 2 s at five times (with `--five-times`),
  growing at most 5.5 times for five times the data (linear, with a tenth to spare);
- the dry run at most 1.5 times the evaluation;
- the evaluation's SQL queries the same at every size.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from machine import describe  # noqa: E402 - bench/ is on sys.path when run
from targets import Targets  # noqa: E402

FULL = {"departments": 60, "contributors": 5000, "submissions": 20000, "errors": 2000, "pushes": 400}
TENTH = {name: count // 10 for name, count in FULL.items()}
FIVE_TIMES = {name: count * 5 for name, count in FULL.items()}
EVALUATION_S = 0.4  # issue 15: CPU seconds at full size
EVALUATION_5X_S = 2.0  # and at five times
GROWTH_5X = 5.5  # linear, with a tenth to spare
DRY_RUN_RATIO = 1.5


# --- database -------------------------------------------------------------------------------------------------


def prepare_database(url):
    """(DATABASE_URL, cleanup) for a throwaway database; PostgreSQL: create NAME afresh (dropped by cleanup)."""
    if url is None:
        workdir = tempfile.TemporaryDirectory(prefix="newsroom-policy-bench-")
        return f"sqlite:///{workdir.name}/bench.sqlite3", workdir.cleanup
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("--database-url: a postgres://… URL (SQLite is the default)")
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"--database-url: the database is dropped and re-created, so its name needs 'bench': {name!r}")
    import psycopg
    from psycopg import sql

    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))

    def run(statement):
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(statement)

    run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url, lambda: run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def start_django(url):
    """Django with the test settings (locmem cache, DEBUG off) on the throwaway database `url`, migrated, with the
    site's tree: (its article index, the migrations' seconds). Shared with bench/dashboard.py."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)  # locmem cache, as in the test settings
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from cms.demo.site import ensure_site

    setup_test_environment()
    began = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter() - began
    _home, index = ensure_site()
    return index, migrated


def close_django(cleanup):
    """Close the database connection, then `cleanup` (prepare_database's: the file, or the dropped database)."""
    from django.db import connection

    connection.close()
    cleanup()


def machine():
    import django
    import wagtail
    from django.db import connection

    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version} (temporary file)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]} (local, database {connection.settings_dict['NAME']})"
    return describe(
        django=django.get_version(),
        wagtail=wagtail.__version__,
        database=database,
        **{"load average (1, 5, 15 min) at the end": ", ".join(f"{load:.2f}" for load in os.getloadavg())},
    )


from semester_data import SEED, SEMESTER, Semester  # noqa: E402 - bench/ is on sys.path when run

# --- measurements ---------------------------------------------------------------------------------------------


def timed(fn, runs):
    """(median, result of the last run, SQL queries of one run, fastest, median CPU time of this process).

    Seconds, after one warm-up run. On a shared machine the CPU time shows the
    Python side without the waits for a core (the database server's own work is
    not in it for PostgreSQL).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    timings, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = fn()
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(timings), result, len(captured.captured_queries), min(timings), statistics.median(cpu)


def in_turn(measures, runs):
    """{name: (wall seconds, CPU seconds)} of each of `measures` ({name: fn}), run in turn `runs` times after one
    warm-up each; which goes first alternates, so a busier moment of the machine falls on both."""
    for fn in measures.values():
        fn()
    samples = {name: ([], []) for name in measures}
    order = list(measures)
    for run in range(runs):
        for name in order if run % 2 == 0 else reversed(order):
            began, began_cpu = time.perf_counter(), time.process_time()
            measures[name]()
            samples[name][0].append(time.perf_counter() - began)
            samples[name][1].append(time.process_time() - began_cpu)
    return samples


def outcome_changes(before, after):
    """Every outcome that differs between two evaluations: (section, subject, field) → (old, new)."""
    changes = {}
    for section in ("departments", "contributors", "working_days"):
        old_section, new_section = before[section], after[section]
        for subject in old_section.keys() | new_section.keys():
            old, new = old_section.get(subject, {}), new_section.get(subject, {})
            for field in old.keys() | new.keys():
                if old.get(field) != new.get(field):
                    changes[(section, subject, field)] = (old.get(field), new.get(field))
    old_violations = {(v["rule"], v["subject"], v["message"]) for v in before["violations"]}
    new_violations = {(v["rule"], v["subject"], v["message"]) for v in after["violations"]}
    for violation in old_violations - new_violations:
        changes[("violations", *violation)] = ("found", None)
    for violation in new_violations - old_violations:
        changes[("violations", *violation)] = (None, "found")
    return changes


def draft_document(active):
    """The candidate of the dry run: discipline at 4 and 7 counted errors, two submissions a week."""
    from policy_rules.document import PolicyDocument

    data = active.parsed().as_data()
    data["discipline"] = {**data["discipline"], "warning_at": 4, "escalation_at": 7}
    data["quotas"] = {**data["quotas"], "min_per_week": 2}
    return PolicyDocument.model_validate(data)


def versions_dry_run(draft, start, end):
    """`policy_rules.versions.dry_run` of `draft` saved as a validated version, or (None, reason)."""
    try:
        from policy_rules import versions
    except ImportError as error:
        return None, f"policy_rules.versions not importable ({error})"
    try:
        version = versions.start_draft("default", None, note="bench")
        versions.edit_draft(version, draft.as_data(), None)
        report = versions.validate(version, None)
        if not report.get("ok"):
            return None, f"the draft did not validate: {report.get('message')}"
        return (lambda: versions.dry_run(version, start, end, None)), None
    except Exception as error:  # noqa: BLE001 - another change in progress: report it, do not fail the bench
        return None, f"versions.dry_run unavailable: {type(error).__name__}: {error}"


def measure(semester, pushes_count, runs):
    from cms.policy.adapters import facts_for_period
    from policy_rules.evaluation import evaluate
    from policy_rules.models import PolicyVersion

    start, end = SEMESTER
    active = PolicyVersion.active_for("default")
    draft = draft_document(active)
    pushes = semester.pushes(pushes_count)

    def with_pushes(facts):
        return {**facts, "pushes": pushes}

    facts = facts_for_period(start, end)
    results = {"sizes": {name: len(facts[name]) for name in ("departments", "contributors", "submissions", "errors")}}
    results["sizes"]["pushes"] = len(pushes)
    results["facts"] = timed(lambda: facts_for_period(start, end), runs)
    results["evaluate"] = timed(lambda: evaluate(active, facts), runs)
    results["evaluate_pushes"] = timed(lambda: evaluate(active, with_pushes(facts)), runs)
    results["total"] = timed(lambda: evaluate(active, facts_for_period(start, end)), runs)
    results["total_pushes"] = timed(lambda: evaluate(active, with_pushes(facts_for_period(start, end))), runs)

    def dry_run():
        both = with_pushes(facts_for_period(start, end))
        before = evaluate(active, both)
        after = evaluate(draft, both, label="default@draft")
        return before, after, outcome_changes(before, after)

    results["dry_run"] = timed(dry_run, runs)
    return results


def judged(semester, pushes_count, runs, dry_run=True):
    """What the targets judge, timed in turn: the evaluation from the database (facts + pushes + `evaluate`) and,
    with `dry_run`, `versions.dry_run` of the draft with the same pushes. {"evaluation": (walls, cpus),
    "dry_run": …, "queries": the evaluation's SQL queries, "note": why the dry run was not timed, or ""}."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from policy_rules.evaluation import evaluate
    from policy_rules.models import PolicyVersion

    start, end = SEMESTER
    active = PolicyVersion.active_for("default")
    PUSHES[:] = semester.pushes(pushes_count)
    measures = {"evaluation": lambda: evaluate(active, facts_with_pushes(start, end))}
    note = ""
    if dry_run:
        run, note = versions_dry_run(draft_document(active), start, end)
        if run is not None:
            measures["dry_run"] = run
    with CaptureQueriesContext(connection) as captured:
        measures["evaluation"]()
    provider = {**settings.POLICY_RULES, "FACTS_PROVIDER": f"{__name__}.facts_with_pushes"}
    try:
        with override_settings(POLICY_RULES=provider):
            results = in_turn(measures, runs)
    except Exception as error:  # noqa: BLE001 - another change in progress: report, do not fail the bench
        results = in_turn({"evaluation": measures["evaluation"]}, runs)
        note = f"versions.dry_run failed: {type(error).__name__}: {error}"
    return {**results, "queries": len(captured.captured_queries), "note": note or ""}


PUSHES = []


def facts_with_pushes(start, end):
    """The cms facts provider plus this run's synthetic pushes (a FACTS_PROVIDER for versions.dry_run)."""
    from cms.policy.adapters import facts_for_period

    return {**facts_for_period(start, end), "pushes": PUSHES}


# --- report ---------------------------------------------------------------------------------------------------


def summary(outcomes):
    departments = outcomes["departments"].values()
    levels = {level: sum(d["discipline"] == level for d in departments) for level in ("warning", "escalation")}
    weeks_missed = sum(not week["met"] for d in departments for week in d["weeks"])
    return (
        f"{len(outcomes['violations'])} violations, {weeks_missed} department-weeks under quota, "
        f"{levels['warning']} departments at warning and {levels['escalation']} at escalation, "
        f"{sum(1 for c in outcomes['contributors'].values() if c['prize'])} prizes"
    )


def ms(seconds):
    return f"{seconds * 1000:,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="postgres://user@host:port/NAME (NAME is created and dropped)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement, after one warm-up")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--five-times", action="store_true", help="then five times the data, timed again")
    args = parser.parse_args()

    url, cleanup = prepare_database(args.database_url)
    try:
        index, migrated = start_django(url)
        from django.db import connection

        print(f"migrate: {migrated:.1f} s", flush=True)
        semester = Semester(index, random.Random(SEED))

        sizes = [("1/10", TENTH), ("full", FULL)] + ([("5×", FIVE_TIMES)] if args.five_times else [])
        steps, judgements, previous = [], {}, {name: 0 for name in FULL}
        for label, size in sizes:
            counts = {name: size[name] - previous[name] for name in FULL}
            previous = size
            timings = semester.add(counts)
            built = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
            print(f"data, {label} (+{counts}): {built}", flush=True)
            if label != "5×":  # the detailed table: every part at 1/10 and full size
                results = measure(semester, size["pushes"], args.runs)
                print(f"measured {label}: {results['sizes']}", flush=True)
                steps.append((label, timings, results))
            judgements[label] = judged(semester, size["pushes"], args.runs, dry_run=label == "full")
            judgements[label]["timings"] = timings
            print(f"judged {label}", flush=True)

        info = machine()
        print("\n## Machine\n")
        for key, value in info.items():
            print(f"- {key}: {value}")
        print(f"\nSetup: migrate {migrated:.1f} s; data in bulk inserts:")
        for label, timings, results in steps:
            sizes = ", ".join(f"{count:,} {name}" for name, count in results["sizes"].items())
            built = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
            print(f"- {label} ({sizes}): {built}")
        print(
            f"\nMedian of {args.runs} runs after one warm-up, the fastest run, and the median CPU time of this "
            "process; queries counted on one run.\n"
        )
        (_, small), (_, full) = [(label, results) for label, _, results in steps]
        print(
            "| measure | 1/10 median (ms) | full median (ms) | full fastest (ms) | full CPU (ms) | queries 1/10 "
            "| queries full | target (full) |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        rows = [
            ("`facts_for_period` (database → facts document)", "facts", ""),
            ("`evaluate`, facts without pushes", "evaluate", ""),
            ("`evaluate`, pushes added", "evaluate_pushes", ""),
            ("from the database: facts + `evaluate`, no pushes", "total", ""),
            ("from the database: facts + pushes + `evaluate`", "total_pushes", "see the targets below"),
            ("dry run: facts + pushes + 2 × `evaluate` + comparison", "dry_run", ""),
        ]
        for title, name, target in rows:
            print(
                f"| {title} | {ms(small[name][0])} | {ms(full[name][0])} | {ms(full[name][3])} | {ms(full[name][4])} "
                f"| {small[name][2]} | {full[name][2]} | {target} |"
            )
        before, after, changes = full["dry_run"][1]
        print(f"\nOutcomes (full, active version): {summary(before)}.")
        print(f"Outcomes (full, draft 4/7 errors, 2 a week): {summary(after)}; {len(changes):,} outcomes differ.")
        return report_targets(judgements, args.runs, connection.vendor)
    finally:
        close_django(cleanup if not args.keep else lambda: None)


def report_targets(judgements, runs, vendor):
    """The table of what the targets judge, then the target lines; the exit status."""
    print(
        f"\n### Judged: the evaluation and `versions.dry_run`, {runs} runs each in turn after a warm-up (medians, ms)\n"
    )
    print("| size | evaluation CPU | evaluation wall | dry run CPU | dry run wall | dry run ÷ evaluation | queries |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    cpu = {label: statistics.median(judged["evaluation"][1]) for label, judged in judgements.items()}
    for label, judged in judgements.items():
        row = f"| {label} | {ms(cpu[label])} | {ms(statistics.median(judged['evaluation'][0]))} |"
        if "dry_run" in judged:
            dry_cpu = statistics.median(judged["dry_run"][1])
            row += f" {ms(dry_cpu)} | {ms(statistics.median(judged['dry_run'][0]))} | {dry_cpu / cpu[label]:.2f} |"
        else:
            row += " | | |"
        print(f"{row} {judged['queries']} |")
    full = judgements["full"]
    if full["note"]:
        print(f"\n`policy_rules.versions.dry_run`: not timed: {full['note']}")
    targets = Targets()
    targets.at_most(f"semester.evaluation_cpu.{vendor}", cpu["full"], EVALUATION_S, unit="s", digits=3)
    if "5×" in judgements:
        targets.at_most(f"semester.evaluation_cpu_5x.{vendor}", cpu["5×"], EVALUATION_5X_S, unit="s", digits=3)
        targets.at_most(f"semester.growth_5x.{vendor}", cpu["5×"] / cpu["full"], GROWTH_5X)
    if "dry_run" in full:
        ratio = statistics.median(full["dry_run"][1]) / cpu["full"]
        targets.at_most(f"semester.dry_run_ratio.{vendor}", ratio, DRY_RUN_RATIO)
    else:
        targets.equal(f"semester.dry_run_ratio.{vendor}", "not-timed", "timed")
    queries = {judged["queries"] for judged in judgements.values()}
    targets.equal(
        f"semester.evaluation_queries.{vendor}",
        "/".join(str(j["queries"]) for j in judgements.values()),
        "constant",
        ok=len(queries) == 1,
    )
    return targets.report()


if __name__ == "__main__":
    sys.exit(main())
