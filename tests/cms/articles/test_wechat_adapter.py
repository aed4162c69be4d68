"""Article pages as WeChat articles: the adapter, the draft WeChat accepts, and the "WeChat" preview mode."""

import io

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile as DjangoImageFile
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from cms.articles.wechat_adapter import ArticleAdapter
from cms.models import ProviderKind
from cms.models.review import Submission
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel.adapters import adapter_for
from wechat_channel.content.article import build_article
from wechat_channel.content.images import image_format
from wechat_channel.models import RehostedImage, WeChatAccount
from wechat_channel.wechat.client import client_for


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()


def wagtail_image(title, color, size=(400, 300)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=DjangoImageFile(buffer, name=f"{title}.png"))


@pytest.fixture
def article(article_factory, people):
    cover = wagtail_image("cover", (200, 10, 10))
    photo = wagtail_image("photo", (10, 200, 10))
    return article_factory(
        title="运动会开幕",
        digest="第十届运动会今天开幕。",
        department=people["dept_a"],
        provider_kind=ProviderKind.STUDENT,
        contributor=people["student"],
        text_author="李同学",
        cover_image=cover,
        is_repost=True,
        repost_source="校团委",
        body=[
            {"type": "paragraph", "value": '<h2>开幕式</h2><p>详见<a href="https://example.com/n">通知</a>。</p>'},
            {"type": "image", "value": {"image": photo.pk, "caption": "入场式"}},
            {"type": "quote", "value": {"text": "更高更快更强", "attribution": "校长"}},
        ],
    )


def test_the_adapter_is_registered_for_article_pages(article):
    assert isinstance(adapter_for(article), ArticleAdapter)


def test_the_adapter_reads_the_article(article):
    adapter = ArticleAdapter(article)

    assert adapter.title() == "运动会开幕"
    assert adapter.author() == "李同学"
    assert adapter.digest() == "第十届运动会今天开幕。"
    assert adapter.credits() == ["文字：李同学", "摄影：记者团", "排版：王编辑", "责任编辑：王编辑"]
    assert adapter.repost_source() == "校团委"
    assert (adapter.category(), adapter.time_sensitive(), adapter.breaking()) == ("news", False, False)
    assert image_format(adapter.cover().data) == "png"


def test_body_images_resolve_to_their_files_and_nothing_else(article):
    adapter = ArticleAdapter(article)
    html = adapter.body_html()
    src = html.split('src="', 1)[1].split('"', 1)[0]

    image = adapter.open_image(src)

    assert image is not None and image_format(image.data) in ("png", "jpg")
    assert adapter.open_image("http://testserver" + src) is not None  # absolute URLs too
    assert adapter.open_image("/media/original_images/someone-else.png") is None
    assert adapter.open_image(article.cover_image.file.url) is not None


def test_entered_office_at_comes_from_the_submission(article, people):
    assert ArticleAdapter(article).entered_office_at() is None
    reached = timezone.now()
    Submission.objects.create(
        page=article, provider_kind=ProviderKind.STUDENT, department=people["dept_a"], reached_office_at=reached
    )
    assert ArticleAdapter(article).entered_office_at() == reached


def test_the_article_becomes_a_draft_wechat_accepts(article, sandbox, monkeypatch):
    monkeypatch.setenv("WECHAT_TEST_SECRET", SECRET)
    account = WeChatAccount.objects.create(
        name="学院微信", slug="news", appid=APPID, secret_env="WECHAT_TEST_SECRET", api_base_url=sandbox.url
    )
    client = client_for(account)

    draft = build_article(account, client, ArticleAdapter(article))
    stored = client.drafts.get(client.drafts.add([draft]))[0]

    assert stored["title"] == "运动会开幕" and stored["author"] == "李同学"
    assert "<img" in stored["content"]  # re-hosted, so the draft box kept it
    assert "参考链接" in stored["content"] and "https://example.com/n" in stored["content"]
    assert "转载自：校团委" in stored["content"]
    assert RehostedImage.objects.filter(account=account).count() == 2  # one content image, one cover


def test_the_wechat_preview_mode_shows_a_phone(article):
    assert article.preview_modes[0][0] == ""  # the site preview stays the default
    assert "wechat" in dict(article.preview_modes)

    response = article.serve_preview(RequestFactory().get("/"), "wechat")
    html = response.content.decode()

    assert response.status_code == 200
    assert "运动会开幕" in html and "阅读原文" in html and "375px" in html
    assert "[1]</sup>" in html and "文字：李同学" in html
    assert "<h2" not in html.split("<article", 1)[1]  # WeChat-styled paragraphs, not site headings


def test_the_default_preview_is_unchanged(article, people):
    request = RequestFactory().get("/")
    request.user = people["office"]
    html = article.serve_preview(request, "").render().content.decode()
    assert "运动会开幕" in html and "375px" not in html
