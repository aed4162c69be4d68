"""Mass sends through the sandbox (WECHAT.md §5): answers, quotas, clientmsgid dedupe, previews, status."""

import datetime
import re

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.wechat_channel.sandbox.helpers import add_draft, article, control, errcode, logged, thumb_id
from tests.wechat_channel.sandbox_access import APPID, SandboxWeChatClient
from wechat_channel.sandbox.quota import SHANGHAI

DAY = 86400
MINUTE = 60


@pytest.fixture
def instant(sandbox):
    control(sandbox, "publishing", {"publish_delay": 0, "mass_delay": 0})
    return sandbox


def account(sandbox, kind, verified=True, appid=None):
    appid = appid or f"wx{kind[:4]}{int(verified)}"
    control(sandbox, "accounts", {"appid": appid, "secret": "mass-secret", "kind": kind, "verified": verified})
    return SandboxWeChatClient(sandbox.url, appid, "mass-secret", timeout=5)


def new_draft(client, title="News"):
    return add_draft(client, article(thumb_id(client), title=title))


def send_all(client, media_id, client_msg_id=None):
    return client.message.send_mass_article(media_id, is_to_all=True, client_msg_id=client_msg_id)


def test_sendall_answers_ids_and_takes_the_draft(instant, wechat_client):
    media_id = new_draft(wechat_client)
    answer = send_all(wechat_client, media_id, client_msg_id="push-1")
    assert answer["errcode"] == 0 and answer["errmsg"] == "send job submission success"
    assert isinstance(answer["msg_id"], int) and isinstance(answer["msg_data_id"], int)
    assert wechat_client.draft.count() == {"total_count": 0}
    assert wechat_client.message.get_mass(answer["msg_id"]) == {
        "msg_id": answer["msg_id"],
        "msg_status": "SEND_SUCCESS",
    }
    assert instant.sandbox.article_count(answer["msg_data_id"]) == 1


def test_status_is_sending_until_the_job_finishes(sandbox, wechat_client):
    control(sandbox, "publishing", {"mass_delay": None})
    msg_id = send_all(wechat_client, new_draft(wechat_client))["msg_id"]
    assert wechat_client.message.get_mass(msg_id)["msg_status"] == "SENDING"
    control(sandbox, "publishing/complete")
    assert wechat_client.message.get_mass(msg_id)["msg_status"] == "SEND_SUCCESS"


def test_subscription_account_sends_to_all_once_a_day(instant):
    client = account(instant, "subscription")
    send_all(client, new_draft(client))
    second = new_draft(client)
    assert errcode(send_all, client, second) == 45028
    assert client.draft.count() == {"total_count": 1}  # a refused send keeps the draft
    control(instant, "clock", {"advance": DAY})
    assert send_all(client, second)["errcode"] == 0


def test_failed_sends_do_not_use_the_quota(instant):
    client = account(instant, "subscription")
    control(instant, "faults", {"jobs": {"mass_failure": 1.0}})
    msg_id = send_all(client, new_draft(client))["msg_id"]
    assert client.message.get_mass(msg_id)["msg_status"] == "SEND_FAIL"
    control(instant, "faults", {})
    assert send_all(client, new_draft(client))["errcode"] == 0


def test_service_account_sends_to_all_once_a_day_and_four_times_a_month(instant, wechat_client):
    """Batch_Sends (current): "认证服务号在一天内，只能设置 is_to_all 为 true 且成功群发一次" and "一个月内 … 最多只能是
    4次" — sends made on mp.weixin.qq.com count too."""
    drafts = [new_draft(wechat_client, f"Day {day}") for day in (1, 2, 3)]  # uploads before the clock moves on
    second = new_draft(wechat_client, "Same day")
    next_month(instant)
    send_all(wechat_client, drafts[0])
    assert errcode(send_all, wechat_client, second) == 45028
    for media_id in drafts[1:]:
        control(instant, "clock", {"advance": DAY})
        send_all(wechat_client, media_id)
    control(instant, "clock", {"advance": DAY})
    assert control(instant, "mass/by-hand", {"appid": APPID})["reached"] == 5  # the fourth, on the website
    control(instant, "clock", {"advance": DAY})
    assert errcode(send_all, wechat_client, second) == 45028
    assert requests.post(f"{instant.url}/sandbox/mass/by-hand", json={"appid": APPID}, timeout=5).status_code == 409
    control(instant, "clock", {"advance": 31 * DAY})
    assert send_all(wechat_client, second)["errcode"] == 0


