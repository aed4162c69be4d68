"""The audit-log actions of the review (A6.2, A16, A20), so each step can be filtered in the history."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction

SEND_BACK = AuditAction(
    "newsroom.review.send_back",
    _("Request changes"),
    describe=lambda data: (
        _("Sent back at %(stage)s: %(reason)s — %(comment)s")
        % {
            "stage": data.get("stage", ""),
            "reason": data.get("reason_label", data.get("reason", "")),
            "comment": data.get("comment", ""),
        }
    ),
)
ERROR_RECORDED = AuditAction(
    "newsroom.review.error_recorded",
    _("Record review error"),
    describe=lambda data: (
        _("Error recorded against %(department)s: %(kind)s (A20)")
        % {"department": data.get("department") or "—", "kind": data.get("kind", "")}
    ),
)
APPROVE = AuditAction(
    "newsroom.review.approve",
    _("Approve review stage"),
    describe=lambda data: _("Approved at %(stage)s") % {"stage": data.get("stage", "")},
)
CHECKLIST_CONFIRMED = AuditAction(
    "newsroom.review.checklist_confirmed", _("Confirm office checklist"), _("Office checklist confirmed (A6.2)")
)
REACHED_OFFICE = AuditAction(
    "newsroom.review.reached_office", _("Reach office review"), _("Reached office review (A16)")
)
STALLED = AuditAction(
    "newsroom.review.stalled",
    _("Remind about stalled review"),
    describe=lambda data: (
        _("Waited too long at %(stage)s: its reviewers and the office were reminded (A6.2)")
        % {"stage": data.get("stage", "")}
    ),
)
ACTIONS = (SEND_BACK, ERROR_RECORDED, APPROVE, CHECKLIST_CONFIRMED, REACHED_OFFICE, STALLED)
