"""The audit-log actions of the department notices (A20), one per level of `discipline.LEVELS`."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction

NOTICES = {
    "warning": AuditAction("newsroom.discipline.warning", _("Warn department head"), _("Department head warned (A20)")),
    "escalation": AuditAction(
        "newsroom.discipline.escalation",
        _("Escalate to supervising leader"),
        _("Escalated to the supervising leader (A20)"),
    ),
}
ACTIONS = tuple(NOTICES.values())
