"""Stale media ids (issue 11 item 4): a cover or image WeChat no longer has is uploaded again once, and the
image memory is kept per API address, so sandbox ids never reach a real account."""

import datetime

import pytest
import requests
from django.core.cache import cache
from django.utils import timezone, translation

from tests.wechat_channel.pushes import due_push_with_photo
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel import delivery, push_actions
from wechat_channel.models import Push, RehostedImage, WeChatAccount

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.WECHAT_CHANNEL = {**settings.WECHAT_CHANNEL, "TIMEOUT": 2, "RESULT_POLL_AFTER_SECONDS": 0}
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    cache.clear()


@pytest.fixture
def account(sandbox):
    requests.post(sandbox.url + "/sandbox/publishing", json={"publish_delay": 0}, timeout=5).raise_for_status()
    return WeChatAccount.objects.create(
        name="校园",
        slug="campus",
        appid=APPID,
        kind="service",
        verified=False,  # publishes (freepublish): polling brings the URLs
        api_base_url=sandbox.url,
        secret_env="WECHAT_CAMPUS_SECRET",
    )


@pytest.fixture
def push_with_cover(account, article_factory, people):
    """A due push of one live article with a cover and a photo in its body; the same images every time."""

    def make(title):
        return due_push_with_photo(account, article_factory, people["dept_a"], title, mode=Push.Mode.PUBLISH)

    return make


def calls(sandbox, path, errcode=0):
    return [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/" + path and c["errcode"] == errcode]


def faults(sandbox, **config):
    requests.post(sandbox.url + "/sandbox/faults", json=config, timeout=5).raise_for_status()


def go(push):
    delivery.advance(push.pk)
    delivery.advance(push.pk, now=timezone.now() + datetime.timedelta(minutes=1))  # polling settles it
    push.refresh_from_db()
    return push


def published_content(sandbox, push):
    item = push.items.get()
    assert item.wechat_url.startswith(sandbox.url + "/s/")
    return item


def test_a_cover_deleted_on_wechat_is_uploaded_again_once_and_the_push_goes_out(sandbox, push_with_cover):
    first = go(push_with_cover("第一篇"))
    assert first.state == Push.State.DONE
    cover = RehostedImage.objects.get(purpose="cover")
    assert sandbox.sandbox.media.remove(cover.media_id)  # deleted on mp.weixin.qq.com

    second = go(push_with_cover("第二篇"))

    assert second.state == Push.State.DONE, second.error_message
    assert published_content(sandbox, second).wechat_url
    assert len(calls(sandbox, "draft/add", errcode=40007)) == 1 and len(calls(sandbox, "draft/add")) == 2
    assert len(calls(sandbox, "material/add_material")) == 2  # the cover once per push that needed it
    assert RehostedImage.objects.get(purpose="cover").media_id != cover.media_id  # the memory holds the new one
    assert second.events.filter(action="images_refreshed").count() == 1


def test_retry_of_a_push_parked_on_a_stale_cover_uploads_it_again(sandbox, push_with_cover):
    """Before this fix a 40007 parked the push and Retry repeated it forever."""
    go(push_with_cover("第一篇"))
    sandbox.sandbox.media.remove(RehostedImage.objects.get(purpose="cover").media_id)
    parked = push_with_cover("第二篇")
    Push.objects.filter(pk=parked.pk).update(state=Push.State.FAILED, error_code=40007, error_kind="permanent")
    parked.refresh_from_db()

    push_actions.retry(parked)
    pushed = go(parked)

    assert pushed.state == Push.State.DONE, pushed.error_message


def test_a_second_40007_after_the_upload_again_parks_the_push_with_advice(sandbox, push_with_cover, monkeypatch):
    go(push_with_cover("第一篇"))
    monkeypatch.setattr(sandbox.sandbox.media, "get", lambda media_id: None)  # WeChat refuses every cover now

    with translation.override("zh-hans"):
        parked = go(push_with_cover("第二篇"))

    assert parked.state == Push.State.FAILED and parked.error_code == 40007
    assert len(calls(sandbox, "draft/add", errcode=40007)) == 2  # the first try and the one after re-uploading
    assert len(calls(sandbox, "material/add_material")) == 2  # uploaded again once, not in a loop
    with translation.override("zh-hans"):
        assert "重新上传过" in parked.error_message
    assert len(calls(sandbox, "freepublish/submit")) == 1  # the first push's only


def test_a_draft_wechat_no_longer_has_is_made_again_once(sandbox, push_with_cover):
    push = push_with_cover("第一篇")
    faults(sandbox, paths={"freepublish/submit": {"system_error": 1.0}})
    delivery.advance(push.pk)
    push.refresh_from_db()
    assert push.state == Push.State.DRAFTED  # WeChat answered -1: not sent, retried later
    faults(sandbox)
    # The draft went away (a restarted sandbox, deleted on mp.weixin.qq.com) before it was submitted.
    sandbox.sandbox.drafts.remove(APPID, push.draft_media_id)
    Push.objects.filter(pk=push.pk).update(next_attempt_at=None)

    pushed = go(push)

    assert pushed.state == Push.State.DONE, pushed.error_message
    assert pushed.events.filter(action="draft_lost").count() == 1
    assert len(calls(sandbox, "draft/add")) == 2


def test_images_remembered_at_another_api_address_are_not_used(sandbox, account, push_with_cover):
    """An account moved between the sandbox and the real WeChat never sends the other one's ids or URLs."""
    go(push_with_cover("第一篇"))
    RehostedImage.objects.update(api_base_url="https://api.weixin.qq.com")

    pushed = go(push_with_cover("第二篇"))

    assert pushed.state == Push.State.DONE
    assert len(calls(sandbox, "draft/add", errcode=40007)) == 0  # nothing stale was offered
    assert len(calls(sandbox, "material/add_material")) == 2 and len(calls(sandbox, "media/uploadimg")) == 2
    assert set(RehostedImage.objects.values_list("api_base_url", flat=True)) == {
        "https://api.weixin.qq.com",
        account.base_url,
    }
