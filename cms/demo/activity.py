"""The demo account's follower activity (A14): the semester so far, as WeChat's callback would have delivered it.

A handful of the sandbox's followers (`sandbox.default_openids`, and the one who followed and left,
`sandbox.former_follower`: 李红梅 of the staff duty report) subscribe, open the menu, click 校历 and write to the
account; the former follower leaves. Each is recorded through `wechat_channel.activity.record` with WeChat's time
(whole seconds, as `CreateTime`). The records lie within the policy's retention (`records.retention_days`), so the
daily purge keeps them, and the office head (`policy`) has something to export.
"""

import datetime

from django.utils import timezone

from wechat_channel import activity
from wechat_channel.models import FollowerActivity
from wechat_channel.sandbox import default_openids, former_follower

K = FollowerActivity.Kind
FORMER = "former"
NEWS = "https://www.example.edu.cn/news/"  # the demo menu's links and key (cms/demo/governance.py)
CONTRIBUTE = "https://www.example.edu.cn/contribute/"
REPORT = "https://www.example.edu.cn/report/"
CALENDAR = "CALENDAR"

# (share of the span so far, hour, minute, follower: an index into the default followers or FORMER, kind, detail)
SCRIPT = (
    (0.00, 9, 12, 2, K.SUBSCRIBE, ""),
    (0.02, 10, 5, FORMER, K.SUBSCRIBE, ""),
    (0.03, 12, 31, 2, K.MESSAGE, "请问新生报到需要带哪些材料？"),
    (0.05, 19, 40, 3, K.SUBSCRIBE, "qrscene_1001"),
    (0.08, 20, 2, 3, K.MENU_VIEW, NEWS),
    (0.10, 8, 15, 2, K.MENU_CLICK, CALENDAR),
    (0.15, 21, 30, 4, K.SUBSCRIBE, ""),
    (0.18, 21, 34, 4, K.MESSAGE, "运动会什么时候报名？"),
    (0.25, 16, 48, FORMER, K.MENU_VIEW, CONTRIBUTE),
    (0.30, 13, 7, 3, K.MESSAGE, "[image] https://mmbiz.qpic.cn/mmbiz_jpg/demo/0"),
    (0.35, 22, 10, 2, K.MENU_VIEW, REPORT),
    (0.40, 7, 55, 4, K.MENU_CLICK, CALENDAR),
    (0.45, 18, 20, FORMER, K.MESSAGE, "希望多发一些讲座预告"),
    (0.52, 12, 3, 0, K.MENU_VIEW, NEWS),
    (0.60, 23, 41, FORMER, K.UNSUBSCRIBE, ""),
    (0.65, 11, 26, 4, K.MESSAGE, "食堂二楼什么时候恢复营业？"),
    (0.70, 8, 1, 1, K.MENU_CLICK, CALENDAR),
    (0.78, 2, 13, 3, K.MESSAGE, "兼职刷单，日结300，加微信详谈"),
    (0.85, 20, 45, 4, K.MENU_VIEW, NEWS),
    (0.92, 17, 30, 2, K.MESSAGE, "图书馆期末延长开放吗？"),
    (0.97, 9, 58, 3, K.MENU_CLICK, CALENDAR),
)


def ensure_activity(account, semester):
    """Seed the semester's follower activity once; nothing when the account has any (comments aside, which the
    comment fetch records)."""
    if FollowerActivity.objects.filter(account=account).exclude(kind=K.COMMENT).exists():
        return
    now = timezone.now().replace(microsecond=0)
    start = timezone.make_aware(datetime.datetime.combine(semester.start, datetime.time()))
    days = activity.retention_days(account)
    if days is not None:  # kept by the daily purge (A14): a day inside the retention, to spare the edge
        start = max(start, now - datetime.timedelta(days=days - 1))
    followers = default_openids(account.appid)
    for share, hour, minute, who, kind, detail in SCRIPT:
        day = timezone.localtime(start + (now - start) * share).date()
        occurred_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        if not start <= occurred_at < now:
            continue  # the first or last day of the span, outside it
        openid = former_follower(account.appid) if who == FORMER else followers[who]
        activity.record(account, openid, kind, detail, occurred_at)
