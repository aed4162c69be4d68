"""Menu changes (A6.4 and the attachment): the WeChat limits, the three approvals, applying the menu.

Views and tests call these functions, never the models' fields directly. Each step writes a
`newsroom.menu_change.*` audit entry. The limits are WECHAT.md §7's, checked before WeChat sees the menu.
"""

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.models import MenuChangeApplication, MenuChangeOpinion
from cms.people.roles import COLLEGE_LEADER
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

Status = MenuChangeApplication.Status
Stage = MenuChangeOpinion.Stage
Decision = MenuChangeOpinion.Decision

MAX_BUTTONS = 3
MAX_SUB_BUTTONS = 5
MAX_TOP_NAME = 16  # bytes of UTF-8: five Chinese characters
MAX_SUB_NAME = 60
MAX_KEY = 128
MAX_URL = 1024
MENU_NO_EXIST = 46003

KEY_TYPES = (
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
)
MEDIA_TYPES = ("media_id", "view_limited")
ARTICLE_TYPES = ("article_id", "article_view_limited")
BUTTON_TYPES = ("view", *KEY_TYPES, "miniprogram", *MEDIA_TYPES, *ARTICLE_TYPES)
FIELDS = ("type", "name", "key", "url", "media_id", "article_id", "appid", "pagepath")

# Which stage each status waits for, and the status its approval leads to.
NEXT_STAGE = {
    Status.SUBMITTED: (Stage.HEAD, Status.HEAD_APPROVED),
    Status.HEAD_APPROVED: (Stage.LEADER, Status.LEADER_APPROVED),
    Status.LEADER_APPROVED: (Stage.COLLEGE, Status.APPROVED),
}


class MenuChangeError(Exception):
    """A refused step on a menu-change application; the message is for the user."""


def _bytes(value):
    return len(value.encode("utf-8"))


def _label(position, name, parent=None):
    if parent is None:
        return _("Menu %(n)d “%(name)s”") % {"n": position, "name": name}
    return _("Sub-menu %(n)d “%(name)s” of menu %(parent)d") % {"n": position, "name": name, "parent": parent}


def _check_text(errors, label, field, value, limit, required):
    if not value:
        if required:
            errors.append(_("%(button)s needs a %(field)s.") % {"button": label, "field": field})
        return
    size = _bytes(value)
    if size > limit:
        errors.append(
            _("%(button)s: %(field)s is %(size)d bytes; WeChat allows at most %(limit)d bytes.")
            % {"button": label, "field": field, "size": size, "limit": limit}
        )


def _check_name(errors, label, name, limit):
    if not name:
        errors.append(_("%(button)s has no name.") % {"button": label})
        return
    size = _bytes(name)
    if size > limit:
        errors.append(
            _("%(button)s: the name is %(size)d bytes; WeChat allows at most %(limit)d bytes.")
            % {"button": label, "size": size, "limit": limit}
        )


def _check_leaf(errors, label, button):
    kind = button.get("type") or ""
    if kind not in BUTTON_TYPES:
        errors.append(
            _("%(button)s: “%(type)s” is not a button type WeChat accepts.") % {"button": label, "type": kind}
        )
        return
    _check_text(errors, label, "key", button.get("key"), MAX_KEY, required=kind in KEY_TYPES)
    url = button.get("url") or ""
    _check_text(errors, label, "url", url, MAX_URL, required=kind in ("view", "miniprogram"))
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            errors.append(_("%(button)s: the url must start with http:// or https://.") % {"button": label})
    if kind == "miniprogram":
        for field in ("appid", "pagepath"):
            _check_text(errors, label, field, button.get(field), MAX_URL, required=True)
    if kind in MEDIA_TYPES:
        _check_text(errors, label, "media_id", button.get("media_id"), MAX_KEY, required=True)
    if kind in ARTICLE_TYPES:
        _check_text(errors, label, "article_id", button.get("article_id"), MAX_KEY, required=True)


def validate_menu(menu):
    """The list of reasons WeChat would refuse `menu` (`{"button": [...]}`), each naming the button; [] if none."""
    buttons = (menu or {}).get("button") or []
    errors = []
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        errors.append(
            _("A menu has 1 to %(max)d buttons; this one has %(count)d.") % {"max": MAX_BUTTONS, "count": len(buttons)}
        )
    for position, button in enumerate(buttons, start=1):
        name = button.get("name") or ""
        label = _label(position, name)
        _check_name(errors, label, name, MAX_TOP_NAME)
        subs = button.get("sub_button") or []
        if not subs:
            _check_leaf(errors, label, button)
            continue
        if button.get("type"):
            errors.append(_("%(button)s opens sub-menus, so it has no type of its own.") % {"button": label})
        if len(subs) > MAX_SUB_BUTTONS:
            errors.append(
                _("%(button)s has %(count)d sub-menus; WeChat allows at most %(max)d.")
                % {"button": label, "count": len(subs), "max": MAX_SUB_BUTTONS}
            )
        for sub_position, sub in enumerate(subs, start=1):
            sub_name = sub.get("name") or ""
            sub_label = _label(sub_position, sub_name, parent=position)
            _check_name(errors, sub_label, sub_name, MAX_SUB_NAME)
            _check_leaf(errors, sub_label, sub)
    return errors


