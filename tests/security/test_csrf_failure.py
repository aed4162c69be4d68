"""Forms refused by the CSRF check (A6.2.5: a revision must not be lost), attacked over HTTP.

Chromium posted `Origin: null` from the status page while it sent `Referrer-Policy: no-referrer`
(the Fetch standard's "append a request `Origin` header"), and Django refused 提交修改 with its
bare English 403. Now the page sends `same-origin`, a browser posts the site's own origin, and any
refusal is a page in the visitor's language that gives back what they typed — escaped, never run.
"""

import pytest
from wagtail.models import WorkflowState

from cms.contributions import services
from cms.models import ArticlePage, Contribution
from cms.review.actions import perform
from tests.security.visitor import Visitor, assert_no_server_error, contribution_form

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.usefixtures("fresh_state")]

REFUSED = "表单未能提交"
HOSTILE = "</textarea><script>alert(document.cookie)</script>"


@pytest.fixture
def sent_back(site_tree, people):
    """Material sent back by the department head: its status page offers the revise form."""
    data = contribution_form(people)
    data["department"] = people["dept_a"]
    contribution = services.submit_contribution(data, [], "127.0.0.1")
    page = ArticlePage.objects.get(pk=contribution.page_id)
    task_state = page.current_workflow_task_state.specific
    perform(task_state.task.specific, task_state, people["head_a"], "reject", reason="typo", comment="请改错字")
    return contribution


def status_path(contribution):
    return f"/contribute/status/{contribution.status_token}/"


def revisions(contribution):
    return ArticlePage.objects.get(pk=contribution.page_id).revisions.count()


def test_the_status_page_lets_a_browser_send_its_origin(visitor, sent_back):
    response = visitor.get(status_path(sent_back))
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_revision_with_the_sites_origin_is_accepted(visitor, sent_back):
    response = visitor.post(status_path(sent_back), {"title": "运动会开幕", "text": "改正后的正文"})
    assert response.status_code == 302 and response.headers["Location"].endswith("?revised=1")
    page = ArticlePage.objects.get(pk=sent_back.page_id)
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_origin_null_is_refused_in_words_with_the_text_given_back_and_nothing_changed(visitor, sent_back):
    before = revisions(sent_back)
    path = status_path(sent_back)  # the token carries a timestamp: one address for the whole test
    response = visitor.post(path, {"title": "运动会开幕", "text": "改正后的正文\n第二行"}, headers={"Origin": "null"})
    assert_no_server_error(response)
    assert response.status_code == 403
    assert REFUSED in response.text and "data-csrf-failure" in response.text
    assert "改正后的正文\n第二行</textarea>" in response.text
    assert f'href="{path}"' in response.text  # back to the form
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "no-store" in response.headers["Cache-Control"]
    assert revisions(sent_back) == before
    page = ArticlePage.objects.get(pk=sent_back.page_id)
    assert page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES


def test_a_forged_cross_site_post_creates_nothing_and_shows_its_text_as_text(visitor, site_tree, people):
    response = visitor.post(
        "/contribute/", contribution_form(people, text=HOSTILE), headers={"Origin": "https://evil.example"}
    )
    assert_no_server_error(response)
    assert response.status_code == 403 and REFUSED in response.text
    assert "<script>alert" not in response.text
    assert "&lt;/textarea&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in response.text
    assert not Contribution.objects.exists()


def test_without_the_cookie_the_page_says_to_allow_cookies(live_server, site_tree, people):
    visitor = Visitor(live_server.url)
    token = visitor.csrf_token("/contribute/")
    visitor.session.cookies.clear()
    response = visitor.session.post(
        visitor.url("/contribute/"),
        {**contribution_form(people), "csrfmiddlewaretoken": token},
        headers={"Origin": visitor.base_url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 403
    assert "Cookie" in response.text and "运动会开幕" in response.text
    assert not Contribution.objects.exists()


def test_a_huge_refused_text_is_cut_to_the_forms_limit(visitor, site_tree, people):
    response = visitor.post("/contribute/", contribution_form(people, text="长" * 100_000), headers={"Origin": "null"})
    assert_no_server_error(response)
    assert response.status_code == 403
    assert "长" * 20_000 + "</textarea>" in response.text and "长" * 20_001 not in response.text
