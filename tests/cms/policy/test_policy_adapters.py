"""What the site tells policy_rules: day types and the facts of a period, from the database."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.policy.adapters import day_types, facts_for_period
from tests.review_steps import CHECKED, act, submit

TODAY = timezone.localdate()
PERIOD = (TODAY - datetime.timedelta(days=7), TODAY + datetime.timedelta(days=1))


def test_day_types_follow_the_site_calendar(db):
    types = day_types(datetime.date(2026, 10, 1), datetime.date(2026, 10, 10))
    assert types[datetime.date(2026, 10, 1)] == "holiday"
    assert types[datetime.date(2026, 10, 10)] == "working"  # swapped working Saturday


def test_facts_of_a_period_describe_submissions_and_errors(article_factory, people):
    accepted = submit(
        article_factory(
            owner=people["contributor"],
            department=people["dept_a"],
            provider_kind="student",
            contributor=people["student"],
            text_author="张同学",
        ),
        people["contributor"],
    )
    act(accepted, people["head_a"], "approve")
    act(accepted, people["leader_a"], "approve")
    act(accepted, people["office"], "approve", **CHECKED)
    sent_back = submit(article_factory(owner=people["contributor"], department=people["dept_b"]), people["contributor"])
    act(sent_back, people["head_b"], "reject", reason="typo", comment="错别字")

    facts = facts_for_period(*PERIOD)

    by_id = {row["id"]: row for row in facts["submissions"]}
    assert by_id[accepted.pk]["provider"] == "personal"
    assert by_id[accepted.pk]["accepted"] is True and by_id[accepted.pk]["published_at"]
    assert by_id[accepted.pk]["reached_office_at"]
    assert by_id[sent_back.pk]["accepted"] is False and by_id[sent_back.pk]["published_at"] is None
    assert facts["errors"] == [
        {
            "submission": sent_back.pk,
            "department": people["dept_b"].pk,
            "provider": "department",
            "kind": "typo",
            "found_at": facts["errors"][0]["found_at"],
        }
    ]
    assert {"id": people["student"].pk, "kind": "student", "department": people["dept_a"].pk} in facts["contributors"]
    assert {d["id"] for d in facts["departments"]} == {people["dept_a"].pk, people["dept_b"].pk}


def test_facts_cost_the_same_queries_for_more_data(article_factory, people):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            facts_for_period(*PERIOD)
        return len(captured)

    submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    few = queries()
    for _ in range(5):
        page = submit(article_factory(owner=people["contributor"], department=people["dept_b"]), people["contributor"])
        act(page, people["head_b"], "reject", reason="content_mismatch", comment="不符")
    assert queries() == few


def test_pushes_that_went_out_are_facts_with_their_articles(article_factory, people):
    from policy_rules.facts_document import parse_facts
    from wechat_channel.models import Push, PushItem, WeChatAccount

    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    account = WeChatAccount.objects.create(
        name="校园", slug="campus", appid="wx0123456789abcdef", secret_env="WECHAT_S"
    )
    sent_at = timezone.now() - datetime.timedelta(days=1)
    done = Push.objects.create(account=account, slot=sent_at, state=Push.State.DONE, sent_at=sent_at)
    PushItem.objects.create(push=done, account=account, page=page, title=page.title, state="published")
    # Planned at the same hour (one account never has two live pushes at one instant, A12), not yet gone out.
    planned = Push.objects.create(account=account, slot=sent_at + datetime.timedelta(minutes=1))
    other = article_factory(owner=people["contributor"], department=people["dept_b"])
    PushItem.objects.create(push=planned, account=account, page=other, title=other.title)

    facts = facts_for_period(*PERIOD)

    [push] = facts["pushes"]
    assert datetime.datetime.fromisoformat(push["at"]) == sent_at  # ISO text in UTC (cms/policy/instants.py)
    assert push == {"id": done.pk, "at": push["at"], "breaking": False, "articles": [page.pk]}
    parse_facts(facts)  # the document the evaluation reads is valid: every pushed article is a submission


def test_facts_of_a_period_at_the_ends_of_the_calendar_do_not_overflow(db):
    """The day after 9999-12-31 and the time zone around 0001-01-01 are past datetime's range (policy_rules.bounds)."""
    for start, end in [
        (datetime.date(9999, 12, 1), datetime.date(9999, 12, 31)),
        (datetime.date(1, 1, 1), datetime.date(1, 12, 31)),
    ]:
        facts = facts_for_period(start, end)

        assert facts["period"] == {"start": start.isoformat(), "end": end.isoformat()}
        assert facts["submissions"] == [] and facts["errors"] == [] and facts["pushes"] == []
