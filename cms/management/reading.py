"""Why a file given to a management command cannot be read, in the operator's language (not the C library's English)."""

from django.utils.translation import gettext as _


def reason(error):
    """A missing file, a folder, a refused permission or text that is not UTF-8 in words; else what the system says."""
    if isinstance(error, FileNotFoundError):
        return _("there is no such file")
    if isinstance(error, IsADirectoryError):
        return _("it is a folder, not a file")
    if isinstance(error, PermissionError):
        return _("permission to read it is denied")
    if isinstance(error, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    return getattr(error, "strerror", None) or str(error)
