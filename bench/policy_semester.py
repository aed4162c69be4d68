"""Policy evaluation of a synthetic semester, from the database (issue #3, "Numbers to reach").

Run with `.venv/bin/python bench/policy_semester.py [--database-url URL] [--runs N]`.

Builds a throwaway database (a temporary SQLite file by default; with
`--database-url postgres://…/NAME` it creates the PostgreSQL database NAME, which
must contain "bench", and drops it afterwards), runs the migrations, then adds a
synthetic autumn semester (2026-09-01 … 2027-01-22, Asia/Shanghai) with bulk
inserts: first a tenth of it (6 departments, 500 contributors, 2,000
submissions, 200 errors) and then the rest (60, 5,000, 20,000, 2,000 in all).
After each step it times, median of `--runs` runs after one warm-up:

- `cms.policy_adapters.facts_for_period` (the facts document from the database) and its SQL queries;
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

Prints the machine, the date, the setup times and a Markdown table.
"""

import argparse
import bisect
import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SEMESTER = (datetime.date(2026, 9, 1), datetime.date(2027, 1, 22))
FULL = {"departments": 60, "contributors": 5000, "submissions": 20000, "errors": 2000, "pushes": 400}
TENTH = {name: count // 10 for name, count in FULL.items()}
SEED = 20260901
# Who provided the material (cms ProviderKind) and how often.
PROVIDERS = (("office", 0.10), ("department", 0.40), ("student", 0.35), ("staff", 0.15))
COUNTED_KINDS = ("content_mismatch", "typo")  # the regulation's counted kinds (A20)
OTHER_KINDS = ("layout", "illegal", "not_public", "other")
BATCH = 2000


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


def machine():
    import django
    import wagtail
    from django.db import connection

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if connection.vendor == "sqlite":
        database = f"SQLite {connection.Database.sqlite_version} (temporary file)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]} (local, database {connection.settings_dict['NAME']})"
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": nproc,
        "cpu": model,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": database,
        "load average (1, 5, 15 min) at the end": ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


# --- synthetic data -------------------------------------------------------------------------------------------


class Semester:
    """Everything inserted so far, what later steps pick from."""

    def __init__(self, index, rng):
        from django.contrib.contenttypes.models import ContentType

        from cms.models import ArticlePage

        self.index = index
        self.rng = rng
        self.tz = datetime.timezone(datetime.timedelta(hours=8))  # Asia/Shanghai has no DST
        self.article_type = ContentType.objects.get_for_model(ArticlePage).pk
        self.departments = []  # (id, weight for submissions, weight for errors)
        self.people = {"student": [], "staff": []}  # kind -> [(id, department id)]
        self.submissions = []  # dicts: id, provider, department, arrived, published
        self.children = index.numchild
        days = []
        day = SEMESTER[0]
        while day <= SEMESTER[1]:
            days.append(day)
            day += datetime.timedelta(days=1)
        self.days = days
        self.weekdays = [d for d in days if d.weekday() < 5]

    def instant(self, day, earliest=8, latest=22):
        minutes = self.rng.randrange(earliest * 60, latest * 60)
        return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), self.tz)

    def add(self, counts):
        """Insert `counts` more departments, people, submissions (with their pages) and errors; time each."""
        from django.db import transaction

        timings = {}
        with transaction.atomic():
            began = time.perf_counter()
            self.add_departments(counts["departments"])
            self.add_people(counts["contributors"])
            timings["departments and people"] = time.perf_counter() - began
            began = time.perf_counter()
            self.add_submissions(counts["submissions"])
            timings["pages and submissions"] = time.perf_counter() - began
            began = time.perf_counter()
            self.add_errors(counts["errors"])
            timings["errors (task states, send-backs)"] = time.perf_counter() - began
        return timings

    def add_departments(self, count):
        from cms.models import Department

        start = len(self.departments)
        created = Department.objects.bulk_create(
            Department(name=f"科室 {n + 1:02d}", code=f"bench-{n + 1:02d}") for n in range(start, start + count)
        )
        for n, department in enumerate(created, start=start):
            # Some departments write a lot, a few barely meet the quota; sloppiness is independent of size.
            self.departments.append((department.pk, 1 / (n + 1) ** 1.1, self.rng.paretovariate(1.3)))

    def pick_department(self, column=1):
        return self.rng.choices(self.departments, weights=[d[column] for d in self.departments])[0][0]

    def add_people(self, count):
        from cms.models import Person

        start = sum(len(people) for people in self.people.values())
        people = []
        for n in range(start, start + count):
            kind = "student" if self.rng.random() < 0.8 else "staff"
            department = self.pick_department() if self.rng.random() < 0.97 else None
            people.append(Person(name=f"成员 {n + 1}", kind=kind, number=f"B{n + 1:06d}", department_id=department))
        for person in Person.objects.bulk_create(people, batch_size=BATCH):
            self.people[person.kind].append((person.pk, person.department_id))

    def add_submissions(self, count):
        """`count` articles under the index (treebeard rows written directly) and their submissions."""
        from cms.models import ArticlePage, Category, Submission

        rng = self.rng
        categories = list(Category.values)
        kinds, weights = zip(*PROVIDERS, strict=True)
        pages, rows = [], []
        for _ in range(count):
            self.children += 1
            number = self.children
            provider = rng.choices(kinds, weights=weights)[0]
            contributor = department = None
            if provider in ("student", "staff") and self.people[provider]:
                contributor, department = rng.choice(self.people[provider])
            elif provider == "department":
                department = self.pick_department()
            day = rng.choice(self.weekdays) if rng.random() < 0.9 else rng.choice(self.days)
            submitted = self.instant(day)
            reached = accepted = published = None
            if provider == "office":
                reached = submitted
            elif rng.random() < 0.88:
                reached = submitted + datetime.timedelta(hours=rng.uniform(1, 72))
            if reached is not None and rng.random() < 0.7 / 0.9:  # ≈70 % of all are accepted
                accepted = reached + datetime.timedelta(hours=rng.uniform(1, 48))
                if rng.random() < 0.5 / 0.7:  # ≈50 % of all are published
                    published = accepted + datetime.timedelta(hours=rng.uniform(0, 48))
            slug = f"bench-{number}"
            page = ArticlePage(
                title=f"第 {number} 篇稿件",
                draft_title=f"第 {number} 篇稿件",
                slug=slug,
                path=ArticlePage._get_path(self.index.path, self.index.depth + 1, number),
                depth=self.index.depth + 1,
                numchild=0,
                url_path=f"{self.index.url_path}{slug}/",
                content_type_id=self.article_type,
                locale_id=self.index.locale_id,
                live=published is not None,
                has_unpublished_changes=published is None,
                first_published_at=published,
                last_published_at=published,
                digest="一两句话的摘要。",
                body=[],
                category=rng.choice(categories),
                provider_kind=provider,
                department_id=department,
                contributor_id=contributor,
            )
            pages.append(page)
            rows.append((page, provider, department, contributor, submitted, reached, accepted, published))
        insert_pages(pages)
        self.index.numchild = self.children
        self.index.save(update_fields=["numchild"])
        Submission.objects.bulk_create(
            (
                Submission(
                    page_id=page.pk,
                    provider_kind=provider,
                    department_id=department,
                    contributor_id=contributor,
                    submitted_at=submitted,
                    reached_office_at=reached,
                    accepted_at=accepted,
                )
                for page, provider, department, contributor, submitted, reached, accepted, _ in rows
            ),
            batch_size=BATCH,
        )
        for page, provider, department, _, submitted, reached, _, published in rows:
            self.submissions.append(
                {"id": page.pk, "provider": provider, "department": department,
                 "submitted": submitted, "arrived": reached or submitted, "published": published}
            )

    def add_errors(self, count):
        """`count` review errors, each with its own send-back and (rejected) task state, as review leaves them."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Page, Revision, Task, TaskState, Workflow, WorkflowState

        from cms.models import ArticlePage, ReviewError, SendBack

        rng = self.rng
        page_type = ContentType.objects.get_for_model(ArticlePage)
        base_type = ContentType.objects.get_for_model(Page)
        anchor = self.submissions[0]["id"]
        task = Task.objects.create(name=f"bench review {len(self.submissions)}")
        workflow = Workflow.objects.create(name=f"bench workflow {len(self.submissions)}")
        now = datetime.datetime.now(self.tz)
        revision = Revision.objects.create(
            content_type=page_type, base_content_type=base_type, object_id=str(anchor), content={}, created_at=now
        )
        workflow_state = WorkflowState.objects.create(
            content_type=page_type, base_content_type=base_type, object_id=str(anchor), workflow=workflow,
            status=WorkflowState.STATUS_CANCELLED, created_at=now,
        )
        state_type = ContentType.objects.get_for_model(TaskState)
        by_provider = {"department": [], "other": []}
        for submission in self.submissions:
            by_provider["department" if submission["provider"] == "department" else "other"].append(submission)
        sloppiness = {d[0]: d[2] for d in self.departments}
        department_weights = [sloppiness[s["department"]] for s in by_provider["department"]]
        chosen = []
        for _ in range(count):
            if rng.random() < 0.6 and by_provider["department"]:
                submission = rng.choices(by_provider["department"], weights=department_weights)[0]
            else:
                submission = rng.choice(by_provider["other"])
            kind = rng.choice(COUNTED_KINDS) if rng.random() < 0.6 else rng.choice(OTHER_KINDS)
            found = submission["submitted"] + datetime.timedelta(hours=rng.uniform(1, 60))
            chosen.append((submission, kind, found))
        states = TaskState.objects.bulk_create(
            (
                TaskState(
                    workflow_state=workflow_state, revision=revision, task=task, status=TaskState.STATUS_REJECTED,
                    started_at=found - datetime.timedelta(hours=1), finished_at=found, content_type_id=state_type.pk,
                )
                for _, _, found in chosen
            ),
            batch_size=BATCH,
        )
        send_backs = SendBack.objects.bulk_create(
            (
                SendBack(page_id=submission["id"], task_state=state, stage="科室负责人审核", reason=kind,
                         comment="请修改后重新提交。", created_at=found)
                for (submission, kind, found), state in zip(chosen, states, strict=True)
            ),
            batch_size=BATCH,
        )
        ReviewError.objects.bulk_create(
            (
                ReviewError(
                    page_id=submission["id"], send_back=send_back,
                    # Usually the error names the department; sometimes it is left to the submission's.
                    department_id=submission["department"] if rng.random() < 0.9 else None,
                    provider_kind=submission["provider"], kind=kind, found_at=found,
                )
                for (submission, kind, found), send_back in zip(chosen, send_backs, strict=True)
            ),
            batch_size=BATCH,
        )

    def pushes(self, count):
        """`count` pushes of published articles, as the facts document lists them (not in the database yet)."""
        rng = random.Random(SEED + count)
        published = sorted((s for s in self.submissions if s["published"]), key=lambda s: s["arrived"])
        arrivals = [s["arrived"] for s in published]
        result = []
        for n in range(count):
            day = rng.choice(self.weekdays) if rng.random() < 0.9 else rng.choice(self.days)
            if rng.random() < 0.85:  # inside a window of a working day (16–18, 20–21)
                start, end = rng.choice(((16, 18), (20, 21)))
                at = self.instant(day, start, end)
            else:
                at = self.instant(day, 7, 23)
            # Mostly articles that reached the office ≥ 12 h before (A16); a few in a hurry.
            before = at - datetime.timedelta(hours=12 if rng.random() < 0.93 else 2)
            stop = max(1, bisect.bisect_right(arrivals, before))
            pool = published[max(0, stop - 200) : stop]
            articles = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 3, 4, 6, 8))))
            result.append(
                {"id": f"push-{n + 1}", "at": at.isoformat(), "breaking": rng.random() < 0.03,
                 "articles": [s["id"] for s in articles]}
            )
        return result


def insert_pages(pages):
    """Write `ArticlePage`s without `add_child`: the page rows in bulk, then the article rows by executemany.

    Multi-table inheritance stops `bulk_create` for the child model, so the `cms_articlepage`
    rows are written with each field's own database conversion (`get_db_prep_save`).
    """
    from django.db import connection
    from wagtail.models import Page

    from cms.models import ArticlePage

    page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        rows = Page.objects.bulk_create(
            [Page(**{f.attname: getattr(page, f.attname) for f in page_fields}) for page in batch]
        )
        for page, row in zip(batch, rows, strict=True):
            page.id = page.page_ptr_id = row.pk
    fields = list(ArticlePage._meta.local_concrete_fields)
    quote = connection.ops.quote_name
    # Table and column names come from the model, the values are parameters.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(fields[0].model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pages), BATCH):
            cursor.executemany(
                statement,
                [[f.get_db_prep_save(f.pre_save(page, add=True), connection) for f in fields]
                 for page in pages[start : start + BATCH]],
            )


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
    except Exception as error:  # the module is another change in progress: report, do not fail the bench
        return None, f"versions.dry_run unavailable: {type(error).__name__}: {error}"


def measure(semester, pushes_count, runs):
    from cms.policy_adapters import facts_for_period
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


def module_dry_run(semester, pushes_count, runs):
    """Time `versions.dry_run`, if the module exists: `{"plain": …, "pushes": …}` or (None, why not).

    "plain" replays the period through the configured provider, `cms.policy_adapters.facts_for_period`;
    "pushes" through a provider that adds this run's synthetic pushes to what it returns.
    """
    from django.conf import settings
    from django.test.utils import override_settings

    from policy_rules.models import PolicyVersion

    run, reason = versions_dry_run(draft_document(PolicyVersion.active_for("default")), *SEMESTER)
    if run is None:
        return None, reason
    PUSHES[:] = semester.pushes(pushes_count)
    providers = {"plain": settings.POLICY_RULES["FACTS_PROVIDER"], "pushes": f"{__name__}.facts_with_pushes"}
    results = {}
    for name, provider in providers.items():
        with override_settings(POLICY_RULES={**settings.POLICY_RULES, "FACTS_PROVIDER": provider}):
            try:
                results[name] = timed(run, runs)
            except Exception as error:  # another change in progress: report it, do not fail the bench
                return None, f"versions.dry_run failed: {type(error).__name__}: {error}"
    return results, None


PUSHES = []


def facts_with_pushes(start, end):
    """The cms facts provider plus this run's synthetic pushes (a FACTS_PROVIDER for versions.dry_run)."""
    from cms.policy_adapters import facts_for_period

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
    args = parser.parse_args()

    url, cleanup = prepare_database(args.database_url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)  # locmem cache, as in the test settings
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from cms.demo import ensure_site

    try:
        setup_test_environment()
        began = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrated = time.perf_counter() - began
        print(f"migrate: {migrated:.1f} s", flush=True)
        _home, index = ensure_site()
        semester = Semester(index, random.Random(SEED))

        steps = []
        for label, counts in (("1/10", TENTH), ("full", {k: FULL[k] - TENTH[k] for k in FULL})):
            timings = semester.add(counts)
            built = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
            print(f"data, {label} (+{counts}): {built}", flush=True)
            results = measure(semester, FULL["pushes"] if label == "full" else TENTH["pushes"], args.runs)
            print(f"measured {label}: {results['sizes']}", flush=True)
            steps.append((label, timings, results))
        module, module_note = module_dry_run(semester, FULL["pushes"], args.runs)

        info = machine()
        print("\n## Machine\n")
        for key, value in info.items():
            print(f"- {key}: {value}")
        print(f"\nSetup: migrate {migrated:.1f} s; data in bulk inserts:")
        for label, timings, results in steps:
            sizes = ", ".join(f"{count:,} {name}" for name, count in results["sizes"].items())
            built = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
            print(f"- {label} ({sizes}): {built}")
        print(f"\nMedian of {args.runs} runs after one warm-up, the fastest run, and the median CPU time of this "
              "process; queries counted on one run.\n")
        (_, small), (_, full) = [(label, results) for label, _, results in steps]
        print("| measure | 1/10 median (ms) | full median (ms) | full fastest (ms) | full CPU (ms) | queries 1/10 "
              "| queries full | target (full) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        total = full["total_pushes"][0]
        rows = [
            ("`facts_for_period` (database → facts document)", "facts", ""),
            ("`evaluate`, facts without pushes", "evaluate", ""),
            ("`evaluate`, pushes added", "evaluate_pushes", ""),
            ("from the database: facts + `evaluate`, no pushes", "total", "≤ 3,000 ms"),
            ("from the database: facts + pushes + `evaluate`", "total_pushes", "≤ 3,000 ms"),
            ("dry run: facts + pushes + 2 × `evaluate` + comparison", "dry_run",
             f"≤ 2 × {ms(total)} = {ms(2 * total)} ms"),
        ]
        for title, name, target in rows:
            print(
                f"| {title} | {ms(small[name][0])} | {ms(full[name][0])} | {ms(full[name][3])} | {ms(full[name][4])} "
                f"| {small[name][2]} | {full[name][2]} | {target} |"
            )
        if module is not None:
            for name, title, limit in (("plain", "no pushes", full["total"][0]), ("pushes", "pushes added", total)):
                median, _, queries, fastest, cpu = module[name]
                print(f"| `policy_rules.versions.dry_run`, {title} | | {ms(median)} | {ms(fastest)} | {ms(cpu)} | "
                      f"| {queries} | ≤ 2 × {ms(limit)} = {ms(2 * limit)} ms |")
        else:
            print(f"\n`policy_rules.versions.dry_run`: not timed: {module_note}")
        before, after, changes = full["dry_run"][1]
        print(f"\nOutcomes (full, active version): {summary(before)}.")
        print(f"Outcomes (full, draft 4/7 errors, 2 a week): {summary(after)}; {len(changes):,} outcomes differ.")
        def verdict(ok):
            return "met" if ok else "MISSED"

        same_queries = all(small[name][2] == full[name][2] for _, name, _ in rows)
        module_verdict = ""
        if module is not None:
            module_ok = module["plain"][0] <= 2 * full["total"][0] and module["pushes"][0] <= 2 * total
            module_verdict = f", versions.dry_run ≤ 2× {verdict(module_ok)}"
        print(f"\nTargets (medians): ≤ 3 s {verdict(max(full['total'][0], total) <= 3)}; "
              f"dry run ≤ 2× {verdict(full['dry_run'][0] <= 2 * total)}{module_verdict}; "
              f"queries {'the same' if same_queries else 'DIFFERENT'} at 1/10 and full size.")
    finally:
        connection.close()
        if not args.keep:
            cleanup()


if __name__ == "__main__":
    main()
