"""The contributor's private status link and e-mails, attacked over HTTP (security issue, hole 10; A6.2.5).

A link found in an old mailbox or forwarded long ago must not open the material for good: it stops a
policy-set time (`contributions.status_link_days`) after the final decision, and the page says so.
Plain-text e-mails carry titles as typed, never HTML-escaped.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import TaskState

from cms.contributions import services
from cms.models import ArticlePage, Contribution
from policy_rules.decisions import active_version
from policy_rules.document import Contributions
from tests.security.visitor import assert_no_server_error, contribution_form

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("fresh_state")]

DAYS = Contributions().status_link_days


def submitted(people):
    data = contribution_form(people)
    data["department"] = people["dept_a"]
    return services.submit_contribution(data, [], "127.0.0.1")


def decided(contribution, people, days_ago):
    """End the review (the office cancels it), as if that happened `days_ago` days ago."""
    page = ArticlePage.objects.get(pk=contribution.page_id)
    page.current_workflow_state.cancel(user=people["office"])
    when = timezone.now() - datetime.timedelta(days=days_ago)
    TaskState.objects.filter(workflow_state__object_id=str(page.pk)).update(finished_at=when)
    return when


def status_path(contribution):
    return f"/contribute/status/{contribution.status_token}/"


def test_a_link_in_review_never_expires(visitor, site_tree, people):
    contribution = submitted(people)
    Contribution.objects.filter(pk=contribution.pk).update(created_at=timezone.now() - datetime.timedelta(days=1200))

    response = visitor.get(status_path(contribution))

    assert response.status_code == 200
    assert "data-link-expires" not in response.text


def test_after_the_decision_the_page_says_until_when_the_link_works(visitor, site_tree, people):
    contribution = submitted(people)
    when = decided(contribution, people, days_ago=DAYS - 1)

    response = visitor.get(status_path(contribution))

    assert response.status_code == 200
    until = timezone.localtime(when + datetime.timedelta(days=DAYS)).strftime("%Y-%m-%d")
    assert "data-link-expires" in response.text and until in response.text


def test_a_link_past_its_time_is_refused_with_410_and_revises_nothing(visitor, site_tree, people):
    contribution = submitted(people)
    decided(contribution, people, days_ago=DAYS + 1)
    page = ArticlePage.objects.get(pk=contribution.page_id)
    revisions = page.revisions.count()

    shown = visitor.get(status_path(contribution))
    posted = visitor.post(
        status_path(contribution),
        {"title": "改过的标题", "text": "新的正文"},
        headers={"Referer": visitor.url(status_path(contribution))},
    )

    for response in (shown, posted):
        assert_no_server_error(response)
        assert response.status_code == 410
        assert "data-link-expired" in response.text
        assert "运动会开幕" not in response.text  # the material is no longer shown
        assert response.headers["Referrer-Policy"] == "same-origin"
    assert page.revisions.count() == revisions
    assert ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().title == "运动会开幕"


def test_the_policy_sets_how_long_the_link_works(visitor, site_tree, people):
    contribution = submitted(people)
    decided(contribution, people, days_ago=10)
    assert visitor.get(status_path(contribution)).status_code == 200

    # What activating a version with a 7-day link does (the governance steps are tested in tests/policy_rules).
    active = active_version()
    active.document = {**active.document, "contributions": {"status_link_days": 7}}
    active.save(update_fields=["document"])

    assert visitor.get(status_path(contribution)).status_code == 410


def test_plain_text_emails_carry_the_title_as_typed(visitor, site_tree, people):
    title = "“青春”与'梦想' & <新生> \"报到\""

    response = visitor.post("/contribute/", contribution_form(people, title=title))

    assert response.status_code == 302
    receipt = next(message for message in mail.outbox if message.to == ["li@example.edu.cn"])
    assert title in receipt.subject and title in receipt.body
    assert not re.search(r"&(lt|gt|amp|quot|#x27|#39);", receipt.subject + receipt.body)
