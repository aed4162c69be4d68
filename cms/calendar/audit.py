"""The audit-log action of the working-day calendar: a year arrangement saved (A11.1)."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction

ARRANGE = AuditAction(
    "newsroom.calendar.arrange",
    _("Save year arrangement"),
    describe=lambda data: (
        _("Arrangement of %(year)s saved: %(days)s days written, %(kept)s set by hand kept. Source: %(source)s")
        % {
            "year": data.get("year", ""),
            "days": data.get("days", ""),
            "kept": data.get("kept", ""),
            "source": data.get("source", ""),
        }
    ),
)
ACTIONS = (ARRANGE,)
