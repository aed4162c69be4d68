"""Steps and looks at the sandbox that the delivery tests share: faults, the calls WeChat answered, time on."""

import datetime

import requests
from django.utils import timezone

from tests.wechat_channel.sandbox_access import APPID, wait_for
from wechat_channel import delivery
from wechat_channel.models import CallbackEvent, Push


def faults(sandbox, **config):
    requests.post(sandbox.url + "/sandbox/faults", json=config, timeout=5).raise_for_status()


def succeeded(sandbox, path):
    return [c for c in sandbox.calls.as_list() if c["path"] == "/cgi-bin/" + path and c["errcode"] == 0]


def wechat_drafts(sandbox):
    return len(sandbox.sandbox.drafts.of_account(APPID))


def later(seconds=60):
    return timezone.now() + datetime.timedelta(seconds=seconds)


def lost_mass_send(sandbox, push):
    """The push's sendall went out but its answer was lost: WeChat's msg_id, which the site never saw."""
    faults(sandbox, paths={"message/mass/sendall": {"timeout": 1.0}}, timeout_seconds=1.0)
    delivery.advance(push.pk)
    assert wait_for(lambda: succeeded(sandbox, "message/mass/sendall"))
    faults(sandbox)
    push.refresh_from_db()
    assert (push.state, push.msg_id) == (Push.State.UNKNOWN, "")
    (send,) = sandbox.sandbox.mass.sends.values()
    return str(send.msg_id)


def result_event(push, msg_id, n=2):
    items = [{"ArticleIdx": str(i), "ArticleUrl": f"http://wx/s/{msg_id}-{i}"} for i in range(1, n + 1)]
    return CallbackEvent.objects.create(
        account=push.account,
        dedupe_key=f"mass:{msg_id}",
        event="MASSSENDJOBFINISH",
        payload={
            "MsgID": msg_id,
            "Status": "send success",
            **{"TotalCount": "5", "FilterCount": "5", "SentCount": "5", "ErrorCount": "0"},
            "ArticleUrlResult": {"Count": str(n), "ResultList": {"item": items}},
        },
    )
