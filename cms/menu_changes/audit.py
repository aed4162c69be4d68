"""The audit-log actions of menu-change applications (A6.4)."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction

SUBMIT = AuditAction(
    "newsroom.menu_change.submit", _("Submit menu change"), _("Menu change submitted for approval (A6.4)")
)
DECIDE = AuditAction(
    "newsroom.menu_change.decide",
    _("Give menu change opinion"),
    describe=lambda data: (
        _("%(decision)s at %(stage)s: %(opinion)s")
        % {"decision": data.get("decision", ""), "stage": data.get("stage", ""), "opinion": data.get("opinion", "")}
    ),
)
APPLY = AuditAction(
    "newsroom.menu_change.apply",
    _("Apply menu change"),
    describe=lambda data: (
        _("Menu sent to WeChat: errcode %(errcode)s %(message)s")
        % {"errcode": data.get("errcode", ""), "message": data.get("message", "")}
    ),
)
ACTIONS = (SUBMIT, DECIDE, APPLY)
