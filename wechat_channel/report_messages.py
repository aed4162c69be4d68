"""Reports (举报) sent as WeChat messages (A6.5.2): a text message starting with a keyword of the account's policy.

The channel only recognises the report and sends `signals.report_received`; the host site opens the case.
Nothing is replied to the follower: the callback has already answered `success`.
"""

from __future__ import annotations

import logging
import unicodedata

from wechat_channel import slots
from wechat_channel.models import CallbackEvent
from wechat_channel.payload import created_at_of, text_of
from wechat_channel.signals import report_received

logger = logging.getLogger(__name__)


def report_keywords(account) -> list[str]:
    """The account's policy keywords (`cases.report_keywords`); the policy default when none is usable."""
    return list(slots.section(account, "cases").report_keywords)


def _separator(character: str) -> bool:
    return character.isspace() or unicodedata.category(character).startswith("P")


def match(text: str, keywords) -> tuple[str, str] | None:
    """(keyword, the rest without the keyword and the punctuation after it) when `text` starts with a keyword."""
    text = (text or "").strip()
    for keyword in sorted(keywords, key=len, reverse=True):  # "举报账号" before "举报"
        if keyword and text.startswith(keyword):
            rest = text[len(keyword) :]
            while rest and _separator(rest[0]):
                rest = rest[1:]
            return keyword, rest.strip()
    return None


def report_from_event(event: CallbackEvent) -> bool:
    """Send `report_received` when a stored text message is a report; True when it was one."""
    data = event.payload if isinstance(event.payload, dict) else {}
    openid, message = text_of(data.get("FromUserName")), text_of(data.get("Content"))
    if text_of(data.get("MsgType")).lower() != "text" or not (openid and message):
        return False
    found = match(message, report_keywords(event.account))
    if found is None:
        return False
    keyword, text = found
    # Not `send_robust`: a receiver that fails rolls the whole callback back (activity record included), and the
    # minute sweep processes it again (`tasks.stalled_callbacks`), so a report is never lost to a passing error.
    report_received.send(
        sender=CallbackEvent,
        account=event.account,
        openid=openid,
        keyword=keyword,
        text=text,
        message=message,
        received_at=created_at_of(data) or event.received_at,
        event_id=event.pk,
    )
    return True
