"""The audit-log action of a person created or changed by an import (issue 14)."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction


def _describe(data):
    how = _("created") if data.get("status") == "created" else _("changed")
    return _("Imported from a spreadsheet (%(source)s): %(how)s") % {"source": data.get("source", ""), "how": how}


IMPORTED = AuditAction("newsroom.people.import", _("Import people"), describe=_describe)
