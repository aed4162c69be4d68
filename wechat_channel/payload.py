"""Reading a callback's parsed XML (xmltodict shapes) without trusting it (WECHAT.md §6).

An element is a string, None when empty, a dict with "#text" when it has attributes, and a list when it
repeats. Every reader here returns a safe value for any shape: callbacks come from outside.
"""

import datetime


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
