"""Push history and errors in the reader's language (issue 11 item 7): stored as codes and parameters, rendered
when read, so no English appears inside a Chinese page (and no Chinese inside an English one)."""

import pytest
from django.utils import translation
from wagtail.users.models import UserProfile

from tests.wechat_channel.admin_factories import at, make_account, make_push
from wechat_channel import results
from wechat_channel.content.limits import LimitProblem
from wechat_channel.events import record
from wechat_channel.history import Note, render
from wechat_channel.models import Push, PushEvent, PushItem
from wechat_channel.wechat.errors import WeChatCallError


@pytest.fixture
def account(db):
    return make_account()


def reader(client, user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client.force_login(user)
    return client


def parked_by_a_chinese_worker(account):
    """A push a worker running in Chinese parked: WeChat refused the server's IP, one article had no cover."""
    push = make_push(account, at(0, 16), titles=("头条", "次条"), state=Push.State.SUBMITTED)
    with translation.override("zh-hans"):
        record(push, "started", Note("started", mode=Push.Mode.MASS_SEND))
        item = push.items.get(title="次条")
        note = Note("article_failed", title=item.title, reason=Note("page_gone").as_dict())
        record(push, "article_failed", note, item=item.pk)
        results.fail(push, Note.of_error(WeChatCallError(40164, "draft/add", "invalid ip")))
    return push


def test_an_english_reader_sees_a_chinese_workers_history_and_errors_in_english(client, people, account):
    push = parked_by_a_chinese_worker(account)
    assert "白名单" in Push.objects.get(pk=push.pk).error_message  # written in the worker's language

    html = reader(client, people["office"], "en").get(f"/admin/wechat/pushes/{push.pk}/").content.decode()

    assert "This server&#x27;s IP is not in the account&#x27;s IP whitelist" in html
    with translation.override("en"):
        assert f"started ({Push.Mode.MASS_SEND.label})" in html
    assert "The page was deleted or is no longer pushed to WeChat." in html
    assert "白名单" not in html and "已开始" not in html


def test_a_chinese_reader_sees_an_english_editors_history_in_chinese(client, people, account):
    push = make_push(account, at(0, 16), titles=("头条",), state=Push.State.FAILED)
    with translation.override("en"):
        record(push, "retried", Note("retried"))
        record(push, "rescheduled", Note("rescheduled", before="2026-12-07 16:00"))

    html = reader(client, people["office"], "zh-hans").get(f"/admin/wechat/pushes/{push.pk}/").content.decode()

    with translation.override("zh-hans"):
        assert str(Note("retried")) in html and str(Note("retried")) != "retried by an editor"
    assert "retried by an editor" not in html and "moved from" not in html


def test_the_failed_pushes_list_reads_in_the_readers_language(client, people, account):
    parked_by_a_chinese_worker(account)

    html = reader(client, people["office"], "en").get("/admin/wechat/pushes/", {"state": "failed"}).content.decode()

    assert "IP whitelist" in html and "白名单" not in html


def test_rows_written_before_notes_show_their_text_as_written(account):
    push = make_push(account, at(0, 16), titles=("头条",), state=Push.State.FAILED, error_message="旧的错误说明")
    old = PushEvent.objects.create(push=push, action="failed", message="gave up", data={"code": 45009})
    PushItem.objects.filter(push=push).update(error_message="旧的文章错误")

    with translation.override("en"):
        assert (push.error_text, old.text, push.items.get().error_text) == ("旧的错误说明", "gave up", "旧的文章错误")


@pytest.mark.parametrize(
    "note",
    [
        {"text": "no-such-text"},
        {"text": "drafted"},  # its parameter is missing
        {"text": "gave_up", "n": 3, "error": {"code": "<script>", "bogus": 1}},
        {"text": ["drafted"]},
        "drafted",
        None,
    ],
)
def test_a_note_this_version_cannot_read_falls_back_to_the_written_text(account, note):
    push = make_push(account, at(0, 16), titles=("头条",))
    event = PushEvent.objects.create(push=push, action="drafted", message="as written", data={"x": 1})
    event.data = note

    assert event.text in ("as written", render(note))
    assert render({"text": "drafted"}) == ""


def test_a_stale_cover_error_reads_in_both_languages():
    note = Note.of_error(WeChatCallError(40007, "draft/add", "invalid media_id"))
    with translation.override("zh-hans"):
        chinese = str(note)
    with translation.override("en"):
        english = str(note)
    assert "media_id 无效" in chinese and "Invalid media_id" in english


def test_hostile_error_parameters_render_without_failing():
    weird = {"text": "wechat_error", "error": {"code": "<x>", "http_status": "many", "reason": "http"}}
    assert render(weird) == ""  # a string status cannot be compared: no text rather than a 500


def refused_for_limits_and_quota(account, worker_language):
    """A push whose second article broke WeChat's title limit and whose draft hit the daily quota (45009)."""
    push = make_push(account, at(0, 16), titles=("头条", "次条"), state=Push.State.SUBMITTED)
    with translation.override(worker_language):
        item = push.items.get(title="次条")
        limit = Note.of_problems([LimitProblem("title", "title_long", {"n": 70, "limit": 32})])
        record(push, "article_failed", Note("article_failed", title=item.title, reason=limit.as_dict()), item=item.pk)
        results.fail(push, Note.of_error(WeChatCallError(45009, "draft/add", "reach max api daily quota limit")))
    return push


@pytest.mark.parametrize(
    ("worker", "reader_language", "said", "not_said"),
    [
        (
            "zh-hans",
            "en",
            [
                "Today&#x27;s quota for this API is used up: try tomorrow, or reset it under mp.weixin.qq.com → "
                "Settings and Development → Basic Configuration → API call quota",
                "The title has 70 characters; WeChat allows at most 32",
            ],
            ["调用次数", "标题 70 字"],
        ),
        (
            "en",
            "zh-hans",
            [
                "该接口今天的调用次数已用完：明天再试，或在 mp.weixin.qq.com → 设置与开发 → 基本配置 → "
                "API 调用次数 清零",
                "标题 70 字，微信最多 32 字",
            ],
            ["quota for this API", "The title has 70 characters"],
        ),
    ],
)
def test_an_errcode_and_a_limit_read_in_each_admins_language(
    client, people, account, worker, reader_language, said, not_said
):
    push = refused_for_limits_and_quota(account, worker)

    html = reader(client, people["office"], reader_language).get(f"/admin/wechat/pushes/{push.pk}/").content.decode()

    assert all(text in html for text in said)
    assert not any(text in html for text in not_said)


def test_limits_stored_in_both_languages_by_an_older_version_are_still_read():
    note = {"text": "content_rejected", "problems": [{"zh": "标题太长", "en": "The title is too long"}]}

    with translation.override("en"):
        assert render(note) == "The title is too long"
    with translation.override("zh-hans"):
        assert render(note) == "标题太长"
