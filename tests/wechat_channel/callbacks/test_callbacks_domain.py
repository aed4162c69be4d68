"""Stored callbacks: dedupe keys (WECHAT.md §6.4), once-only processing, and the result events' parsing (§4.4, §5)."""

import types

import pytest
import xmltodict

from wechat_channel import results as results_module
from wechat_channel.callbacks import dedupe_key, process_event, receive, retry_parked
from wechat_channel.models import CallbackEvent, WeChatAccount
from wechat_channel.payload import mass_send_result, publish_result


def xml(text):
    return xmltodict.parse(text)["xml"]


def publish_event(info, event="PUBLISHJOBFINISH"):
    return xml(
        "<xml><ToUserName>gh_a</ToUserName><FromUserName>oMPHELPER</FromUserName><CreateTime>1700000000</CreateTime>"
        f"<MsgType>event</MsgType><Event>{event}</Event><PublishEventInfo>{info}</PublishEventInfo></xml>"
    )


def mass_event(body):
    return xml(
        "<xml><ToUserName>gh_a</ToUserName><FromUserName>oMPHELPER</FromUserName><CreateTime>1700000100</CreateTime>"
        f"<MsgType>event</MsgType><Event>MASSSENDJOBFINISH</Event>{body}</xml>"
    )


SUBSCRIBE = {
    "ToUserName": "gh_a",
    "FromUserName": "o_user",
    "CreateTime": "1700000300",
    "MsgType": "event",
    "Event": "subscribe",
}


@pytest.fixture
def account(db):
    return WeChatAccount.objects.create(name="News", slug="news", appid="wx0123456789abcdef", secret_env="WECHAT_S")


@pytest.fixture
def results(monkeypatch):
    """Records calls into `wechat_channel.results`; `fail` makes them raise."""
    calls = types.SimpleNamespace(made=[], fail=False)

    def recorder(name):
        def record(account, **kwargs):
            if calls.fail:
                raise RuntimeError("push domain failed")
            calls.made.append((name, kwargs))
            return True

        return record

    monkeypatch.setattr(results_module, "publish_finished", recorder("publish"))
    monkeypatch.setattr(results_module, "mass_send_finished", recorder("mass"))
    return calls


# Dedupe keys


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (publish_event("<publish_id>2247503051</publish_id><publish_status>0</publish_status>"), "publish:2247503051"),
        (publish_event("<publish_id>7</publish_id>", event="FREEPUBLISHJOBFINISH"), "publish:7"),
        (mass_event("<MsgID>1000001625</MsgID><Status>send success</Status>"), "mass:1000001625"),
        ({"MsgType": "text", "FromUserName": "o", "CreateTime": "1", "MsgId": "23637010101"}, "msg:23637010101"),
        (SUBSCRIBE, "event:o_user:1700000300:subscribe"),
        ({**SUBSCRIBE, "Event": "CLICK", "EventKey": "NEWS"}, "event:o_user:1700000300:CLICK"),
        # A publish event without its id still has the generic event identity.
        (publish_event("<publish_status>0</publish_status>"), "event:oMPHELPER:1700000000:PUBLISHJOBFINISH"),
        ({"MsgType": "text", "FromUserName": "o", "Content": "hi"}, None),
        ({"MsgType": "event", "Event": "subscribe", "FromUserName": "o"}, None),
    ],
)
def test_dedupe_key(data, key):
    assert dedupe_key(data) == key


# Parsing the result events


def test_publish_success_with_one_article():
    info = (
        "<publish_id>2247503051</publish_id><publish_status>0</publish_status><article_id>ART</article_id>"
        "<article_detail><count>1</count><item><idx>1</idx><article_url>https://mp.weixin.qq.com/s/a</article_url>"
        "</item></article_detail>"
    )
    assert publish_result(publish_event(info)) == {
        "publish_id": "2247503051",
        "status": 0,
        "article_id": "ART",
        "urls": {1: "https://mp.weixin.qq.com/s/a"},
        "fail_idx": [],
    }


