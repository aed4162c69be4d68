"""Each reader's e-mail is in their language: a contributor's in the language they used on the public form,
a staff member's in the one chosen in their account, anyone else's in the site's (zh-hans)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from wagtail.users.models import UserProfile

from cms.models import Contribution
from tests.cms.contributions.public_form import form_data, picture, post, send_back, status_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_state(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield
    cache.clear()


def contribute(people, capture, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    with capture(execute=True):
        response = post(client, form_data(people), [picture()])
    assert response.status_code == 302, response.content.decode()[:500]
    return client, Contribution.objects.get()


def prefer(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def to(address):
    return [message for message in mail.outbox if address in message.to]


@pytest.mark.parametrize(
    ("browser", "language", "subject_word"),
    [("en-GB,en;q=0.9", "en", "Received"), ("zh-CN,zh;q=0.9", "zh-hans", "已收到")],
)
def test_the_receipt_is_in_the_language_the_form_was_filled_in(
    site_tree, people, django_capture_on_commit_callbacks, browser, language, subject_word
):
    _client, contribution = contribute(people, django_capture_on_commit_callbacks, browser)
    assert contribution.language == language
    (receipt,) = to("li@example.edu.cn")
    assert subject_word in receipt.subject


def test_a_send_back_reaches_each_reader_in_their_language(site_tree, people, django_capture_on_commit_callbacks):
    client, contribution = contribute(people, django_capture_on_commit_callbacks, "en")
    prefer(people["head_a"], "en")  # the head who approved reads English; the leader keeps the site's Chinese
    page = contribution.page
    page.refresh_from_db()
    task_state = page.current_workflow_task_state.specific
    from cms.review.actions import perform

    with django_capture_on_commit_callbacks(execute=True):
        perform(task_state.task.specific, task_state, people["head_a"], "approve")
    mail.outbox.clear()
    page.refresh_from_db()
    leader = people["leader_a"]
    with django_capture_on_commit_callbacks(execute=True):
        task_state = page.current_workflow_task_state.specific
        perform(task_state.task.specific, task_state, leader, "reject", reason="typo", comment="第二段有错字")

    (provider,) = to("li@example.edu.cn")
    assert "sent back for revision at the supervising leader review stage" in provider.body
    assert "Wrong characters (typos)" in provider.body
    # The e-mail's link opens this contribution's status page (its token is signed with the second it was made).
    link = re.search(r"/contribute/status/[^/\s]+/", provider.body).group(0)
    assert "运动会开幕" in Client(HTTP_ACCEPT_LANGUAGE="en").get(link).content.decode()
    (head,) = to(people["head_a"].email)
    assert "which you approved" in head.body and "supervising leader review" in head.body
    assert "科室负责人审核" not in head.body and "分管领导审核" not in head.body

    # The status page reads the same stage in the visitor's language, whatever language the leader used.
    assert "supervising leader review" in client.get(status_url(contribution)).content.decode()
    chinese = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").get(status_url(contribution)).content.decode()
    assert "分管领导审核" in chinese


def test_a_revision_in_another_language_changes_the_language_of_later_mail(
    site_tree, people, django_capture_on_commit_callbacks
):
    _client, contribution = contribute(people, django_capture_on_commit_callbacks, "zh-CN")
    send_back(contribution.page, people)
    response = post(
        Client(HTTP_ACCEPT_LANGUAGE="en"), {"title": "运动会开幕", "text": "改正后的正文"}, url=status_url(contribution)
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.language == "en"


def test_staff_e_mail_follows_the_account_and_unknown_addresses_read_chinese(people):
    from cms.people.notifications import send_digest

    prefer(people["office"], "en")
    sent = send_digest(
        "daily_coverage", {"days": [], "version": "v1"}, [people["office"].email.upper(), "someone@example.org"]
    )
    assert sent == 2  # one message per language
    (english,) = to(people["office"].email.lower())
    (chinese,) = to("someone@example.org")
    assert english.subject != chinese.subject
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese.subject)
    assert not any("\u4e00" <= char <= "\u9fff" for char in english.subject)
