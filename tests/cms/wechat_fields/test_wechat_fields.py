"""The office changes an approved article's WeChat-only fields (cover image, digest) without a new review (A6.3.1)."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, PageLogEntry, Revision, WorkflowState

from cms.contributions.services import pending_collection
from cms.models import ArticlePage, ProviderKind
from cms.wechat_fields import audit, services
from tests.review_steps import CHECKED, act, submit
from wechat_channel.adapters import adapter_for, wechat_problems
from wechat_channel.models import Push, PushItem, WeChatAccount

OTHER_ROLES = ["contributor", "head_a", "leader_a", "college_leader", "channel", "policy"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def image(title, collection=None, uploaded_by=None):
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (20, 120, 200)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title,
        file=ContentFile(buffer.getvalue(), name=f"{title}.png"),
        collection=collection or Collection.get_first_root_node(),
        uploaded_by_user=uploaded_by,
    )


@pytest.fixture
def approved(article_factory, people):
    """An article the office approved with no cover (before the checklist asked for one): live, review finished."""
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert page.live and page.cover_image_id is None
    return page


def url(page_id):
    return f"/admin/articles/{page_id}/wechat/"


def state(page):
    """What a refused request must leave as it was."""
    page = ArticlePage.objects.get(pk=page.pk)
    return (
        page.cover_image_id,
        page.digest,
        Revision.objects.filter(object_id=str(page.pk)).count(),
        PageLogEntry.objects.filter(page=page).count(),
        WorkflowState.objects.filter(object_id=str(page.pk)).count(),
    )


def test_the_office_sets_a_cover_and_digest_audited_without_a_new_review(client, approved, people):
    cover = image("运动会封面")
    revisions = Revision.objects.filter(object_id=str(approved.pk)).count()
    workflows = WorkflowState.objects.filter(object_id=str(approved.pk)).count()
    client.force_login(people["office"])

    response = client.post(url(approved.pk), {"cover_image": cover.pk, "digest": "第十届运动会今天开幕。"}, follow=True)

    assert "微信设置已保存，无需重新审核" in response.content.decode()
    page = ArticlePage.objects.get(pk=approved.pk)
    assert page.live and page.cover_image == cover and page.digest == "第十届运动会今天开幕。"
    assert not page.has_unpublished_changes
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions  # nothing new to approve
    assert WorkflowState.objects.filter(object_id=str(page.pk)).count() == workflows  # no review re-opened
    assert page.get_latest_revision_as_object().cover_image == cover  # a later edit keeps it
    assert page.live_revision.as_object().digest == "第十届运动会今天开幕。"
    entry = PageLogEntry.objects.get(page=page, action=audit.CHANGE.code)
    assert entry.user == people["office"]
    assert entry.data["changes"] == {
        "cover_image": {"old": None, "new": {"id": cover.pk, "title": "运动会封面"}},
        "digest": {"old": "", "new": "第十届运动会今天开幕。"},
    }
    history = client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    assert "已修改微信设置（无需重新审核）" in history and "封面图：— → 运动会封面" in history


def test_the_form_shows_what_wechat_would_refuse_then_ready(client, approved, people):
    WeChatAccount.objects.create(name="学院微信", slug="news", appid="wx0000000000000001")
    client.force_login(people["office"])

    before = client.get(url(approved.pk)).content.decode()
    assert 'data-wechat-problem="no_cover"' in before and "没有封面图" in before

    after = client.post(url(approved.pk), {"cover_image": image("封面").pk, "digest": ""}, follow=True)
    assert "可以推送到微信" in after.content.decode()
    assert [p.code for p in wechat_problems(ArticlePage.objects.get(pk=approved.pk))] == ["digest_default"]  # a warning


@pytest.mark.parametrize("username", OTHER_ROLES)
def test_other_roles_are_refused_on_the_server(client, approved, people, username):
    cover = image("封面")
    before = state(approved)
    client.force_login(people[username])

    assert client.get(url(approved.pk)).status_code == 403
    assert client.post(url(approved.pk), {"cover_image": cover.pk, "digest": "x"}).status_code == 403
    assert state(approved) == before
    with pytest.raises(services.PermissionDenied):
        services.change(approved.pk, people[username], cover_image=cover, digest="x")


def test_the_page_header_offers_it_to_the_office_only(client, approved, people):
    client.force_login(people["office"])
    assert url(approved.pk) in client.get(f"/admin/pages/{approved.pk}/edit/").content.decode()
    client.force_login(people["channel"])
    assert url(approved.pk) not in client.get(f"/admin/pages/{approved.pk}/edit/").content.decode()


@pytest.mark.parametrize("page_id", ["0", "999999", "99999999999999999999999"])
def test_unknown_ids_are_refused_without_an_error(client, people, page_id):
    client.force_login(people["office"])
    response = client.get(f"/admin/articles/{page_id}/wechat/")
    assert response.status_code in (403, 404)


def test_a_page_that_is_not_an_article_is_refused(client, people, approved):
    client.force_login(people["office"])
    assert client.get(url(approved.get_parent().pk)).status_code == 403


def test_an_article_not_yet_approved_is_changed_in_the_editor_not_here(client, article_factory, people):
    draft = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE)
    before = state(draft)
    client.force_login(people["office"])

    shown = client.get(url(draft.pk)).content.decode()
    assert "这篇文章尚未批准" in shown and "data-wechat-fields-form" not in shown
    response = client.post(url(draft.pk), {"cover_image": image("封面").pk, "digest": "x"})
    assert response.status_code == 200 and "这篇文章尚未批准" in response.content.decode()
    assert state(draft) == before


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"cover_image": "", "digest": "x"}, "微信需要封面图"),
        ({"cover_image": "abc", "digest": "x"}, "请从你可以使用的图片中选择"),
        ({"cover_image": "-1", "digest": "x"}, "请从你可以使用的图片中选择"),
        ({"cover_image": "9" * 30, "digest": "x"}, "请从你可以使用的图片中选择"),
        ({"cover_image": "COVER", "digest": "摘" * 121}, "120"),  # the site's digest field; WeChat's is 128
        ({"cover_image": "COVER", "digest": "a\x00b"}, "不允许是用空字符串"),  # Django's own words
    ],
    ids=["no-cover", "text-id", "negative-id", "huge-id", "oversized-digest", "nul"],
)
def test_hostile_values_get_a_clear_error_and_change_nothing(client, approved, people, values, said):
    cover = image("封面")
    values = {k: str(cover.pk) if v == "COVER" else v for k, v in values.items()}
    before = state(approved)
    client.force_login(people["office"])

    response = client.post(url(approved.pk), values)

    assert response.status_code == 200
    assert said.lower() in response.content.decode().lower()
    assert state(approved) == before


def test_someone_elses_held_upload_cannot_become_the_cover(client, approved, people):
    """A public contributor's image still held in "Contributions (pending)" is no one's to choose."""
    held = image("held-upload", pending_collection())
    before = state(approved)
    client.force_login(people["office"])

    response = client.post(url(approved.pk), {"cover_image": held.pk, "digest": ""})

    assert "请从你可以使用的图片中选择" in response.content.decode()
    assert state(approved) == before
    with pytest.raises(services.PermissionDenied):
        services.change(approved.pk, people["office"], cover_image=held, digest="")


def test_markup_in_the_digest_is_kept_as_text(client, approved, people):
    client.force_login(people["office"])
    client.post(url(approved.pk), {"cover_image": image("封面").pk, "digest": "<script>alert(1)</script> a<b"})
    page = ArticlePage.objects.get(pk=approved.pk)
    assert page.digest == "<script>alert(1)</script> a<b"
    shown = client.get(url(approved.pk)).content.decode()
    assert "<script>alert(1)</script>" not in shown


def test_a_push_not_started_takes_the_new_cover_a_drafted_one_says_it_does_not(client, approved, people):
    account = WeChatAccount.objects.create(name="学院微信", slug="news", appid="wx0000000000000001")
    planned = Push.objects.create(account=account, slot=approved.first_published_at)
    PushItem.objects.create(push=planned, account=account, page=approved, title=approved.title)
    client.force_login(people["office"])

    shown = client.post(url(approved.pk), {"cover_image": image("新封面").pk, "digest": ""}, follow=True)

    assert "尚未开始：推送时会使用这里保存的内容" in shown.content.decode()
    live = ArticlePage.objects.get(pk=approved.pk)  # what the push reads when it prepares its draft
    assert adapter_for(live).cover() is not None
    Push.objects.filter(pk=planned.pk).update(state=Push.State.DRAFTED)
    assert "草稿已生成：这里的修改不会进入这次推送" in client.get(url(approved.pk)).content.decode()


def test_saving_the_same_values_records_nothing(client, approved, people):
    cover = image("封面")
    client.force_login(people["office"])
    client.post(url(approved.pk), {"cover_image": cover.pk, "digest": "摘要"})
    before = state(approved)
    response = client.post(url(approved.pk), {"cover_image": cover.pk, "digest": "摘要"}, follow=True)
    assert "没有改动" in response.content.decode()
    assert state(approved) == before
