"""The site's changes ask for the policy reports' recomputation (cms/policy/outcomes.py): once a burst, after
commit, and the worker's task then stores fresh outcomes."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from cms.models import ProviderKind, ReviewError, Semester, Submission
from policy_rules import versions
from policy_rules.models import OutcomeRecomputation, PeriodOutcome, PolicyVersion
from policy_rules.reports import recompute
from policy_rules.reports.tasks import recompute_outcomes
from tests.review_steps import act, submit
from wechat_channel.models import Push
from wechat_channel.signals import push_done


@pytest.fixture(autouse=True)
def recompute_on_change(settings):
    """As in production (the test settings turn it off: tasks run inline there)."""
    settings.POLICY_RULES = {**settings.POLICY_RULES, "RECOMPUTE_ON_CHANGE": True}


@pytest.fixture
def semester(db):
    today = timezone.localdate()
    return Semester.objects.create(
        name="本学期", start=today - datetime.timedelta(days=20), end=today + datetime.timedelta(days=60)
    )


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(recompute, "async_task", lambda func, *args, **kwargs: calls.append((func, args)))
    return calls


def submissions_of(department):
    outcome = PeriodOutcome.objects.get()
    return outcome.report["outcomes"]["departments"][str(department.pk)]["submissions"], outcome.computed_at


def test_a_burst_of_saves_queues_one_recomputation(
    semester, people, article_factory, enqueued, django_capture_on_commit_callbacks
):
    page = article_factory(department=people["dept_a"], owner=people["contributor"])
    with django_capture_on_commit_callbacks(execute=True):
        submission = Submission.objects.create(
            page=page, provider_kind=ProviderKind.DEPARTMENT, department=people["dept_a"]
        )
        for _ in range(20):
            submission.save()
    assert enqueued == [(recompute.TASK, ("default",))]
    assert OutcomeRecomputation.objects.get().since == timezone.localdate()

    recompute_outcomes(*enqueued[0][1])
    assert submissions_of(people["dept_a"])[0] == 1
    assert OutcomeRecomputation.objects.get().requested_at is None


def test_an_error_found_in_review_asks_for_the_periods_since_it(
    semester, people, article_factory, enqueued, django_capture_on_commit_callbacks
):
    page = submit(article_factory(department=people["dept_a"], owner=people["contributor"]), people["contributor"])
    enqueued.clear()
    OutcomeRecomputation.objects.all().delete()  # the submission's own request, never run: start afresh
    with django_capture_on_commit_callbacks(execute=True):
        act(page, people["head_a"], "reject", reason="typo", comment="第二段有错别字")
    assert ReviewError.objects.filter(page=page).exists()
    assert len(enqueued) == 1


def test_a_push_that_went_out_asks_for_its_day(db, enqueued, django_capture_on_commit_callbacks):
    sent = timezone.now() - datetime.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            push_done.send(Push, push=SimpleNamespace(sent_at=sent, slot=sent))
    assert len(enqueued) == 1
    assert OutcomeRecomputation.objects.get().since == timezone.localdate(sent)


def test_another_active_version_asks_for_every_period(db, enqueued, django_capture_on_commit_callbacks):
    version = PolicyVersion.active_for("default")
    with django_capture_on_commit_callbacks(execute=True):
        versions.version_activated.send(PolicyVersion, version=version, previous=None)
    assert len(enqueued) == 1
    assert OutcomeRecomputation.objects.get().since is None


def test_the_worker_stores_fresh_outcomes_after_a_change(
    semester, people, article_factory, django_capture_on_commit_callbacks
):
    """django-q2 runs in sync mode in the tests: the change's task runs when the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.create(
            page=article_factory(department=people["dept_a"]),
            provider_kind=ProviderKind.DEPARTMENT,
            department=people["dept_a"],
        )
    count, first = submissions_of(people["dept_a"])
    assert count == 1
    with django_capture_on_commit_callbacks(execute=True):
        Submission.objects.create(
            page=article_factory(department=people["dept_a"]),
            provider_kind=ProviderKind.DEPARTMENT,
            department=people["dept_a"],
        )
    count, then = submissions_of(people["dept_a"])
    assert count == 2 and then > first
