"""Reading a callback's parsed XML (xmltodict shapes) without trusting it (WECHAT.md §6).

An element is a string, None when empty, a dict with "#text" when it has attributes, and a list when it
repeats. Every reader here returns a safe value for any shape: callbacks come from outside.
"""

import datetime

PUBLISH_EVENTS = {"PUBLISHJOBFINISH", "FREEPUBLISHJOBFINISH"}  # the second from an early doc sample (§4.4)
MASS_SEND_EVENT = "MASSSENDJOBFINISH"


def text_of(value) -> str:
    if isinstance(value, dict):
        value = value.get("#text")
    return value.strip() if isinstance(value, str) else ""


def int_of(value) -> int | None:
    text = text_of(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def mapping_of(value) -> dict:
    return value if isinstance(value, dict) else {}


def list_of(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def items_of(value) -> list[dict]:
    return [item for item in list_of(value) if isinstance(item, dict)]


def created_at_of(data: dict):
    """WeChat's `CreateTime` (seconds) as an aware datetime, or None when absent or not a plausible number."""
    text = text_of(data.get("CreateTime"))
    if not (text.isascii() and text.isdigit() and len(text) <= 12):
        return None
    return datetime.datetime.fromtimestamp(int(text), tz=datetime.UTC)


# The result events of a push (§4.4, §5), as keyword arguments of `results`.


def publish_result(data: dict) -> dict | None:
    """`PublishEventInfo` (§4.4) as keyword arguments of `results.publish_finished`, or None if unusable."""
    info = mapping_of(data.get("PublishEventInfo"))
    publish_id = text_of(info.get("publish_id"))
    status = int_of(info.get("publish_status"))
    if not publish_id or status is None:
        return None
    urls = {}
    for item in items_of(mapping_of(info.get("article_detail")).get("item")):
        idx = int_of(item.get("idx"))
        if idx is not None:
            urls[idx] = text_of(item.get("article_url"))
    fail_idx = [idx for idx in (int_of(value) for value in list_of(info.get("fail_idx"))) if idx is not None]
    return {
        "publish_id": publish_id,
        "status": status,
        "article_id": text_of(info.get("article_id")),
        "urls": urls,
        "fail_idx": fail_idx,
    }


MAX_FOLLOWERS = 2_000_000_000  # more than WeChat has users; fits every database's integer column


def _count(value):
    number = int_of(value)
    return number if number is not None and number <= MAX_FOLLOWERS else None


def mass_send_result(data: dict) -> dict | None:
    """A `MASSSENDJOBFINISH` (§5) as keyword arguments of `results.mass_send_finished`, or None if unusable."""
    msg_id = text_of(data.get("MsgID"))
    if not msg_id:
        return None
    urls = {}
    for result_list in items_of(mapping_of(data.get("ArticleUrlResult")).get("ResultList")):
        for item in items_of(result_list.get("item")):
            idx = int_of(item.get("ArticleIdx"))
            if idx is not None:
                urls[idx] = text_of(item.get("ArticleUrl"))
    counts = {
        field: _count(data.get(name))
        for field, name in (
            ("followers_total", "TotalCount"),
            ("followers_ready", "FilterCount"),
            ("followers_sent", "SentCount"),
            ("followers_failed", "ErrorCount"),
        )
    }
    reach = counts if counts["followers_total"] is not None and counts["followers_ready"] is not None else None
    return {"msg_id": msg_id, "status": text_of(data.get("Status")), "urls": urls, "reach": reach}
