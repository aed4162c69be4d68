"""Shared governance test helpers: a fortnight of facts, and versions walked to each status."""

import copy
import datetime

import pytest
from django.conf import settings
from django.test import override_settings

from cms.models import Department, Person
from policy_rules import versions
from policy_rules.models import PolicyVersion

START, END = "2026-03-02", "2026-03-15"  # two Monday–Sunday weeks
FACTS = "tests.policy_rules.governance.fortnight_facts"
PEOPLE_FACTS = "tests.policy_rules.governance.people_fortnight_facts"


def fortnight_facts(start, end):
    """学生处 provides one item and makes six typos (one a day, 2–7 March); 教务科 provides one a week."""
    return {
        "period": {"start": START, "end": END},
        "departments": [{"id": "a", "name": "学生处"}, {"id": "b", "name": "教务科"}],
        "contributors": [{"id": "s1", "kind": "student", "department": "a"}],
        "submissions": [
            {"id": 1, "provider": "department", "department": "a", "submitted_at": "2026-03-02T10:00"},
            {"id": 2, "provider": "department", "department": "b", "submitted_at": "2026-03-03T10:00"},
            {"id": 3, "provider": "department", "department": "b", "submitted_at": "2026-03-10T10:00"},
            *[
                {
                    "id": 10 + n,
                    "provider": "personal",
                    "contributor": "s1",
                    "department": "a",
                    "submitted_at": f"2026-03-0{n + 2}T09:00",
                    "accepted": True,
                }
                for n in range(3)
            ],
        ],
        "errors": [
            {"submission": 1, "provider": "department", "kind": "typo", "found_at": f"2026-03-0{day}T09:00"}
            for day in range(2, 8)
        ],
    }


def people_fortnight_facts(start, end):
    """The fortnight with the `people` fixture's departments (codes a and b) and its student 张同学 (s1) by their
    ids in the site, so the site's names adapter names them as a real facts provider's ids would be named."""
    ids = dict(Department.objects.filter(code__in=["a", "b"]).values_list("code", "pk"))
    ids["s1"] = Person.objects.get(number="2026000001").pk
    facts = fortnight_facts(start, end)
    for row in facts["departments"] + facts["contributors"]:
        row["id"] = ids[row["id"]]
    for row in facts["contributors"] + facts["submissions"]:
        for field in ("contributor", "department"):
            if row.get(field) in ids:
                row[field] = ids[row[field]]
    return facts


@pytest.fixture
def facts_provider(settings):
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "FACTS_PROVIDER": FACTS,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
    }


@pytest.fixture
def people_facts_provider(settings, people):
    """The fortnight's facts by the ids of the `people` fixture's departments and student (named by the site)."""
    settings.POLICY_RULES = {
        **settings.POLICY_RULES,
        "FACTS_PROVIDER": PEOPLE_FACTS,
        "CALENDAR": "policy_rules.calendar.weekday_calendar",
    }
    return people


def v1():
    return PolicyVersion.objects.get(scope="default", number=1)


def changed(data, **values):
    """A copy of `data` with `section__field=value` changes."""
    data = copy.deepcopy(data)
    for dotted, value in values.items():
        *parents, leaf = dotted.split("__")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    return data


def draft(user=None, **values):
    version = versions.start_draft("default", user)
    if values:
        versions.edit_draft(version, changed(version.document, **values), user, note="test")
    return version


def validated(user=None, **values):
    version = draft(user, **values)
    report = versions.validate(version, user)
    assert report["ok"], report
    return version


def ready(user=None, **values):
    """A validated version whose activation gate is open: dry-run over the fortnight's facts, a past period with
    data, whatever facts the site under test would give for it (an empty site gives none, which proves nothing)."""
    version = validated(user, **values)
    with override_settings(POLICY_RULES={**settings.POLICY_RULES, "FACTS_PROVIDER": FACTS}):
        versions.dry_run(version, *period(), user)
    return version


def period():
    return datetime.date.fromisoformat(START), datetime.date.fromisoformat(END)


def actions(version):
    return list(version.events.order_by("at", "pk").values_list("action", flat=True))