def clean_menu(menu):
    """`menu` as WeChat wants it: known fields only, no empty values, `sub_button` only where there are some."""
    result = []
    for button in (menu or {}).get("button") or []:
        subs = [{field: sub[field] for field in FIELDS if sub.get(field)} for sub in button.get("sub_button") or []]
        if subs:
            result.append({"name": button.get("name", ""), "sub_button": subs})
        else:
            result.append({field: button[field] for field in FIELDS if button.get(field)})
    return {"button": result}


# -- who may do what ------------------------------------------------------------------------------


def is_college_leader(user):
    return user.is_active and user.groups.filter(name=COLLEGE_LEADER.name).exists()


def may_decide(application, user, stage):
    """Whether `user` gives the opinion of `stage` on `application` (A6.4): the head, the leader, the college."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    department = application.department
    if stage == Stage.HEAD:
        return department.heads.filter(pk=user.pk).exists()
    if stage == Stage.LEADER:
        return department.supervising_leader_id == user.pk
    return is_college_leader(user)


def may_apply(user):
    return user.is_active and user.has_perm("cms.apply_menuchangeapplication")


def may_edit(application, user):
    return application.status == Status.DRAFT and (application.applicant_id == user.pk or user.is_superuser)


def pending_stage(application):
    """The stage the application waits for, or None."""
    step = NEXT_STAGE.get(application.status)
    return step[0] if step else None


def awaiting(user):
    """Applications waiting for `user`: their opinion at the current stage, or (channel administrators) applying."""
    if not (user and user.is_authenticated and user.is_active):
        return []
    waiting = MenuChangeApplication.objects.filter(
        status__in=[*NEXT_STAGE, *((Status.APPROVED,) if may_apply(user) else ())]
    ).select_related("department")
    return [
        application
        for application in waiting
        if application.status == Status.APPROVED or may_decide(application, user, pending_stage(application))
    ]


# -- the steps ------------------------------------------------------------------------------------


def _locked(application):
    return MenuChangeApplication.objects.select_for_update().get(pk=application.pk)


def submit(application, user):
    """Send a draft to the department head; refused while the menu breaks WeChat's limits."""
    with transaction.atomic():
        application = _locked(application)
        if application.status != Status.DRAFT:
            raise MenuChangeError(_("Only a draft can be submitted."))
        if not may_edit(application, user):
            raise MenuChangeError(_("Only the applicant submits their application."))
        errors = validate_menu(application.menu)
        if errors:
            raise MenuChangeError(" ".join(errors))
        application.status = Status.SUBMITTED
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at"])
        log(instance=application, action="newsroom.menu_change.submit", user=user, data={"number": application.number})
    return application


def decide(application, user, decision, opinion=""):
    """Record `user`'s opinion at the stage the application waits for; a rejection ends it (A6.4)."""
    with transaction.atomic():
        application = _locked(application)
        stage = pending_stage(application)
        if stage is None:
            raise MenuChangeError(
                _("%(number)s is not waiting for an opinion (%(status)s).")
                % {"number": application.number, "status": application.get_status_display()}
            )
        if not may_decide(application, user, stage):
            raise MenuChangeError(
                _("%(number)s waits for the %(stage)s; you cannot give it.")
                % {"number": application.number, "stage": Stage(stage).label}
            )
        if decision not in Decision.values:
            raise MenuChangeError(_("Approve or reject."))
        if decision == Decision.REJECT and not opinion.strip():
            raise MenuChangeError(_("Say why the change is rejected."))
        MenuChangeOpinion.objects.create(
            application=application, stage=stage, decision=decision, opinion=opinion, by=user
        )
        application.status = NEXT_STAGE[application.status][1] if decision == Decision.APPROVE else Status.REJECTED
        application.save(update_fields=["status"])
        log(
            instance=application,
            action="newsroom.menu_change.decide",
            user=user,
            data={"number": application.number, "stage": stage, "decision": decision, "opinion": opinion},
        )
    return application


def current_menu(account):
    """The account's menu as `menu/get` reads it (`{"button": [...]}`); an empty menu when it has none (46003)."""
    client = client_for(account)
    try:
        result = client.call("menu/get", lambda: client.api.get("menu/get"))
    except WeChatCallError as error:
        if error.code == MENU_NO_EXIST:
            return {"button": []}
        raise
    return {"button": (result.get("menu") or {}).get("button") or []}


def apply(application, user):
    """Send an approved menu to WeChat (`menu/create`) and record the answer; channel administrators only."""
    if not may_apply(user):
        raise MenuChangeError(_("Only channel administrators apply menu changes (A15)."))
    with transaction.atomic():
        application = _locked(application)
        if application.status not in (Status.APPROVED, Status.APPLY_FAILED):
            raise MenuChangeError(_("Only an approved menu change can be applied."))
        client = client_for(application.account)
        try:
            client.post("menu/create", clean_menu(application.menu))
        except WeChatCallError as error:
            application.status = Status.APPLY_FAILED
            application.apply_errcode = error.code
            application.apply_message = str(error)[:1000]
        else:
            application.status = Status.APPLIED
            application.apply_errcode = 0
            application.apply_message = "ok"
        application.applied_by = user
        application.applied_at = timezone.now()
        application.save(update_fields=["status", "apply_errcode", "apply_message", "applied_by", "applied_at"])
        log(
            instance=application,
            action="newsroom.menu_change.apply",
            user=user,
            data={
                "number": application.number,
                "errcode": application.apply_errcode,
                "message": application.apply_message,
            },
        )
    return application
