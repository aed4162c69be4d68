"""Demo of review routing (A6.1, A6.2.4) and stalls (A6.2): 团委's head has left, and its material still moves.

团委's former head (吴老师) can no longer sign in, so a public contribution for 团委 goes to the supervising leader at
the first stage; it has waited since several working days, so the office and the leader see it flagged, and the
office sees which department has no head. Idempotent, like the rest of `seed_demo`.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import TaskState

from cms.contributions import services
from cms.models import ArticlePage, Contribution, PersonKind
from cms.people.roles import ROLES_BY_KEY, group_for

YOUTH_LEAGUE_TITLE = "校园十佳歌手大赛决赛圆满落幕"
STALLED_FOR = datetime.timedelta(days=7)  # past the policy's default of 2 working days, whatever the weekday


def ensure_former_head(departments, password):
    """团委's head, whose account was deactivated when they left: still listed, no longer able to review."""
    user, created = get_user_model().objects.get_or_create(
        username="head_youth", defaults={"first_name": "吴老师", "email": "head_youth@example.edu.cn"}
    )
    if created:
        user.set_password(password)
        user.is_active = False
        user.save()
        user.groups.add(group_for(ROLES_BY_KEY["department_head"]))
    departments["youth-league"].heads.add(user)
    return user


def ensure_youth_league_contribution(departments):
    """A public contribution for 团委, at its first review stage for a week."""
    if ArticlePage.objects.filter(title=YOUTH_LEAGUE_TITLE).exists():
        return
    services.submit_contribution(
        {
            "title": YOUTH_LEAGUE_TITLE,
            "text": "12月3日晚，校园十佳歌手大赛决赛在大礼堂举行，十位选手同台竞技。\n\n比赛由团委主办。",
            "name": "钟同学",
            "number": "2026030303",
            "kind": PersonKind.STUDENT,
            "department": departments["youth-league"],
            "email": "zhong@example.edu.cn",
            "on_behalf_of": Contribution.OnBehalfOf.DEPARTMENT,
        },
        images=[],
        ip="127.0.0.1",
    )
    page = ArticlePage.objects.get(title=YOUTH_LEAGUE_TITLE)
    TaskState.objects.filter(workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS).update(
        started_at=timezone.now() - STALLED_FOR
    )
