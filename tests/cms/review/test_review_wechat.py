"""The office checklist refuses what WeChat would refuse (A6.3.3, A10.1; WeChat's limits in limits.py)."""

import io

import pytest
from django.core.files.images import ImageFile as DjangoImageFile
from django.utils import translation
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.models import OfficeReviewTask, ProviderKind
from cms.review.actions import ReviewRefused
from tests.review_steps import CHECKED, act, current, stage_type, submit
from wechat_channel.models import WeChatAccount


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def account(db):
    """An account that pushes approved articles: what WeChat refuses now matters (no call is made here)."""
    return WeChatAccount.objects.create(name="学院微信", slug="news", appid="wx0000000000000001")


def cover_image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (200, 10, 10)).save(buffer, "PNG")
    return get_image_model().objects.create(title="cover", file=DjangoImageFile(buffer, name="cover.png"))


def office_article(article_factory, people, title=None, **fields):
    page = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE, **fields)
    if title is not None:
        # The editor refuses a title over 32 now (ArticlePage.clean); one saved under the old limit of 64 can
        # still reach office review.
        draft = page.get_latest_revision_as_object()
        draft.title = title
        draft.save_revision(user=people["office"], clean=False)
    return submit(page, people["office"])


def refused(page, people):
    with pytest.raises(ReviewRefused) as caught, translation.override("zh-hans"):
        act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert not page.live
    assert stage_type(page) is OfficeReviewTask
    return str(caught.value)


def test_no_cover_is_refused_with_the_reason_and_the_fix(article_factory, people, account):
    page = office_article(article_factory, people)

    words = refused(page, people)

    assert "微信会拒收这篇文章" in words
    assert "没有封面图" in words and "请选择一张封面图" in words
    assert "编辑文章" in words  # where to fix it


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"title": "长" * 33}, "标题 33 字，微信最多 32 字"),  # the draft_add page: 不超过32个字
        ({"text_author": "作" * 17}, "作者 17 字，微信最多 16 字"),
        ({"body": [{"type": "paragraph", "value": "<p>" + "字" * 20_000 + "</p>"}]}, "微信要求少于 20,000 字符"),
    ],
    ids=["title-33", "author-17", "content-20000"],
)
def test_over_wechats_limits_is_refused(article_factory, people, account, fields, said):
    page = office_article(article_factory, people, cover_image=cover_image(), **fields)
    assert said in refused(page, people)


def test_the_refusal_reads_in_the_reviewers_language(article_factory, people, account):
    page = office_article(article_factory, people)
    with pytest.raises(ReviewRefused) as caught, translation.override("en"):
        act(page, people["office"], "approve", **CHECKED)
    assert "WeChat would refuse this article" in str(caught.value) and "There is no cover image" in str(caught.value)


def test_a_ready_article_is_approved_and_32_characters_is_not_too_long(article_factory, people, account):
    page = office_article(article_factory, people, title="题" * 32, cover_image=cover_image())
    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert page.live


def test_without_an_account_that_pushes_wechats_limits_do_not_apply(article_factory, people):
    """Nothing would send it to WeChat: the site alone publishes it (the site's own checks still run)."""
    page = office_article(article_factory, people)
    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert page.live


def test_the_modal_shows_the_problem_before_and_refuses_on_post(client, article_factory, people, account):
    page = office_article(article_factory, people, title="长" * 40)
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{current(page).pk}/"
    client.force_login(people["office"])

    shown = client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"]
    assert 'data-wechat-problem="title_long"' in shown and 'data-wechat-problem="no_cover"' in shown
    assert "标题 40 字，微信最多 32 字" in shown

    data = {"article": page.pk, **{key: "on" for key in CHECKED}}
    answer = client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"]
    assert "微信会拒收这篇文章" in answer
    page.refresh_from_db()
    assert not page.live


def test_the_refusal_checks_the_version_under_review_not_the_live_one(article_factory, people, account):
    """A draft that drops the cover after the last approval is refused even though the live page had one."""
    page = article_factory(owner=people["office"], provider_kind=ProviderKind.OFFICE, cover_image=cover_image())
    draft = page.get_latest_revision_as_object()
    draft.cover_image = None
    draft.save_revision(user=people["office"])
    submit(page, people["office"])
    assert "没有封面图" in refused(page, people)


def test_a_warning_is_shown_but_does_not_refuse(client, article_factory, people, account):
    page = office_article(article_factory, people, cover_image=cover_image())  # no digest: WeChat takes the body's
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{current(page).pk}/"
    client.force_login(people["office"])

    shown = client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).json()["html"]
    assert 'data-wechat-warning="digest_default"' in shown and "data-wechat-problem=" not in shown
    assert "这篇文章在微信中可能显示得不如预期" in shown

    act(page, people["office"], "approve", **CHECKED)
    page.refresh_from_db()
    assert page.live
