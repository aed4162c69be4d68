"""Synthetic semester data for bench/policy_semester.py, written with bulk inserts.

Creating 20,000 pages through Wagtail's `add_child` would take minutes; the rows
are written directly instead (see `insert_pages`).
"""

import bisect
import datetime
import random
import time

SEMESTER = (datetime.date(2026, 9, 1), datetime.date(2027, 1, 22))
# Who provided the material (cms ProviderKind) and how often.
PROVIDERS = (("office", 0.10), ("department", 0.40), ("student", 0.35), ("staff", 0.15))
COUNTED_KINDS = ("content_mismatch", "typo")  # the regulation's counted kinds (A20)
OTHER_KINDS = ("layout", "illegal", "not_public", "other")
BATCH = 2000
SEED = 20260901

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
                {
                    "id": page.pk,
                    "provider": provider,
                    "department": department,
                    "submitted": submitted,
                    "arrived": reached or submitted,
                    "published": published,
                }
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
            content_type=page_type,
            base_content_type=base_type,
            object_id=str(anchor),
            workflow=workflow,
            status=WorkflowState.STATUS_CANCELLED,
            created_at=now,
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
                    workflow_state=workflow_state,
                    revision=revision,
                    task=task,
                    status=TaskState.STATUS_REJECTED,
                    started_at=found - datetime.timedelta(hours=1),
                    finished_at=found,
                    content_type_id=state_type.pk,
                )
                for _, _, found in chosen
            ),
            batch_size=BATCH,
        )
        send_backs = SendBack.objects.bulk_create(
            (
                SendBack(
                    page_id=submission["id"],
                    task_state=state,
                    stage="科室负责人审核",
                    reason=kind,
                    comment="请修改后重新提交。",
                    created_at=found,
                )
                for (submission, kind, found), state in zip(chosen, states, strict=True)
            ),
            batch_size=BATCH,
        )
        ReviewError.objects.bulk_create(
            (
                ReviewError(
                    page_id=submission["id"],
                    send_back=send_back,
                    # Usually the error names the department; sometimes it is left to the submission's.
                    department_id=submission["department"] if rng.random() < 0.9 else None,
                    provider_kind=submission["provider"],
                    kind=kind,
                    found_at=found,
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
                {
                    "id": f"push-{n + 1}",
                    "at": at.isoformat(),
                    "breaking": rng.random() < 0.03,
                    "articles": [s["id"] for s in articles],
                }
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
                [
                    [f.get_db_prep_save(f.pre_save(page, add=True), connection) for f in fields]
                    for page in pages[start : start + BATCH]
                ],
            )
