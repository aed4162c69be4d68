"""The steps of setting up an institution, each done or not, read from the database as it is (issue 14).

1. a WeChat account connected (active, with its AppID); 2. this year's and next year's working-day calendar
(A11.1); 3. every active department with a head and a supervising leader (A6.1); 4. the policy reviewed: a version
activated by someone (in the admin or through manage.py), not only the defaults the migration activated. A few
queries, whatever the size of the institution.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cms.calendar import services as calendar
from cms.models import Department
from policy_rules.models import PolicyEvent
from wechat_channel.models import WeChatAccount

NAMED = 5  # departments named in the step; the rest are counted


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    detail: str
    url: str


def steps(user, today=None):
    """The checklist's steps, in the order an office does them, each linking where `user` can do it."""
    return [_account(user), _calendar(today), _departments(), _policy()]


def is_done(all_steps):
    return all(step.done for step in all_steps)


def _account(user):
    connected = WeChatAccount.objects.filter(is_active=True).exclude(appid="").exists()
    if user.has_perm("wechat_channel.change_wechataccount"):
        detail, url = _("No active account with its AppID yet."), reverse("wechat_accounts:index")
    else:  # the accounts and their credentials are the channel administrators' alone (A15)
        detail, url = _("No active account with its AppID yet: the channel administrator adds it (A15)."), ""
    return Step("wechat_account", _("Connect the WeChat official account"), connected, "" if connected else detail, url)


def _calendar(today):
    missing = calendar.uncovered_years(today, ahead=1)
    return Step(
        "calendar",
        _("Enter this year's and next year's working-day calendar"),
        not missing,
        _("Missing: %(years)s (Monday–Friday are assumed).") % {"years": "、".join(map(str, missing))}
        if missing
        else "",
        reverse("calendar_admin:index"),
    )


def _departments():
    active = Department.objects.filter(active=True).annotate(head_count=Count("heads"))
    lacking = list(
        active.filter(Q(head_count=0) | Q(supervising_leader__isnull=True))
        .order_by("name")
        .values_list("name", flat=True)
    )
    any_department = bool(lacking) or active.exists()
    if not any_department:
        detail = _("No departments yet: import them with their people.")
    elif lacking:
        names = "、".join(lacking[:NAMED]) + ("…" if len(lacking) > NAMED else "")
        detail = _("%(count)s without a head or a supervising leader: %(names)s") % {
            "count": len(lacking),
            "names": names,
        }
    else:
        detail = ""
    return Step(
        "departments",
        _("Give every department a head and a supervising leader"),
        any_department and not lacking,
        detail,
        reverse("people_import:index"),
    )


def _policy():
    # The migration activates the regulation's defaults; reviewed means someone activated a version since.
    activations = PolicyEvent.objects.filter(action=PolicyEvent.Action.ACTIVATED)
    reviewed = any(data.get("source") != "migration" for data in activations.values_list("data", flat=True))
    return Step(
        "policy",
        _("Review the policy and activate it"),
        reviewed,
        "" if reviewed else _("The regulation's defaults apply until the office head activates a version."),
        reverse("policy_admin:index"),
    )
