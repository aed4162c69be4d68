"""Images re-hosted on WeChat once per account, converted when WeChat would refuse them; whole articles built."""

import io
import os

import pytest
from django.core.cache import cache
from PIL import Image

from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel.adapters import ImageFile, PageAdapter
from wechat_channel.content.article import ContentRejected, build_article, build_articles, render_phone_preview
from wechat_channel.content.images import CONTENT_MAX_BYTES, ImageBatch, image_format, prepare
from wechat_channel.models import RehostedImage, WeChatAccount
from wechat_channel.wechat.client import client_for

pytestmark = pytest.mark.django_db


def picture(fmt="PNG", size=(60, 40), noise=False, color=(10, 120, 200)):
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, color)
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


class FakePage:
    full_url = "https://news.example.edu.cn/articles/1/"
    last_published_at = None


class FakeAdapter(PageAdapter):
    """An adapter over fixed content: `images` maps `<img src>` to bytes."""

    def __init__(self, title="今日要闻", body="", images=None, cover=b"", **extra):
        super().__init__(FakePage())
        self._title, self._body, self._images, self._extra = title, body, images or {}, extra
        self._cover = picture("PNG", (90, 50), color=(1, 2, 3)) if cover == b"" else cover

    def title(self):
        return self._title

    def author(self):
        return self._extra.get("author", "记者团")

    def body_html(self):
        return self._body

    def credits(self):
        return ["文字：张三"]

    def cover(self):
        return ImageFile("cover.png", self._cover) if self._cover else None

    def open_image(self, src):
        data = self._images.get(src)
        return ImageFile(src.rsplit("/", 1)[-1], data) if data else None


@pytest.fixture
def account(sandbox, monkeypatch):
    cache.clear()
    monkeypatch.setenv("WECHAT_TEST_SECRET", SECRET)
    return WeChatAccount.objects.create(
        name="测试号", slug="test", appid=APPID, secret_env="WECHAT_TEST_SECRET", api_base_url=sandbox.url
    )