def test_publish_success_with_several_articles():
    items = "".join(f"<item><idx>{i}</idx><article_url>https://u/{i}</article_url></item>" for i in (1, 2, 3))
    info = f"<publish_id>9</publish_id><publish_status>0</publish_status><article_detail>{items}</article_detail>"
    assert publish_result(publish_event(info))["urls"] == {1: "https://u/1", 2: "https://u/2", 3: "https://u/3"}


@pytest.mark.parametrize(
    ("fail", "expected"),
    [("<fail_idx>2</fail_idx>", [2]), ("<fail_idx>1</fail_idx><fail_idx>3</fail_idx>", [1, 3]), ("", [])],
)
def test_publish_failure_lists_failed_articles(fail, expected):
    result = publish_result(publish_event(f"<publish_id>9</publish_id><publish_status>2</publish_status>{fail}"))
    assert (result["status"], result["article_id"], result["urls"], result["fail_idx"]) == (2, "", {}, expected)


@pytest.mark.parametrize(
    "info",
    [
        "<publish_status>0</publish_status>",
        "<publish_id>9</publish_id>",
        "<publish_id>9</publish_id><publish_status>pending</publish_status>",
    ],
)
def test_publish_event_without_id_or_status_is_unusable(info):
    assert publish_result(publish_event(info)) is None


def test_mass_send_result_with_urls():
    items = (
        "<item><ArticleIdx>1</ArticleIdx><ArticleUrl>http://mp.weixin.qq.com/s/one</ArticleUrl></item>"
        "<item><ArticleIdx>2</ArticleIdx><ArticleUrl></ArticleUrl></item>"
    )
    data = mass_event(
        "<MsgID>1000001625</MsgID><Status>send success</Status>"
        f"<ArticleUrlResult><Count>2</Count><ResultList>{items}</ResultList></ArticleUrlResult>"
    )
    assert mass_send_result(data) == {
        "msg_id": "1000001625",
        "status": "send success",
        "urls": {1: "http://mp.weixin.qq.com/s/one", 2: ""},
        "reach": None,  # no counts in this event
    }


def test_mass_send_failure_without_urls():
    data = mass_event("<MsgID>5</MsgID><Status>err(30003)</Status><TotalCount>0</TotalCount>")
    assert mass_send_result(data) == {"msg_id": "5", "status": "err(30003)", "urls": {}, "reach": None}


def test_mass_send_result_keeps_the_followers_counts_and_ignores_hostile_ones():
    counts = (
        "<TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount>"
    )
    data = mass_event(f"<MsgID>7</MsgID><Status>send success</Status>{counts}")
    assert mass_send_result(data)["reach"] == {
        "followers_total": 100,
        "followers_ready": 80,
        "followers_sent": 75,
        "followers_failed": 5,
    }
    hostile = "<TotalCount>-3</TotalCount><FilterCount>1e9</FilterCount><SentCount>x</SentCount>"
    assert mass_send_result(mass_event(f"<MsgID>7</MsgID>{hostile}"))["reach"] is None
    huge = "<TotalCount>99999999999999999</TotalCount><FilterCount>1</FilterCount>"  # past any integer column
    assert mass_send_result(mass_event(f"<MsgID>7</MsgID>{huge}"))["reach"] is None


# Storing once, processing once


def test_a_delivery_is_stored_once(account):
    first = receive(account, SUBSCRIBE)
    assert first is not None
    assert receive(account, dict(SUBSCRIBE)) is None
    assert list(CallbackEvent.objects.values_list("dedupe_key", "event")) == [
        ("event:o_user:1700000300:subscribe", "subscribe")
    ]


def test_the_same_key_on_two_accounts_is_two_events(account):
    other = WeChatAccount.objects.create(name="Other", slug="other", appid="wx00000000000000aa", secret_env="WECHAT_S")
    assert receive(account, SUBSCRIBE) is not None
    assert receive(other, SUBSCRIBE) is not None


def test_messages_without_identity_are_each_stored(account):
    message = {"MsgType": "text", "FromUserName": "o", "Content": "hi"}
    assert receive(account, message) is not None
    assert receive(account, message) is not None
    assert set(CallbackEvent.objects.values_list("event", flat=True)) == {"text"}
    assert CallbackEvent.objects.count() == 2


