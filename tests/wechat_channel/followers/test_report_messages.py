"""Reports by WeChat message (A6.5.2) and system errors of parked pushes (A6.5.1) become cases in cms."""

import pytest
from django.core import mail

from cms.models import Case, CaseEvent
from policy_rules import versions
from tests.policy_rules.governance import facts_provider, period  # noqa: F401  (a fixture)
from tests.wechat_channel.admin_factories import MONDAY, make_push
from tests.wechat_channel.admin_factories import make_account as make_plain_account
from tests.wechat_channel.callback_requests import T0, make_account, message, safe_post
from wechat_channel import callbacks, notify, report_messages
from wechat_channel.models import CallbackEvent, FollowerActivity, Push


@pytest.fixture
def account(db, callback_env):
    return make_account()


def text(content, msg_id="900000001", sender="o_reporter"):
    body = f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId>"
    return message(body, sender=sender, created=T0 + 300, msg_type="text")


def post(client, xml, capture):
    with capture(execute=True):
        response = safe_post(client, xml)
    assert (response.status_code, response.content) == (200, b"success")  # nothing replied passively


def activate_cases_policy(people, **cases):
    """A new active default policy whose `cases` section has these values."""
    user = people["policy"]
    draft = versions.start_draft("default", user)
    document = {**draft.document, "cases": {**(draft.document.get("cases") or {}), **cases}}
    versions.edit_draft(draft, document, user, note="cases")
    assert versions.validate(draft, user)["ok"]
    versions.dry_run(draft, *period(), user)
    versions.activate(draft, user)


# Keyword matching, on the channel side


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("举报：某账号发布赌博广告", ("举报", "某账号发布赌博广告")),
        ("举报 , 有人冒充学院", ("举报", "有人冒充学院")),
        ("举报", ("举报", "")),
        ("  举报账号被盗  ", ("举报账号", "被盗")),
        ("我要举报", None),
        ("", None),
    ],
)
def test_a_message_is_a_report_only_when_it_starts_with_a_keyword(content, expected):
    assert report_messages.match(content, ["举报", "举报账号"]) == expected


# A keyword message becomes one report case


def test_a_keyword_message_opens_one_report_with_the_openid(client, account, django_capture_on_commit_callbacks):
    post(client, text("举报：某公众号冒用学院名义收费"), django_capture_on_commit_callbacks)

    case = Case.objects.get()
    assert (case.kind, case.source, case.status) == (Case.Kind.REPORT, Case.Source.WECHAT, Case.Status.NEW)
    assert case.number.startswith("JB-") and case.owner is None
    assert case.summary == "某公众号冒用学院名义收费"
    assert case.text == "举报：某公众号冒用学院名义收费"
    assert (case.reporter_openid, case.account) == ("o_reporter", account)
    assert case.dedupe_key == f"callback:{CallbackEvent.objects.get().pk}"
    assert list(case.events.values_list("action", flat=True)) == [CaseEvent.Action.OPENED]
    assert FollowerActivity.objects.count() == 1  # still recorded as follower activity (A14)


def test_a_repeated_delivery_or_processing_still_makes_one_case(client, account, django_capture_on_commit_callbacks):
    post(client, text("举报 有人发布虚假招生信息"), django_capture_on_commit_callbacks)
    post(client, text("举报 有人发布虚假招生信息"), django_capture_on_commit_callbacks)  # WeChat's retry
    callbacks.apply(CallbackEvent.objects.get())  # a worker processing it again

    assert Case.objects.count() == 1
    assert CaseEvent.objects.count() == 1


def test_an_ordinary_message_opens_nothing(client, account, django_capture_on_commit_callbacks):
    post(client, text("请问何时开学？我想举报一下作业太多"), django_capture_on_commit_callbacks)
    post(client, message("<Event><![CDATA[subscribe]]></Event>"), django_capture_on_commit_callbacks)

    assert not Case.objects.exists()
    assert FollowerActivity.objects.count() == 2


@pytest.mark.usefixtures("facts_provider")
def test_the_keywords_come_from_the_accounts_policy(client, account, people, django_capture_on_commit_callbacks):
    activate_cases_policy(people, report_keywords=["投诉", "Report"])

    post(client, text("举报 旧关键词", msg_id="1"), django_capture_on_commit_callbacks)
    post(client, text("投诉：新关键词", msg_id="2"), django_capture_on_commit_callbacks)

    assert list(Case.objects.values_list("summary", flat=True)) == ["新关键词"]


