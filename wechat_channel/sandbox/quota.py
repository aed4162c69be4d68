"""Quota periods on the sandbox clock: WeChat counts days and months in Beijing time (WECHAT.md §5)."""

from datetime import UTC, datetime, timedelta, timezone

# Asia/Shanghai has kept UTC+8 without daylight saving since 1991; a fixed offset needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def shanghai_day(timestamp):
    """The Beijing-time calendar day of a sandbox-clock timestamp."""
    return datetime.fromtimestamp(timestamp, UTC).astimezone(SHANGHAI).date()


def shanghai_month(timestamp):
    """(year, month) in Beijing time."""
    day = shanghai_day(timestamp)
    return day.year, day.month
