"""No door to live without office approval (A6.3.1): every Wagtail publishing path meets cms/review/publication.py."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.actions.move_page import MovePageAction
from wagtail.models import Page, PageLogEntry, Revision, Workflow, WorkflowPage

from cms.admin.setup import ensure_newsroom_setup
from cms.models import ArticlePage, ProviderKind
from cms.review.publication import PublicationRefused
from tests.publishing import publish_approved
from tests.review_steps import CHECKED, act, edit_data, submit

REFUSAL_ZH = "稿件须经办公室审核批准后发布"


def published_log_entries(page):
    return PageLogEntry.objects.filter(page_id=page.pk, action__startswith="wagtail.publish")


def assert_not_published(page):
    page = ArticlePage.objects.get(pk=page.pk)
    assert not page.live
    assert page.live_revision_id is None and page.first_published_at is None
    assert not published_log_entries(page).exists()
    assert not Revision.objects.filter(object_id=str(page.pk), approved_go_live_at__isnull=False).exists()


@pytest.fixture
def office_article(article_factory, people):
    return article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)


@pytest.fixture
def office(client, people):
    client.force_login(people["office"])
    return client


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# -- the create view ------------------------------------------------------


def create_url(index):
    return f"/admin/pages/add/cms/articlepage/{index.pk}/"


def test_create_view_offers_only_save_draft_for_an_article(office, index):
    html = office.get(create_url(index)).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' not in html
    assert "Moderators" not in html


def test_publishing_from_the_create_view_saves_a_draft_and_says_why(office, index, people, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    data = edit_data(ArticlePage(title="办公室直接发布", slug="direct", provider_kind=ProviderKind.OFFICE))
    response = office.post(create_url(index), {**data, "action-publish": "action-publish"}, follow=True)
    page = ArticlePage.objects.get(slug="direct")
    assert_not_published(page)
    assert response.redirect_chain[-1][0] == f"/admin/pages/{page.pk}/edit/"
    assert any(REFUSAL_ZH in message for message in messages_of(response))


def test_a_scheduled_publish_from_the_create_view_schedules_nothing(office, index):
    go_live = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    data = edit_data(ArticlePage(title="定时发布", slug="scheduled", provider_kind=ProviderKind.OFFICE))
    office.post(create_url(index), {**data, "go_live_at": go_live, "action-publish": "action-publish"})
    assert_not_published(ArticlePage.objects.get(slug="scheduled"))


# -- edit view, revisions view, bulk actions --------------------------------


def test_revisions_view_cannot_publish_an_older_version(office, office_article, people):
    live = publish_approved(office_article, people["office"])
    live.title = "改过的标题"
    live.save_revision(user=people["office"])
    old_revision = live.live_revision
    url = f"/admin/pages/{live.pk}/revisions/{old_revision.pk}/revert/"
    assert 'name="action-publish"' not in office.get(url).content.decode()
    response = office.post(url, edit_data(live, title="回退后直接发布", **{"action-publish": "publish"}))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.live_revision_id == old_revision.pk and live.title != "回退后直接发布"


def test_republishing_after_an_unpublish_needs_review_again(office, office_article, people):
    live = publish_approved(office_article, people["office"])
    live.unpublish(user=people["office"])
    office.post(f"/admin/pages/{live.pk}/edit/", edit_data(live, **{"action-publish": "publish"}))
    live.refresh_from_db()
    assert not live.live


def test_bulk_publish_reaches_the_model_guard_even_without_the_hook(office_article, people):
    # What the bulk action does once its hook is passed: save a revision and publish it.
    with pytest.raises(PublicationRefused):
        office_article.save_revision(user=people["office"]).publish(user=people["office"])
    assert_not_published(office_article)


@pytest.mark.parametrize("bulk_action", ["publish"])
def test_bulk_publish_of_several_articles_publishes_none(office, article_factory, people, bulk_action):
    pages = [article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE) for _ in range(3)]
    ids = "&".join(f"id={page.pk}" for page in pages)
    response = office.post(f"/admin/bulk/wagtailcore/page/{bulk_action}/?{ids}", {}, follow=True)
    assert response.status_code == 200
    for page in pages:
        assert_not_published(page)


# -- scheduled publishing ---------------------------------------------------


def test_an_unapproved_revision_cannot_be_scheduled(office_article, people):
    draft = office_article.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(PublicationRefused):
        draft.save_revision(user=people["office"]).publish(user=people["office"])
    assert_not_published(office_article)


def test_publish_scheduled_publishes_only_what_the_office_approved(office_article, article_factory, people):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    draft = office_article.get_latest_revision_as_object()
    draft.go_live_at = soon
    draft.save_revision(user=people["office"])
    approved = submit(office_article, people["office"])
    act(approved, people["office"], "approve", **CHECKED)  # the workflow schedules it: approved_go_live_at
    approved.refresh_from_db()
    assert not approved.live

    other = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)
    sneaked = other.save_revision(user=people["office"])
    # A schedule written past the model (as before this fix); the data migration clears such rows,
    # and even if one survives the command cannot make it live.
    Revision.objects.filter(pk=sneaked.pk).update(approved_go_live_at=soon)

    ArticlePage.objects.filter(pk=approved.pk).update(go_live_at=timezone.now() - datetime.timedelta(seconds=1))
    Revision.objects.filter(approved_go_live_at=soon).update(approved_go_live_at=timezone.now())
    with pytest.raises(PublicationRefused):
        call_command("publish_scheduled")
    assert not ArticlePage.objects.get(pk=other.pk).live


def test_the_workflow_schedules_an_approved_article_and_the_command_publishes_it(office_article, people):
    draft = office_article.get_latest_revision_as_object()
    draft.go_live_at = timezone.now() + datetime.timedelta(minutes=5)
    draft.save_revision(user=people["office"])
    page = submit(office_article, people["office"])
    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert not page.live
    scheduled = Revision.objects.exclude(approved_go_live_at=None).get(object_id=str(page.pk))
    due = timezone.now() - datetime.timedelta(seconds=1)  # five minutes later, as the cron job sees it
    scheduled.content["go_live_at"] = due.isoformat()
    Revision.objects.filter(pk=scheduled.pk).update(content=scheduled.content, approved_go_live_at=due)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes


# -- the admin API ------------------------------------------------------------


def api_action(page, name):
    return f"/admin/api/main/pages/{page.pk}/action/{name}/"


def test_admin_api_publish_is_refused(office, office_article):
    response = office.post(api_action(office_article, "publish"), {}, content_type="application/json")
    assert response.status_code == 403
    assert_not_published(office_article)


@pytest.mark.parametrize("action", ["copy", "create_alias"])
def test_admin_api_copies_and_aliases_of_a_live_article_are_drafts(office, office_article, people, index, action):
    live = publish_approved(office_article, people["office"])
    if action == "copy":
        payload = {"slug": f"{action}-of-live", "keep_live": True}
    else:
        payload = {"update_slug": f"{action}-of-live", "destination_page_id": index.pk}
    response = office.post(api_action(live, action), payload, content_type="application/json")
    assert response.status_code in (200, 201), response.content
    copy = ArticlePage.objects.get(slug=f"{action}-of-live")
    assert_not_published(copy)


def test_admin_api_revert_to_an_approved_revision_publishes_nothing_new(office, office_article, people):
    live = publish_approved(office_article, people["office"])
    approved = live.live_revision
    live.title = "之后的修改"
    live.save_revision(user=people["office"])
    response = office.post(
        api_action(live, "revert_to_page_revision"), {"revision_id": approved.pk}, content_type="application/json"
    )
    assert response.status_code in (200, 403)
    live.refresh_from_db()
    assert live.live_revision_id == approved.pk


# -- copy and move in the admin --------------------------------------------------


def test_copying_a_live_article_with_publish_copies_makes_a_draft(office, office_article, people, index):
    live = publish_approved(office_article, people["office"])
    response = office.post(
        f"/admin/pages/{live.pk}/copy/",
        {"new_title": "复制的稿件", "new_slug": "copied", "new_parent_page": index.pk, "publish_copies": "on"},
    )
    assert response.status_code == 302
    assert_not_published(ArticlePage.objects.get(slug="copied"))
    live.refresh_from_db()
    assert live.live


def test_copying_the_index_with_its_articles_keeps_every_copied_article_a_draft(office_article, people, site_tree):
    home, index = site_tree
    publish_approved(office_article, people["office"])
    index.copy(recursive=True, to=home, update_attrs={"slug": "index-copy", "title": "副本"}, keep_live=True)
    copied = Page.objects.get(slug="index-copy")
    for article in ArticlePage.objects.child_of(copied):
        assert_not_published(article)


def test_moving_keeps_a_draft_a_draft_and_a_live_article_live(article_factory, people, index):
    draft = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)
    live = publish_approved(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE))
    for page in (draft, live):
        MovePageAction(page, index, pos="first-child", user=people["office"]).execute()
    assert_not_published(draft)
    assert ArticlePage.objects.get(pk=live.pk).live


# -- the legitimate path ----------------------------------------------------------


def test_office_approval_publishes_the_latest_revision_with_no_draft_left(office_article, people):
    page = submit(office_article, people["office"])
    edited = page.get_latest_revision_as_object()
    edited.digest = "办公室审核时补充的摘要"
    edited.save_revision(user=people["office"])  # the office's own edit during its review
    act(page, people["office"], "approve", **CHECKED)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and page.digest == "办公室审核时补充的摘要"
    assert not page.has_unpublished_changes
    assert current_state_revision(page) == page.live_revision_id


def current_state_revision(page):
    from cms.models import OfficeReviewTaskState

    return OfficeReviewTaskState.objects.filter(workflow_state__object_id=str(page.pk)).get().revision_id


def test_an_already_live_article_saves_without_a_new_approval(office_article, people):
    live = publish_approved(office_article, people["office"])
    live.search_description = "元数据"
    live.save()  # e.g. Wagtail updating fields of the live row: no new revision goes live
    assert ArticlePage.objects.get(pk=live.pk).live


# -- the stock workflow -------------------------------------------------------------


def test_set_up_detaches_the_stock_moderators_workflow(db, site_tree):
    root = Page.get_first_root_node()
    stock = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowPage.objects.create(workflow=stock, page=root)
    ensure_newsroom_setup()
    stock.refresh_from_db()
    assert not stock.active
    assert not WorkflowPage.objects.filter(page=root).exists()
    home, index = site_tree
    assert not index.has_workflow and not home.has_workflow
