"""Acting from the dashboard's "Awaiting your review" panel says what happened, like the edit view (issue 11 item 7).

The panel's buttons post to Wagtail's workflow action view (wagtailadmin_pages:workflow_action) with `next` set to
the dashboard; the modal ones (approve with comment, request changes, the office checklist) post with
X-Requested-With and follow the JSON's redirect. Each path ends with `review_outcome`'s sentence (A6.2, A6.3.1).
"""

import re

import pytest
from wagtail.users.models import UserProfile

from cms.models import ProviderKind
from cms.review.forms import CHECKLIST_KEYS
from tests.review_steps import current, submit

XHR = {"x-requested-with": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def panel_buttons(client):
    """The action URLs the dashboard's review panel offers, by label: {"批准": url, ...}."""
    html = client.get("/admin/").content.decode()
    buttons = re.findall(r'<button data-workflow-action-url="([^"]+)"\s*(data-launch-modal)?>([^<]+)</button>', html)
    return {label.strip(): (url, bool(modal)) for url, modal, label in buttons}


def messages_after(client, response):
    """The messages the reader sees on the page the action redirects to."""
    if response.headers.get("Content-Type", "").startswith("application/json"):
        url = response.json()["redirect"]
    else:
        assert response.status_code == 302
        url = response.url
    followed = client.get(url)
    assert followed.status_code == 200
    return [str(message) for message in followed.context["messages"]]


def test_approving_from_the_dashboard_names_the_stage_and_the_next(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    url, modal = panel_buttons(client)["批准"]
    assert not modal
    said = messages_after(client, client.post(url, {"next": "/admin/"}))
    assert f"《{page.title}》已通过科室负责人审核，转入分管领导审核。" in said
    assert current(page).task.specific._meta.model_name == "supervisingleadertask"


def test_approving_with_a_comment_in_the_modal_says_the_same(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    url, modal = panel_buttons(client)["带意见批准"]
    assert modal
    assert client.get(url, headers=XHR).status_code == 200
    said = messages_after(client, client.post(url, {"comment": "同意", "next": "/admin/"}, headers=XHR))
    assert f"《{page.title}》已通过科室负责人审核，转入分管领导审核。" in said


def test_the_office_approval_from_the_dashboard_says_it_is_published(client, article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    client.force_login(people["office"])
    [(label, (url, modal))] = [
        (label, button) for label, button in panel_buttons(client).items() if "/approve/" in button[0]
    ]
    assert modal and label.startswith("批准")  # the office's checklist modal (A6.2)
    assert "data-newsroom-office-approval" in client.get(url, headers=XHR).json()["html"]
    data = {
        "article": page.pk,
        "comment": "同意",
        "next": "/admin/",
        **{f"check_{key}": "on" for key in CHECKLIST_KEYS},
    }
    said = messages_after(client, client.post(url, data, headers=XHR))
    page.refresh_from_db()
    assert page.live
    assert f"《{page.title}》已通过办公室审核，已发布。" in said


def test_sending_back_from_the_dashboard_reads_as_a_send_back(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    url, modal = panel_buttons(client)["请求修改"]
    assert modal
    data = {"reason": "layout", "comment": "图片位置不对", "next": "/admin/"}
    said = messages_after(client, client.post(url, data, headers=XHR))
    assert f"已在科室负责人审核将《{page.title}》退回修改，并已告知供稿方原因。" in said


def test_the_message_is_in_the_readers_language(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    profile = UserProfile.get_for_user(people["head_a"])
    profile.preferred_language = "en"
    profile.save()
    client.force_login(people["head_a"])
    url, _modal = panel_buttons(client)["Approve"]
    said = messages_after(client, client.post(url, {"next": "/admin/"}))
    assert f"Approved “{page.title}” at department head review; it moves on to supervising leader review." in said


def test_an_invalid_modal_form_does_nothing_and_says_nothing(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    state = current(page)
    client.force_login(people["head_a"])
    url, _modal = panel_buttons(client)["请求修改"]
    response = client.post(url, {"comment": "", "reason": "nonsense"}, headers=XHR)
    assert response.status_code == 200 and response.json()["step"] == "action"
    assert current(page).pk == state.pk and current(page).status == "in_progress"
    assert not [str(m) for m in client.get("/admin/").context["messages"]]


def test_a_second_click_on_a_stale_button_says_the_stage_is_finished(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    url, _modal = panel_buttons(client)["批准"]
    client.post(url, {"next": "/admin/"})
    client.get("/admin/")  # the first outcome is read
    leader_stage = current(page)
    response = client.post(url, {"next": "/admin/"})
    said = messages_after(client, response)
    assert "该审核环节已结束。" in said and not any("已通过" in message for message in said)
    assert current(page).pk == leader_stage.pk and current(page).status == "in_progress"


@pytest.mark.parametrize("headers", [{}, XHR])
def test_a_url_pairing_an_article_with_another_articles_stage_does_nothing(client, article_factory, people, headers):
    mine = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    other = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    state = current(mine)
    client.force_login(people["head_a"])
    response = client.post(
        f"/admin/pages/workflow/action/{other.pk}/approve/{state.pk}/", {"next": "/admin/"}, headers=headers
    )
    said = messages_after(client, response)
    assert "该审核环节属于另一篇稿件，未做任何操作。" in said
    assert current(mine).pk == state.pk and current(mine).status == "in_progress"
    assert (
        current(other).status == "in_progress" and current(other).task.specific._meta.model_name == "departmentheadtask"
    )