def test_receiving_queues_processing_after_commit(account, results, django_capture_on_commit_callbacks):
    data = publish_event("<publish_id>9</publish_id><publish_status>3</publish_status><fail_idx>1</fail_idx>")
    with django_capture_on_commit_callbacks() as queued:
        event = receive(account, data)
    assert len(queued) == 1
    assert results.made == [] and CallbackEvent.objects.get().processed_at is None
    queued[0]()
    event.refresh_from_db()
    assert event.processed_at is not None
    assert results.made == [
        ("publish", {"publish_id": "9", "status": 3, "article_id": "", "urls": {}, "fail_idx": [1]})
    ]


def test_processing_twice_acts_once(account, results):
    event = CallbackEvent.objects.create(
        account=account, dedupe_key="mass:5", event="MASSSENDJOBFINISH", payload=mass_event("<MsgID>5</MsgID>")
    )
    assert process_event(event.pk) is True
    assert process_event(event.pk) is False
    assert results.made == [("mass", {"msg_id": "5", "status": "", "urls": {}, "reach": None})]


def test_freepublish_event_name_is_tolerated(account, results):
    data = publish_event("<publish_id>11</publish_id><publish_status>0</publish_status>", "FREEPUBLISHJOBFINISH")
    event = CallbackEvent.objects.create(
        account=account, dedupe_key="publish:11", event="FREEPUBLISHJOBFINISH", payload=data
    )
    assert process_event(event.pk) is True
    assert results.made[0][0] == "publish"


def test_other_events_are_kept_and_marked_processed(account, results):
    event = CallbackEvent.objects.create(account=account, dedupe_key="event:x", event="subscribe", payload=SUBSCRIBE)
    assert process_event(event.pk) is False
    event.refresh_from_db()
    assert event.processed_at is not None
    assert results.made == []


def test_an_unusable_result_event_is_marked_processed(account, results):
    data = publish_event("<publish_status>0</publish_status>")
    event = CallbackEvent.objects.create(account=account, dedupe_key="event:y", event="PUBLISHJOBFINISH", payload=data)
    assert process_event(event.pk) is False
    event.refresh_from_db()
    assert event.processed_at is not None
    assert results.made == []


def test_a_failing_push_domain_leaves_the_event_for_a_retry(account, results):
    data = publish_event("<publish_id>9</publish_id><publish_status>0</publish_status>")
    event = CallbackEvent.objects.create(
        account=account, dedupe_key="publish:9", event="PUBLISHJOBFINISH", payload=data
    )
    results.fail = True
    with pytest.raises(RuntimeError):
        process_event(event.pk)
    event.refresh_from_db()
    assert (event.processed_at, event.attempts, event.parked_at) == (None, 1, None)
    assert event.last_error == "RuntimeError: push domain failed"
    results.fail = False
    assert process_event(event.pk) is True


def test_processing_a_missing_event_does_nothing(db, results):
    assert process_event(987654) is False
    assert results.made == []


# End to end with the push domain (wechat_channel.results): the queued processing settles the push.


def waiting_push(account, mode, titles=("Headline", "Second"), **ids):
    from django.utils import timezone

    from wechat_channel.models import Push, PushItem

    push = Push.objects.create(account=account, slot=timezone.now(), mode=mode, state=Push.State.SUBMITTED, **ids)
    for position, title in enumerate(titles):
        PushItem.objects.create(push=push, account=account, title=title, position=position)
    return push


