"""What `policy import` does with a partial document (issue 14 item 6): it merges it onto the active version.

A file that mentions only the prizes changes only the prizes: every section and field it does not mention
is kept as the active version has it (the regulation's defaults when no version is active), never reset.
A whole document merged onto anything is itself, so an export imported back is unchanged. The draft's
event records the version merged onto and the sections kept; `kept_text` says it in words.
"""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .texts import SECTION_TITLES

FIXED = ("schema_version", "scope")  # not sections: the scope is the import's own, the schema one version


def overlay(base, data):
    """`data` over `base`: mappings merge key by key; anything else (a list, a number, null) replaces."""
    merged = dict(base)
    for name, value in data.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = overlay(merged[name], value)
        else:
            merged[name] = value
    return merged


def unmentioned(base, data):
    """`{"sections", "partly"}`: the sections of `base` that `data` leaves out, and those it mentions only in part."""
    whole, partly = [], []
    for name, value in base.items():
        if name in FIXED:
            continue
        if name not in data:
            whole.append(name)
        elif isinstance(value, dict) and isinstance(data[name], dict) and overlay(value, data[name]) != data[name]:
            partly.append(name)
    return {"sections": whole, "partly": partly}


def _sections(names):
    return pgettext("list of names", ", ").join(str(SECTION_TITLES.get(name, name)) for name in names)


def kept_text(merged_onto, kept):
    """What an import kept, in words: the version it was merged onto and the sections the file did not mention."""
    if merged_onto is None:
        base = _("the regulation's defaults (no version is active)")
    else:
        base = _("the active version v%(number)s") % {"number": merged_onto}
    if not (kept.get("sections") or kept.get("partly")):
        return _("The file gives the whole document; nothing was taken from %(base)s.") % {"base": base}
    parts = []
    if kept.get("sections"):
        parts.append(_("kept whole: %(sections)s") % {"sections": _sections(kept["sections"])})
    if kept.get("partly"):
        parts.append(_("fields not in the file kept: %(sections)s") % {"sections": _sections(kept["partly"])})
    return _("Merged onto %(base)s; what the file does not mention is kept, not reset (%(kept)s).") % {
        "base": base,
        "kept": pgettext("list of clauses", "; ").join(parts),
    }