def calls(sandbox, path):
    return [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/" + path]


def test_an_image_shared_by_two_articles_is_uploaded_once(sandbox, account):
    shared = picture("PNG")
    client = client_for(account)
    first = build_article(account, client, FakeAdapter(body='<p><img src="/m/a.png"></p>', images={"/m/a.png": shared}))
    second = build_article(
        account, client, FakeAdapter(title="第二篇", body='<img src="/m/b.png">', images={"/m/b.png": shared})
    )

    assert len(calls(sandbox, "media/uploadimg")) == 1
    assert len(calls(sandbox, "material/add_material")) == 1  # the same cover too
    url = RehostedImage.objects.get(purpose="content").url
    assert f'src="{url}"' in first["content"] and f'src="{url}"' in second["content"]
    assert "/m/a.png" not in first["content"]
    assert first["thumb_media_id"] == second["thumb_media_id"]


def test_the_built_article_is_accepted_by_the_draft_box(sandbox, account):
    client = client_for(account)
    article = build_article(
        account,
        client,
        FakeAdapter(
            body='<p>正文<img src="/m/a.png"><a href="https://example.com">链接</a></p>',
            images={"/m/a.png": picture("JPEG")},
        ),
    )

    media_id = client.drafts.add([article])
    stored = client.drafts.get(media_id)[0]

    assert stored["title"] == "今日要闻"
    assert "<img" in stored["content"]  # a WeChat-hosted image survives the draft box
    assert "参考链接" in stored["content"] and "文字：张三" in stored["content"]
    assert article["content_source_url"] == "https://news.example.edu.cn/articles/1/"
    assert (article["need_open_comment"], article["only_fans_can_comment"]) == (1, 0)


def test_a_3_mb_png_is_converted_under_1_mb(sandbox, account):
    big = picture("PNG", (1000, 1000), noise=True)
    assert len(big) > 2_900_000

    prepared = prepare(ImageFile("big.png", big), CONTENT_MAX_BYTES)
    assert image_format(prepared.data) == "jpg" and len(prepared.data) < CONTENT_MAX_BYTES

    article = build_article(
        account, client_for(account), FakeAdapter(body='<img src="/m/big.png">', images={"/m/big.png": big})
    )
    assert [c["errcode"] for c in calls(sandbox, "media/uploadimg")] == [0]
    assert RehostedImage.objects.get(purpose="content").size < CONTENT_MAX_BYTES
    assert "<img" in article["content"]


def test_a_gif_is_converted_to_jpeg(sandbox, account):
    gif = picture("GIF")
    prepared = prepare(ImageFile("anim.gif", gif), CONTENT_MAX_BYTES)

    assert image_format(prepared.data) == "jpg"
    assert prepared.name == "anim.jpg"
    url = client_for(account).media.upload_content_image(prepared)
    assert url.startswith("http://")


def test_small_jpegs_and_pngs_are_uploaded_unchanged():
    data = picture("JPEG")
    assert prepare(ImageFile("a.jpg", data), CONTENT_MAX_BYTES).data == data


def test_a_missing_image_is_dropped_with_a_warning(sandbox, account):
    warnings = []
    article = build_article(
        account, client_for(account), FakeAdapter(body='<p>文<img src="/m/gone.png"></p>'), warnings=warnings
    )

    assert "<img" not in article["content"]
    assert warnings and warnings[0]["src"] == "/m/gone.png"
    assert calls(sandbox, "media/uploadimg") == []


def test_limits_fail_before_any_upload(sandbox, account):
    adapter = FakeAdapter(title="长" * 70, body='<img src="/m/a.png">', images={"/m/a.png": picture()}, cover=None)

    with pytest.raises(ContentRejected) as caught:
        build_article(account, client_for(account), adapter)

    assert [p.field for p in caught.value.problems] == ["title", "cover"]
    assert "标题 70 字" in str(caught.value)
    assert sandbox.calls.as_list() == []  # not even a token


def test_a_record_made_by_another_worker_wins(account):
    class RacingMedia:
        """Uploads while another worker records the same image first."""

        def upload_content_image(self, image):
            RehostedImage.objects.create(
                account=account, api_base_url=account.base_url, sha256=sha256, purpose="content", url="http://first/1"
            )
            return "http://second/2"

    class RacingClient:
        media = RacingMedia()

    batch = ImageBatch(account, RacingClient())
    sha256, _purpose = key = batch.add(ImageFile("a.png", picture()), RehostedImage.Purpose.CONTENT)

    batch.resolve()

    assert batch.url(key) == "http://second/2"  # this push uses its own upload
    assert list(RehostedImage.objects.values_list("url", flat=True)) == ["http://first/1"]  # the record stays theirs


def test_the_images_of_a_push_cost_one_lookup_and_one_write(sandbox, account, django_assert_max_num_queries):
    shared = picture(color=(1, 2, 3))
    adapters = [
        FakeAdapter(
            title=f"第{n}篇",
            body=f'<p><img src="/s.png"><img src="/{n}.png"></p>',
            images={"/s.png": shared, f"/{n}.png": picture(color=(n, n, n))},
        )
        for n in range(6)
    ]
    client = client_for(account)
    client.health.check_token()

    with django_assert_max_num_queries(3):  # the lookup, and the write in its transaction
        articles = build_articles(account, client, adapters)

    assert len(articles) == 6 and all(isinstance(article, dict) for article in articles)
    assert len(calls(sandbox, "media/uploadimg")) == 7  # the shared image once, each own image once


def test_phone_preview_shows_the_article_without_uploading(sandbox, account):
    adapter = FakeAdapter(title="预览标题", body='<p>正文<img src="/m/a.png"></p>', images={"/m/a.png": picture()})

    html = render_phone_preview(adapter)

    assert "预览标题" in html and "测试号" in html and "阅读原文" in html
    assert 'src="/m/a.png"' in html
    assert "375px" in html
    assert sandbox.calls.as_list() == []