def test_publish_event_completes_its_push(account, django_capture_on_commit_callbacks):
    from wechat_channel.models import Push

    push = waiting_push(account, Push.Mode.PUBLISH, publish_id="2247503051")
    items = "".join(
        f"<item><idx>{i}</idx><article_url>https://mp.weixin.qq.com/s/{i}</article_url></item>" for i in (1, 2)
    )
    info = (
        "<publish_id>2247503051</publish_id><publish_status>0</publish_status><article_id>ART</article_id>"
        f"<article_detail>{items}</article_detail>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        receive(account, publish_event(info))
    push.refresh_from_db()
    assert (push.state, push.article_id) == (Push.State.DONE, "ART")
    assert list(push.items.values_list("state", "wechat_url")) == [
        ("published", "https://mp.weixin.qq.com/s/1"),
        ("published", "https://mp.weixin.qq.com/s/2"),
    ]
    assert CallbackEvent.objects.get().processed_at is not None


def test_mass_send_event_completes_its_push(account, django_capture_on_commit_callbacks):
    from wechat_channel.models import Push

    push = waiting_push(account, Push.Mode.MASS_SEND, titles=("Only",), msg_id="1000001625")
    data = mass_event(
        "<MsgID>1000001625</MsgID><Status>send success</Status><ArticleUrlResult><ResultList><item>"
        "<ArticleIdx>1</ArticleIdx><ArticleUrl>http://mp.weixin.qq.com/s/x</ArticleUrl></item></ResultList>"
        "</ArticleUrlResult>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        receive(account, data)
        receive(account, data)  # WeChat's retry
    push.refresh_from_db()
    assert push.state == Push.State.DONE
    assert push.items.get().wechat_url == "http://mp.weixin.qq.com/s/x"
    assert push.events.filter(action="done").count() == 1


def test_publish_event_before_the_push_saved_its_id_is_applied_later(account, django_capture_on_commit_callbacks):
    from wechat_channel import results
    from wechat_channel.models import Push

    push = waiting_push(account, Push.Mode.PUBLISH, titles=("Only",))
    info = "<publish_id>77</publish_id><publish_status>0</publish_status><article_id>ART</article_id>"
    with django_capture_on_commit_callbacks(execute=True):
        receive(account, publish_event(info))
    push.refresh_from_db()
    assert push.state == Push.State.SUBMITTED  # no push carried publish_id 77 yet

    Push.objects.filter(pk=push.pk).update(publish_id="77")
    push.refresh_from_db()
    results.apply_waiting(push)
    push.refresh_from_db()
    assert (push.state, push.article_id) == (Push.State.DONE, "ART")


# A callback that keeps failing is parked with its reason until a channel administrator retries it (A6.5.1)


def failing_event(account, results, settings, limit=3):
    settings.WECHAT_CHANNEL = {"CALLBACK_MAX_ATTEMPTS": limit}
    results.fail = True
    data = mass_event("<MsgID>5</MsgID>")
    return CallbackEvent.objects.create(account=account, dedupe_key="mass:5", event="MASSSENDJOBFINISH", payload=data)


def test_a_callback_failing_max_attempts_times_is_parked_and_left_alone(account, results, settings):
    event = failing_event(account, results, settings)
    for _attempt in range(3):
        with pytest.raises(RuntimeError):
            process_event(event.pk)
    event.refresh_from_db()
    assert (event.attempts, event.processed_at) == (3, None)
    assert event.parked_at is not None and event.last_error == "RuntimeError: push domain failed"

    results.fail = False
    assert process_event(event.pk) is False  # parked: only a person puts it back to work
    assert results.made == []


def test_the_sweep_skips_parked_callbacks(account, results, settings):
    import datetime

    from django.utils import timezone

    from wechat_channel import tasks

    event = failing_event(account, results, settings, limit=1)
    CallbackEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - datetime.timedelta(minutes=5))
    assert list(tasks.stalled_callbacks()) == [event]
    with pytest.raises(RuntimeError):
        process_event(event.pk)
    assert list(tasks.stalled_callbacks()) == []


def test_a_retried_parked_callback_is_processed_once(account, results, settings, django_capture_on_commit_callbacks):
    event = failing_event(account, results, settings, limit=1)
    with pytest.raises(RuntimeError):
        process_event(event.pk)
    results.fail = False

    with django_capture_on_commit_callbacks(execute=True):
        assert retry_parked(event.pk) is True
        assert retry_parked(event.pk) is False  # a second click: no longer parked
    event.refresh_from_db()
    assert event.processed_at is not None and (event.parked_at, event.attempts) == (None, 0)
    assert process_event(event.pk) is False
    assert len(results.made) == 1
    assert retry_parked(event.pk) is False  # processed: nothing to retry
