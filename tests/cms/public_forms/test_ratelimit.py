"""`cms.public_forms.ratelimit`: counters taken all or nothing, before the work, given back when it fails."""

import datetime

import pytest
from django.utils import timezone

from cms.models import RateLimitCounter
from cms.public_forms import ratelimit


@pytest.fixture(autouse=True)
def limit_of_two(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_RATE_LIMIT": 2}


def submit(email, ip, form="contribution"):
    with ratelimit.reserved(*ratelimit.submission(email, ip, form)):
        pass


def test_the_limit_counts_the_address_in_any_case_and_the_client(db):
    submit("a@example.edu.cn", "10.0.0.1")
    submit("A@Example.edu.cn ", "10.0.0.2")
    with pytest.raises(ratelimit.LimitReached) as refused:
        submit("a@example.edu.cn", "10.0.0.3")
    assert refused.value.kind == ratelimit.SUBMISSIONS
    assert ratelimit.submissions_exceeded("a@example.edu.cn", "10.0.0.9")
    assert not ratelimit.submissions_exceeded("b@example.edu.cn", "10.0.0.9")


def test_a_refused_charge_takes_nothing_from_the_others(db):
    submit("a@example.edu.cn", "10.0.0.1")
    submit("b@example.edu.cn", "10.0.0.1")
    with pytest.raises(ratelimit.LimitReached):
        submit("c@example.edu.cn", "10.0.0.1")  # the client is full: c's counter is not charged either
    submit("c@example.edu.cn", "10.0.0.2")
    submit("c@example.edu.cn", "10.0.0.3")


def test_work_that_fails_gives_its_charges_back(db):
    with pytest.raises(RuntimeError), ratelimit.reserved(*ratelimit.submission("a@example.edu.cn", "10.0.0.1")):
        raise RuntimeError("the submission failed")
    submit("a@example.edu.cn", "10.0.0.1")
    submit("a@example.edu.cn", "10.0.0.1")


def test_forms_are_counted_apart(db):
    submit("", "10.0.0.1", form="report")
    submit("", "10.0.0.1", form="report")
    submit("", "10.0.0.1")


def age_counters(seconds):
    RateLimitCounter.objects.update(window_started_at=timezone.now() - datetime.timedelta(seconds=seconds))


def test_a_window_that_has_ended_starts_again(db, settings):
    submit("a@example.edu.cn", "10.0.0.1")
    submit("a@example.edu.cn", "10.0.0.1")
    age_counters(settings.NEWSROOM["CONTRIBUTION_RATE_WINDOW_SECONDS"] - 60)
    with pytest.raises(ratelimit.LimitReached):
        submit("a@example.edu.cn", "10.0.0.1")
    age_counters(settings.NEWSROOM["CONTRIBUTION_RATE_WINDOW_SECONDS"])
    submit("a@example.edu.cn", "10.0.0.1")
    assert set(RateLimitCounter.objects.values_list("count", flat=True)) == {1}


def test_counters_of_ended_windows_are_purged(db, settings):
    submit("a@example.edu.cn", "10.0.0.1")
    assert ratelimit.purge_expired_counters() == 0
    age_counters(settings.NEWSROOM["CONTRIBUTION_RATE_WINDOW_SECONDS"])
    assert ratelimit.purge_expired_counters() == 2
    assert not RateLimitCounter.objects.exists()