def next_month(sandbox):
    """Move the sandbox clock to 01:00 on the 1st of next month, Beijing time: the days that follow stay in it."""
    now = datetime.datetime.fromtimestamp(sandbox.sandbox.state.clock.now(), SHANGHAI)
    first = (now.replace(day=1, hour=1, minute=0, second=0, microsecond=0) + datetime.timedelta(days=32)).replace(day=1)
    control(sandbox, "clock", {"advance": (first - now).total_seconds()})


def mass_event(instant, msg_id):
    deliveries = control(instant, "deliveries", method="GET")["deliveries"]
    return next(d["xml"] for d in deliveries if f"<MsgID>{msg_id}</MsgID>" in d["xml"])


def counts(xml):
    return {name: int(re.search(f"<{name}>(\\d+)</{name}>", xml).group(1)) for name in COUNTS}


COUNTS = ("TotalCount", "FilterCount", "SentCount", "ErrorCount")


def test_followers_past_four_a_month_are_filtered_out_of_an_accepted_send(instant, wechat_client):
    """Batch_Sends: "用户每月只能接收4条 … 多于4条的群发将对该用户发送失败"; MASSSENDJOBFINISH's FilterCount is what is
    left "过滤（… 用户接收已超4条的过滤）后" — the send is accepted, not refused (issue 12 item 1)."""
    openids = instant.sandbox.audience.follower_list(APPID)
    media_id = new_draft(wechat_client)
    next_month(instant)
    for _ in range(4):  # tag sends by hand to two followers: they have their four
        control(instant, "mass/by-hand", {"appid": APPID, "openids": openids[:2]})
    received = requests.get(
        f"{instant.url}/sandbox/mass/received", params={"appid": APPID, "openid": openids[0]}, timeout=5
    )
    assert received.json() == {"received": 4}

    answer = send_all(wechat_client, media_id)
    assert answer["errcode"] == 0  # accepted
    assert counts(mass_event(instant, answer["msg_id"])) == {
        "TotalCount": 5,
        "FilterCount": 3,
        "SentCount": 3,
        "ErrorCount": 0,
    }
    assert [instant.sandbox.mass.received_this_month(APPID, o, instant.sandbox.state.clock.now()) for o in openids] == [
        4,
        4,
        1,
        1,
        1,
    ]


def test_a_subscription_account_sends_once_a_day_to_everyone_or_a_tag(instant):
    """Batch_Sends: "对于认证公众号，群发接口每天可成功调用1次，此次群发可选择发送给全部用户或某个标签"."""
    client = account(instant, "subscription")
    client.message.send_mass_article(new_draft(client), tag_or_users=1, is_to_all=False)
    assert errcode(send_all, client, new_draft(client)) == 45028


@pytest.mark.parametrize("kind", ["subscription", "service"])
def test_unverified_accounts_cannot_mass_send(instant, kind):
    client = account(instant, kind, verified=False)
    assert errcode(send_all, client, new_draft(client)) == 48001


