"""Demo governance: cases to handle (A6.5), a menu change awaiting its first opinion (A6.4), a credential holder
(A6.6). Idempotent, like the rest of `seed_demo`: each piece is made once, through the domain functions."""

import datetime

from django.utils import timezone

from cms.cases import services as cases
from cms.menu_changes import services as menu_changes
from cms.models import Case, MenuChangeApplication
from wechat_channel.credentials.services import assign, current_holders

DEMO_MENU = {
    "button": [
        {"name": "学院新闻", "type": "view", "url": "https://www.example.edu.cn/news/"},
        {
            "name": "校园服务",
            "sub_button": [
                {"name": "校历", "type": "click", "key": "CALENDAR"},
                {"name": "投稿", "type": "view", "url": "https://www.example.edu.cn/contribute/"},
                {"name": "举报", "type": "view", "url": "https://www.example.edu.cn/report/"},
            ],
        },
    ]
}


def ensure_governance(account, users, departments):
    ensure_cases(account)
    ensure_menu_change(account, users, departments)
    ensure_credential_holder(account, users)


def ensure_cases(account):
    """A report by message, a late one from the site's form, and a system error: the cases page has each state."""
    now = timezone.now()
    cases.open_report(
        "举报：有公众号冒用学院名义发布收费招生信息",
        Case.Source.WECHAT,
        summary="有公众号冒用学院名义发布收费招生信息",
        openid="oDemoReporter0000000000000001",
        account=account,
        key="demo:report-by-message",
    )
    cases.open_report(
        "《迎新晚会精彩回顾》下有留言发布赌博广告链接，请尽快删除。",
        Case.Source.SITE,
        category=Case.Category.COMMENT,
        name="张小雨",
        contact="zhang@example.edu.cn",
        account=account,
        key="demo:report-by-form",
        now=now - datetime.timedelta(days=3),  # past its deadline: escalated by the next run, shown as late
    )
    if not Case.objects.filter(dedupe_key="demo:quota").exists():
        cases.open_system_error(
            "errcode 45009: reach max api daily quota limit（接口调用超过当日限额）", account=account, key="demo:quota"
        )


def ensure_menu_change(account, users, departments):
    """A department head's proposal, submitted and waiting for the department head's opinion (A6.4)."""
    if MenuChangeApplication.objects.filter(account=account).exists():
        return
    application = MenuChangeApplication.objects.create(
        department=departments["student-affairs"],
        applicant=users["head_student"],
        account=account,
        menu=DEMO_MENU,
        reason="新增「举报」入口，方便师生反映问题（A6.5.2）。",
    )
    menu_changes.submit(application, users["head_student"])


def ensure_credential_holder(account, users):
    """The channel administrator holds the demo account's credentials (A6.6.1)."""
    if not current_holders(account).exists():
        assign(account, users["channel"], by=users["admin"])
