"""The audit-log action of an article's WeChat settings, changed without a new review (A6.3.1)."""

from django.utils.translation import gettext_lazy as _

from cms.admin.audit import AuditAction


def _describe(data):
    changes, parts = data.get("changes", {}), []
    if "cover_image" in changes:
        old, new = changes["cover_image"]["old"], changes["cover_image"]["new"]
        parts.append(
            _("cover image: %(old)s → %(new)s")
            % {"old": old["title"] if old else "—", "new": new["title"] if new else "—"}
        )
    if "digest" in changes:
        parts.append(
            _("digest: “%(old)s” → “%(new)s”") % {"old": changes["digest"]["old"], "new": changes["digest"]["new"]}
        )
    return _("WeChat settings changed without a new review: %(changes)s") % {"changes": "; ".join(parts)}


CHANGE = AuditAction("newsroom.wechat_fields.change", _("Change WeChat settings"), describe=_describe)
