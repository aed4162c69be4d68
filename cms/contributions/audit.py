"""The audit-log actions of public contributions (A6.1)."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction

SUBMIT = AuditAction(
    "newsroom.contribution.submit", _("Submit contribution"), _("Contribution submitted through the public form")
)
REVISE = AuditAction(
    "newsroom.contribution.revise", _("Revise contribution"), _("Contribution revised through the status link")
)
ACTIONS = (SUBMIT, REVISE)
