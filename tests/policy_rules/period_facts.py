"""A facts document counted by hand: the fortnight 2026-09-07 (Mon) – 2026-09-20 (Sun) of the evaluation, API and
CLI tests. On the official calendar its working days are 7–11, 14–18 and Sunday the 20th (worked for National Day)."""


class FactsBuilder:
    def __init__(self):
        self.submissions = []
        self.errors = []
        self.pushes = []

    def submit(self, count, provider, department, when, contributor=None, accepted=True, published=0, **extra):
        """`count` submissions; the first `published` of them published. Returns their ids."""
        ids = []
        for n in range(count):
            submission_id = 1000 + len(self.submissions)
            self.submissions.append(
                {
                    "id": submission_id,
                    "provider": provider,
                    "contributor": contributor,
                    "department": department,
                    "submitted_at": when,
                    "accepted": accepted,
                    "published_at": "2026-09-19T12:00:00+08:00" if n < published else None,
                    **extra,
                }
            )
            ids.append(submission_id)
        return ids

    def error(self, count, submission, provider, kind, department=None, found_at="2026-09-16T10:00:00+08:00"):
        for _ in range(count):
            self.errors.append(
                {
                    "submission": submission,
                    "department": department,
                    "provider": provider,
                    "kind": kind,
                    "found_at": found_at,
                }
            )


def facts():
    b = FactsBuilder()
    # Department 1: 25 + 2 in week 1, 3 in week 2.
    b.submit(25, "personal", 1, "2026-09-08T10:00:00+08:00", contributor=101, published=2)
    b.submit(2, "personal", 1, "2026-09-08T11:00:00+08:00", contributor=105, accepted=False)
    b.submit(3, "personal", 1, "2026-09-15T10:00:00+08:00", contributor=9, published=3)
    # Department 2: 3 + 10 in week 1; office material in week 2 counts for no department.
    b.submit(3, "personal", 2, "2026-09-09T10:00:00+08:00", contributor=10, published=3)
    unit = b.submit(10, "department", 2, "2026-09-10T10:00:00+08:00", contributor=106, published=10)
    b.submit(1, "office", 2, "2026-09-16T10:00:00+08:00")
    # Department 3: nothing in week 1; 5 + 2 + 3 + 1 in week 2; its own material arrives after the period.
    b.submit(5, "personal", 3, "2026-09-14T09:00:00+08:00", contributor=104, published=2)
    b.submit(2, "personal", 3, "2026-09-15T09:00:00+08:00", contributor=201, published=2)
    b.submit(3, "personal", 3, "2026-09-16T09:00:00+08:00", contributor=202, published=2)
    b.submit(1, "personal", 3, "2026-09-16T09:30:00+08:00", contributor=203)
    late = b.submit(1, "department", 3, "2026-09-20T16:30:00Z")  # Monday 00:30 in Shanghai: outside
    # Department 4: Sunday 16:30 UTC is Monday 00:30 in Shanghai: week 2.
    b.submit(1, "department", 4, "2026-09-13T16:30:00Z")

    # A20: department 2 — 8 counted errors in its own material, 3 layout errors that do not count.
    b.error(4, unit[0], "department", "typo", department=2)
    b.error(4, unit[1], "department", "content_mismatch", department=2)
    b.error(3, unit[2], "department", "layout", department=2)
    # Department 3 — 5 counted errors (department from the submission), one found after the period.
    b.error(5, late[0], "department", "typo")
    b.error(1, late[0], "department", "typo", found_at="2026-09-21T10:00:00+08:00")
    # Department 1 — personal material never counts.
    b.error(6, 1000, "personal", "typo", department=1)
    # Department 4 — 4 counted errors: below the warning.
    b.error(4, late[0], "department", "content_mismatch", department=4)

    early, second = b.submit(
        2, "department", None, "2026-09-01T10:00:00+08:00", reached_office_at="2026-09-07T04:00:00+08:00"
    )
    rushed = b.submit(
        1, "department", None, "2026-09-01T10:00:00+08:00", reached_office_at="2026-09-09T10:00:00+08:00"
    )[0]
    unreached = b.submit(1, "department", None, "2026-09-15T06:00:00+08:00")[0]
    b.pushes = [
        {"id": "p1", "at": "2026-09-07T16:30:00+08:00", "breaking": False, "articles": [early]},  # 12.5 h
        {"id": "p2", "at": "2026-09-08T19:00:00+08:00", "breaking": False, "articles": [early]},  # A11.2
        {"id": "p3", "at": "2026-09-09T20:30:00+08:00", "breaking": False, "articles": [rushed]},  # 10.5 h: A16
        {"id": "p4", "at": "2026-09-10T03:00:00+08:00", "breaking": True, "articles": [rushed]},  # exempt
        {"id": "p5", "at": "2026-09-12T10:00:00+08:00", "breaking": False, "articles": [second]},  # Saturday
        {"at": "2026-09-14T08:30:00Z", "breaking": False, "articles": [second]},  # 16:30 in Shanghai
        # Two articles: the one without reached_office_at counts from its submission, 10 h before: A16.
        {"id": "p7", "at": "2026-09-15T16:00:00+08:00", "breaking": False, "articles": [second, unreached]},
    ]
    return {
        "period": {"start": "2026-09-07", "end": "2026-09-20"},
        "departments": [
            {"id": 1, "name": "学生处"},
            {"id": 2, "name": "教务科"},
            {"id": 3, "name": "团委"},
            {"id": 4, "name": "后勤处"},
        ],
        "contributors": [
            {"id": 101, "kind": "student", "department": 1},
            {"id": 105, "kind": "student", "department": 1},
            {"id": 9, "kind": "student", "department": 1},
            {"id": 10, "kind": "student", "department": 2},
            {"id": 106, "kind": "student", "department": 2},
            {"id": 104, "kind": "student", "department": 3},
            {"id": 201, "kind": "staff", "department": 3},
            {"id": 202, "kind": "staff", "department": 3},
            {"id": 203, "kind": "staff", "department": 3},
        ],
        "submissions": b.submissions,
        "errors": b.errors,
        "pushes": b.pushes,
    }