@pytest.mark.usefixtures("facts_provider")
def test_the_report_deadline_comes_from_the_policy(client, account, people, django_capture_on_commit_callbacks):
    activate_cases_policy(people, report_deadline_hours=6)

    post(client, text("举报 限时处理"), django_capture_on_commit_callbacks)

    case = Case.objects.get()
    assert (case.deadline - case.created_at).total_seconds() == 6 * 3600


# A parked push becomes one system-error case (A6.5.1)


@pytest.fixture
def parked(db, people):
    return make_push(make_plain_account(), MONDAY, state=Push.State.FAILED)


def test_a_parked_push_opens_a_system_error_and_still_emails(parked, people):
    notify.system_error(parked, "errcode 45009: reach max api daily quota limit")

    case = Case.objects.get()
    assert (case.kind, case.source, case.push_id, case.account) == (
        Case.Kind.SYSTEM_ERROR,
        Case.Source.CHANNEL,
        parked.pk,
        parked.account,
    )
    assert case.number.startswith("XT-") and case.owner is None and case.status == Case.Status.NEW
    assert case.text == "errcode 45009: reach max api daily quota limit"
    assert case.link.endswith(f"/admin/wechat/pushes/{parked.pk}/")
    assert (case.deadline - case.created_at).total_seconds() == 24 * 3600  # the policy default
    assert mail.outbox and people["channel"].email in mail.outbox[0].to


def test_the_same_push_failing_again_adds_to_its_open_case(parked, people):
    notify.system_error(parked, "first failure")
    notify.system_error(parked, "second failure")

    case = Case.objects.get()
    assert list(case.events.values_list("action", "note")) == [
        (CaseEvent.Action.OPENED, "first failure"),
        (CaseEvent.Action.REPEATED, "second failure"),
    ]
    assert len(mail.outbox) == 2  # the e-mail of A6.5.1 is kept for every failure


def test_a_failure_after_the_case_is_closed_opens_a_new_one(parked, people):
    from cms.cases import services as cases

    notify.system_error(parked, "first failure")
    cases.resolve(Case.objects.get(), people["channel"], "Quota raised with WeChat.")
    notify.system_error(parked, "failed again")

    assert list(Case.objects.order_by("pk").values_list("status", flat=True)) == [
        Case.Status.RESOLVED,
        Case.Status.NEW,
    ]


def test_another_push_failing_opens_its_own_case(parked, people):
    other = make_push(parked.account, MONDAY.replace(hour=20), state=Push.State.FAILED)
    notify.system_error(parked, "boom")
    notify.system_error(other, "boom")

    assert Case.objects.filter(kind=Case.Kind.SYSTEM_ERROR).count() == 2


def test_a_report_whose_case_cannot_be_opened_is_kept_and_opened_by_the_next_sweep(
    client, account, django_capture_on_commit_callbacks
):
    """Nothing lost (A6.5.2): a failing receiver rolls the callback back; the minute sweep processes it again."""
    import datetime

    from django.utils import timezone

    from wechat_channel import tasks
    from wechat_channel.signals import report_received

    def database_down(**kwargs):
        raise RuntimeError("the case table is locked")

    report_received.connect(database_down, dispatch_uid="test-database-down")
    try:
        with pytest.raises(RuntimeError):
            post(client, text("举报 冒充学院发布收费通知"), django_capture_on_commit_callbacks)
    finally:
        report_received.disconnect(dispatch_uid="test-database-down")

    event = CallbackEvent.objects.get()  # stored by the callback before any processing
    assert event.processed_at is None
    assert not Case.objects.exists() and not FollowerActivity.objects.exists()
    assert not tasks.stalled_callbacks().exists()  # its own task still has the grace time

    CallbackEvent.objects.filter(pk=event.pk).update(received_at=timezone.now() - datetime.timedelta(minutes=3))
    assert list(tasks.stalled_callbacks()) == [event]
    tasks.sweep()  # Q_CLUSTER is synchronous in tests

    assert Case.objects.get().summary == "冒充学院发布收费通知"
    assert FollowerActivity.objects.count() == 1
    assert not tasks.stalled_callbacks().exists()
