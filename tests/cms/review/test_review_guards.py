"""Articles stay on the review path in the admin: no direct publish, no reviewer cancel (A6.2, A6.3.1)."""

import pytest
from wagtail.models import WorkflowState

from cms.models import ProviderKind
from tests.review_steps import CHECKED, current, edit_data, stage_type, submit


def test_office_approves_and_publishes_through_the_admin_modal(client, article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{current(page).pk}/"
    client.force_login(people["office"])
    response = client.post(url, {"article": page.pk, **{k: "on" for k in CHECKED}, "comment": "好"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live


def test_office_cannot_publish_an_article_directly(client, article_factory, people):
    page = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)
    client.force_login(people["office"])
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert 'name="action-publish"' not in response.content.decode()
    response = client.post(f"/admin/pages/{page.pk}/edit/", edit_data(page, **{"action-publish": "publish"}))
    assert response.status_code == 302 and response.url == f"/admin/pages/{page.pk}/edit/"
    page.refresh_from_db()
    assert not page.live


def test_bulk_publish_of_articles_is_refused(client, article_factory, people):
    page = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)
    client.force_login(people["office"])
    url = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}"
    client.post(url, {})
    page.refresh_from_db()
    assert not page.live


@pytest.mark.parametrize(("username", "may_cancel"), [("head_a", False), ("contributor", True)])
def test_only_the_provider_may_withdraw_a_submission(client, article_factory, people, username, may_cancel):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people[username])
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert ('name="action-cancel-workflow"' in html) is may_cancel
    client.post(f"/admin/pages/{page.pk}/edit/", edit_data(page, **{"action-cancel-workflow": "true"}))
    state = WorkflowState.objects.get(object_id=str(page.pk))
    expected = WorkflowState.STATUS_CANCELLED if may_cancel else WorkflowState.STATUS_IN_PROGRESS
    assert state.status == expected


def test_reviewer_returns_to_the_dashboard_after_approving_in_the_editor(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    data = edit_data(page, **{"action-workflow-action": "true", "workflow-action-name": "approve"})
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302 and response.url == "/admin/"
    assert stage_type(page).__name__ == "SupervisingLeaderTask"