def test_clientmsgid_dedupe_returns_the_original_msg_id_and_sends_nothing(instant, wechat_client):
    first = send_all(wechat_client, new_draft(wechat_client), client_msg_id="push-42")
    retry = new_draft(wechat_client, "Retry")
    control(instant, "clock", {"advance": MINUTE})  # asking sooner is 45066 (see below)
    with pytest.raises(WeChatClientException) as caught:
        send_all(wechat_client, retry, client_msg_id="push-42")
    assert caught.value.errcode == 45065
    assert caught.value.response.json()["msg_id"] == first["msg_id"]
    assert wechat_client.draft.count() == {"total_count": 1}  # the retry's draft was not sent
    calls = logged(instant, "/cgi-bin/message/mass/sendall", 2)
    assert [c["fingerprint"].split()[0] for c in calls] == ["clientmsgid=push-42"] * 2
    assert [c["errcode"] for c in calls] == [0, 45065]
    later = new_draft(wechat_client, "Tomorrow")  # before the clock jump: wechatpy cannot resend an upload
    control(instant, "clock", {"advance": DAY})
    assert send_all(wechat_client, later, client_msg_id="push-42")["msg_id"] != first["msg_id"]


def test_clientmsgid_dedupe_wins_over_the_missing_draft(instant, wechat_client):
    media_id = new_draft(wechat_client)
    first = send_all(wechat_client, media_id, client_msg_id="lost-answer")
    control(instant, "clock", {"advance": MINUTE})
    with pytest.raises(WeChatClientException) as caught:
        send_all(wechat_client, media_id, client_msg_id="lost-answer")  # the same call again, draft long gone
    assert (caught.value.errcode, caught.value.response.json()["msg_id"]) == (45065, first["msg_id"])


def test_the_same_clientmsgid_again_within_a_minute_is_45066_and_sends_nothing(instant, wechat_client):
    """WECHAT.md §5, §12: "相同 clientmsgid 重试速度过快，请间隔1分钟重试".
    A refused attempt does not restart the wait."""
    media_id = new_draft(wechat_client)
    first = send_all(wechat_client, media_id, client_msg_id="too-fast")
    control(instant, "clock", {"advance": 30})
    assert errcode(send_all, wechat_client, media_id, "too-fast") == 45066
    control(instant, "clock", {"advance": 30})
    with pytest.raises(WeChatClientException) as caught:
        send_all(wechat_client, media_id, client_msg_id="too-fast")
    assert (caught.value.errcode, caught.value.response.json()["msg_id"]) == (45065, first["msg_id"])
    assert len(instant.sandbox.mass.sends) == 1


def test_clientmsgid_longer_than_64_bytes(instant, wechat_client):
    assert errcode(send_all, wechat_client, new_draft(wechat_client), "x" * 65) == 45067


def test_preview_keeps_the_draft_and_the_quota(instant):
    client = account(instant, "subscription")
    media_id = new_draft(client)
    answer = client.message.send_mass_article(media_id, "oAbCdEfGhIjKlMnOpQrStUvWxYz0", preview=True)
    assert answer["errcode"] == 0 and answer["errmsg"] == "preview success" and "msg_id" in answer
    assert client.message.send_mass_article(media_id, "editor_wxid", preview=True)["errcode"] == 0  # towxname
    assert client.draft.count() == {"total_count": 1}
    assert send_all(client, media_id)["errcode"] == 0  # previews used no quota


def test_previews_are_limited_to_100_a_day(instant, wechat_client):
    media_id = new_draft(wechat_client)
    now = instant.state.clock.now()
    instant.sandbox.mass.previews.extend([(APPID, now)] * 99)  # 99 earlier previews today, without 99 calls
    assert wechat_client.message.send_mass_article(media_id, "editor_wxid", preview=True)["errcode"] == 0
    assert errcode(wechat_client.message.send_mass_article, media_id, "editor_wxid", preview=True) == 45009


def test_delete_marks_the_send_and_kills_its_pages(instant, wechat_client):
    msg_id = send_all(wechat_client, new_draft(wechat_client))["msg_id"]
    (event,) = instant.sandbox.mass.sends.values()
    url = event.pages[0].url
    assert requests.get(url, timeout=5).status_code == 200
    assert wechat_client.message.delete_mass(msg_id) == {"errcode": 0, "errmsg": "ok"}
    assert wechat_client.message.get_mass(msg_id)["msg_status"] == "DELETE"
    assert requests.get(url, timeout=5).status_code == 404
    assert errcode(wechat_client.message.get_mass, 1) == 40002
