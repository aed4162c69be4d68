"""Review actions: one place that checks permission, changes state, audits and notifies.

Admin views, the edit view's action menu and tests all arrive here through
``Task.on_action``, so a refusal is the same whichever door was used.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.admin.queue import enqueue
from cms.review import audit, wechat_check
from cms.review.checklist import CHECKLIST_KEYS
from cms.review.reasons import SendBackReason


class ReviewRefused(PermissionDenied):
    """A review action this user may not take, or may not take yet; the message says why."""


def _stage_name(task):
    """The stage's kind in the active language (`task` is a review stage's own class: no query)."""
    return str(task.specific._meta.verbose_name)


@transaction.atomic
def perform(task, task_state, user, action_name, **kwargs):
    """Run `action_name` ("approve" or "reject") on `task_state` as `user`."""
    task_state = type(task_state).objects.select_for_update().get(pk=task_state.pk).specific
    if task_state.status != task_state.STATUS_IN_PROGRESS:
        raise ReviewRefused(_("This review stage is already finished."))
    article = task_state.workflow_state.content_object.specific
    allowed = {name for name, _label, _modal in task.get_actions(article, user)}
    if action_name not in allowed:
        raise ReviewRefused(_("You do not review this article at this stage."))
    kwargs.pop("article", None)  # the office modal's own reference to the page, already checked
    if action_name == "reject":
        return send_back(task, task_state, article, user, kwargs.get("reason"), kwargs.get("comment"))
    return approve(task, task_state, article, user, **kwargs)


def send_back(task, task_state, article, user, reason, comment):
    """Request changes (A6.2.5); content-mismatch and typo reasons record an error (A20)."""
    comment = (comment or "").strip()
    if reason not in SendBackReason.values or not comment:
        raise ReviewRefused(_("Requesting changes needs a reason and a comment."))
    reason_label = SendBackReason(reason).label
    task_state.reject(user=user, comment=f"{reason_label}：{comment}")
    send_back = article.send_backs.create(
        task_state=task_state,
        stage=_stage_name(task),
        reason=reason,
        comment=comment,
        reviewer=user,
    )
    send_back.count_on_submission()
    log(
        instance=article,
        action=audit.SEND_BACK.code,
        user=user,
        revision=task_state.revision,
        data={"stage": send_back.stage, "reason": reason, "reason_label": str(reason_label), "comment": comment},
    )
    if send_back.records_error:
        _record_error(task_state, article, send_back, user)
    enqueue("cms.tasks.notify_sent_back", send_back.pk)
    return None


def _record_error(task_state, article, send_back, user):
    reviewed = task_state.revision.as_object()
    error = article.review_errors.create(
        send_back=send_back,
        department_id=reviewed.department_id,
        provider_kind=reviewed.provider_kind,
        kind=send_back.reason,
        found_at=send_back.created_at,
    )
    log(
        instance=article,
        action=audit.ERROR_RECORDED.code,
        user=user,
        data={
            "error_id": error.pk,
            "kind": error.kind,
            "department_id": error.department_id,
            "department": str(error.department) if error.department_id else None,
            "provider_kind": error.provider_kind,
        },
    )
    if error.department_id:
        enqueue("cms.tasks.check_discipline", error.department_id)


def approve(task, task_state, article, user, comment="", **kwargs):
    """Approve one stage; the office stage also needs the A6.2 checklist and complete credits."""
    comment = (comment or "").strip()
    is_office = task.specific.is_office_review
    if is_office:
        confirmed = [key for key in CHECKLIST_KEYS if kwargs.get(f"check_{key}") is True]
        if len(confirmed) != len(CHECKLIST_KEYS):
            raise ReviewRefused(_("Every item of the office checklist must be confirmed (A6.2)."))
        reviewed = article.get_latest_revision_as_object()
        missing = reviewed.missing_publication_details()
        if missing:
            raise ReviewRefused(
                _("Fill in before approving: %(missing)s (A6.3.2, A6.3.3).")
                % {"missing": "、".join(str(m) for m in missing)}
            )
        if refused := wechat_check.refusal(reviewed):  # A6.3.3: nothing is approved that cannot go out
            raise ReviewRefused(refused)
        task_state.checklist = confirmed
        # The office approves what it sees: the latest revision, its own edits during review included.
        # The publication guard (A6.3.1) lets exactly this revision go live.
        task_state.revision = article.get_latest_revision()
        task_state.save(update_fields=["checklist", "revision"])
        log(
            instance=article,
            action=audit.CHECKLIST_CONFIRMED.code,
            user=user,
            revision=task_state.revision,
            data={"items": confirmed},
        )
        task_state.record_acceptance(article)
    log(
        instance=article,
        action=audit.APPROVE.code,
        user=user,
        revision=task_state.revision,
        data={"stage": _stage_name(task), "comment": comment},
    )
    task_state.approve(user=user, comment=comment)
    if is_office:
        enqueue("cms.tasks.notify_accepted", article.pk)
    return None
