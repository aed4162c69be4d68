"""After a review action the reviewer reads what happened (cms/review/outcome.py); a send-back reason is chosen."""

import datetime
import json

import pytest
from django.utils import timezone
from django.utils.translation import override

from cms.models import ProviderKind, SendBack
from cms.review.forms import CHECKLIST_KEYS, SendBackForm
from cms.review.outcome import review_outcome
from tests.publishing import publish_approved
from tests.review_steps import current, edit_data, submit
from wechat_channel.models import Push, PushItem, WeChatAccount


@pytest.fixture(autouse=True)
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


def act_in_editor(client, page, action, **extra):
    data = edit_data(
        page,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": action,
            "workflow-action-extra-data": json.dumps(extra),
        },
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/?next=/admin/", data, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def test_approving_a_stage_names_it_and_the_next(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    said = act_in_editor(client, page, "approve")
    assert f"《{page.title}》已通过科室负责人审核，转入分管领导审核。" in said
    assert not any("已被更新" in message for message in said)


def test_the_office_approval_says_it_is_published(client, article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    client.force_login(people["office"])
    checklist = {f"check_{key}": True for key in CHECKLIST_KEYS}
    said = act_in_editor(client, page, "approve", article=page.pk, comment="同意", **checklist)
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert f"《{page.title}》已通过办公室审核，已发布。" in said


def test_the_outcome_names_the_push_the_channel_planned(article_factory, people):
    page = publish_approved(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE))
    account = WeChatAccount.objects.create(slug="t", name="新闻中心", appid="wx1234567890abcdef", wechat_id="n")
    slot = timezone.make_aware(datetime.datetime(2026, 12, 7, 12, 0))  # noqa: DTZ001 - aware in the next breath
    push = Push.objects.create(account=account, slot=slot)
    PushItem.objects.create(push=push, account=account, page=page, title=page.title, position=0)
    with override("zh-hans"):
        said = review_outcome(page, "办公室审核", "approve")
    assert said.startswith(f"《{page.title}》已通过办公室审核，已发布。")
    assert "已排入新闻中心" in said and "12:00" in said


def test_before_the_channel_plans_it_the_outcome_says_where_it_will_be(article_factory, people):
    """The channel plans an approved article from the task queue, after the request: the reviewer learns where to
    look (A12), and nothing about a push while no account takes approved articles."""
    page = publish_approved(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE))
    with override("zh-hans"):
        assert "每周计划" not in review_outcome(page, "办公室审核", "approve")
    WeChatAccount.objects.create(
        slug="t", name="新闻中心", appid="wx1234567890abcdef", wechat_id="n", push_approved=True
    )
    with override("zh-hans"):
        said = review_outcome(page, "办公室审核", "approve")
    assert (
        said
        == f"《{page.title}》已通过办公室审核，已发布。 系统正在将其排入政策允许的下一次推送，见“微信 → 每周计划”。"
    )


def test_sending_back_reads_as_a_send_back(client, article_factory, people):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    client.force_login(people["head_a"])
    said = act_in_editor(client, page, "reject", reason="layout", comment="图片位置不对")
    assert f"已在科室负责人审核将《{page.title}》退回修改，并已告知供稿方原因。" in said


# -- A20: the send-back reason is chosen, never defaulted ---------------------------------


def test_the_send_back_reason_has_no_default():
    form = SendBackForm()
    assert form["reason"].value() in (None, "")
    html = str(form["reason"])
    assert '<option value="" selected>' in html
    assert "selected" not in html.split('<option value="" selected>', 1)[1]


@pytest.mark.parametrize("reason", ["", None, "content_mismatch ", "nonsense"])
def test_a_send_back_without_a_real_reason_is_refused_and_records_nothing(client, article_factory, people, reason):
    page = submit(article_factory(owner=people["contributor"], department=people["dept_a"]), people["contributor"])
    state = current(page)
    client.force_login(people["head_a"])
    data = {"comment": "请修改"}
    if reason is not None:
        data["reason"] = reason
    response = client.post(f"/admin/pages/workflow/action/{page.pk}/reject/{state.pk}/", data)
    assert response.status_code in (200, 302)
    assert not SendBack.objects.exists()
    assert current(page).pk == state.pk and current(page).status == "in_progress"


# -- after approve-and-publish the article is simply live ------------------------------------


def test_an_autosave_echoing_the_approval_leaves_no_draft_behind_the_publish(client, article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    client.force_login(people["office"])
    checklist = {f"check_{key}": True for key in CHECKLIST_KEYS}
    extra = {"article": page.pk, "comment": "同意", **checklist}
    act_in_editor(client, page, "approve", **extra)
    page.refresh_from_db()
    revisions = page.revisions.count()
    # Wagtail 8's autosave posts the form with the hidden fields the approve button added.
    echo = edit_data(
        page,
        **{
            "action-workflow-action": "true",
            "workflow-action-name": "approve",
            "workflow-action-extra-data": json.dumps(extra),
            "loaded_revision_id": str(page.latest_revision_id),
        },
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", echo, HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["success"] is False
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes
    assert page.revisions.count() == revisions and page.latest_revision_id == page.live_revision_id


def test_a_second_click_on_approve_saves_nothing_behind_the_publish(client, article_factory, people):
    page = submit(article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE), people["office"])
    client.force_login(people["office"])
    extra = {"article": page.pk, "comment": "同意", **{f"check_{key}": True for key in CHECKLIST_KEYS}}
    act_in_editor(client, page, "approve", **extra)
    page.refresh_from_db()
    revisions = page.revisions.count()
    said = act_in_editor(client, page, "approve", **extra)
    assert "该审核环节已结束。" in said
    page.refresh_from_db()
    assert page.live and not page.has_unpublished_changes and page.revisions.count() == revisions
