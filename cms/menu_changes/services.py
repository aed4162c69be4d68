"""Menu changes (A6.4 and the attachment): the three approvals and applying the approved menu.

Views and tests call these functions, never the models' fields directly. Each step writes a
`newsroom.menu_change.*` audit entry. WeChat's own limits on a menu, and the calls that read and set it, are the
channel's (`wechat_channel.menu`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.menu_changes import audit
from cms.models import MenuChangeApplication, MenuChangeOpinion
from cms.people.roles import COLLEGE_LEADER
from wechat_channel import menu as wechat_menu
from wechat_channel.wechat.errors import WeChatCallError

Status = MenuChangeApplication.Status
Stage = MenuChangeOpinion.Stage
Decision = MenuChangeOpinion.Decision

# Which stage each status waits for, and the status its approval leads to.
NEXT_STAGE = {
    Status.SUBMITTED: (Stage.HEAD, Status.HEAD_APPROVED),
    Status.HEAD_APPROVED: (Stage.LEADER, Status.LEADER_APPROVED),
    Status.LEADER_APPROVED: (Stage.COLLEGE, Status.APPROVED),
}


class MenuChangeError(Exception):
    """A refused step on a menu-change application; the message is for the user."""


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
        errors = wechat_menu.validate_menu(application.menu)
        if errors:
            raise MenuChangeError(" ".join(errors))
        application.status = Status.SUBMITTED
        application.submitted_at = timezone.now()
        application.save(update_fields=["status", "submitted_at"])
        log(instance=application, action=audit.SUBMIT.code, user=user, data={"number": application.number})
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
            action=audit.DECIDE.code,
            user=user,
            data={"number": application.number, "stage": stage, "decision": decision, "opinion": opinion},
        )
    return application


def apply(application, user):
    """Send an approved menu to WeChat (`menu/create`) and record the answer; channel administrators only."""
    if not may_apply(user):
        raise MenuChangeError(_("Only channel administrators apply menu changes (A15)."))
    with transaction.atomic():
        application = _locked(application)
        if application.status not in (Status.APPROVED, Status.APPLY_FAILED):
            raise MenuChangeError(_("Only an approved menu change can be applied."))
        try:
            wechat_menu.create_menu(application.account, application.menu)
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
            action=audit.APPLY.code,
            user=user,
            data={
                "number": application.number,
                "errcode": application.apply_errcode,
                "message": application.apply_message,
            },
        )
    return application
