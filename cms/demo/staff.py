"""Demo staff for the staff duty report (A21): one in each state, bound through the binding domain functions.

The openids are the sandbox's own: its default followers (follow) and the one former follower every sandbox
account knows (left), so "Check now" against the demo sandbox confirms what the report shows.
"""

from django.contrib.auth import get_user_model

from cms.models import Person, PersonKind
from cms.people.roles import ROLES_BY_KEY, group_for
from wechat_channel import bindings
from wechat_channel.models import FollowerBinding
from wechat_channel.sandbox import default_openids, former_follower

S = FollowerBinding.Subscription

# username (None: no admin account), name, staff number, department code, what their WeChat says
DEMO_STAFF = [
    ("teacher_wang", "王丽华", "T2026001", "student-affairs", S.SUBSCRIBED),
    ("teacher_li", "李红梅", "T2026002", "academic-affairs", S.UNSUBSCRIBED),
    ("teacher_sun", "孙建国", "T2026003", "youth-league", S.UNKNOWN),
    ("teacher_zhao", "赵海燕", "T2026004", "academic-affairs", None),  # not bound: logs in and binds in the demo
    (None, "钱永明", "T2026005", "youth-league", None),  # no admin account, so cannot bind
]


def ensure_staff(departments, account, password):
    """The demo staff, their logins (contributors) and bindings; returns the logins as (username, role) pairs."""
    User = get_user_model()
    followers = iter(default_openids(account.appid))
    logins, answers = [], {}
    for username, name, number, department, state in DEMO_STAFF:
        user = None
        if username:
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": name, "email": f"{username}@example.edu.cn"}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(group_for(ROLES_BY_KEY["contributor"]))
            logins.append((username, f"{ROLES_BY_KEY['contributor'].name} · 教职工 (A21)"))
        Person.objects.get_or_create(
            kind=PersonKind.STAFF,
            number=number,
            defaults={"name": name, "user": user, "department": departments[department]},
        )
        if user is None or state is None:
            continue
        openid = former_follower(account.appid) if state == S.UNSUBSCRIBED else next(followers)
        if not FollowerBinding.objects.filter(user=user, account=account).exists():
            bindings.bind(user, account, openid, by=user)
            if state != S.UNKNOWN:
                answers[openid] = state
    bindings.record_answers(account, answers)  # as if the daily check had run
    return logins
