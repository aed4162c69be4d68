"""The language the operator's commands speak: `manage.py policy`, and the site's `calendar`, `people` and `seed_demo`,
which use this module and `help_format.py` rather than copies (docs/operations.md): `--language`, else the locale of
the shell (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else the site's LANGUAGE_CODE (zh-hans).
"""

import os

from django.conf import settings
from django.utils.translation import gettext as _

LANGUAGES = ("zh-hans", "en")
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def operator_language(chosen=None):
    """zh-hans or en: `chosen`, else the first locale variable set in the environment, else LANGUAGE_CODE."""
    wanted = chosen or next((os.environ[name] for name in LOCALE_VARIABLES if os.environ.get(name)), "")
    wanted = wanted.lower()
    if wanted.startswith("en"):
        return "en"
    if wanted.startswith("zh"):
        return "zh-hans"
    return settings.LANGUAGE_CODE


def reading_error(error):
    """Why a file cannot be read, in the operator's language (the system's own words are English): a missing file,
    a folder, a refused permission or text that is not UTF-8; else what the system says."""
    if isinstance(error, FileNotFoundError):
        return _("there is no such file")
    if isinstance(error, IsADirectoryError):
        return _("it is a folder, not a file")
    if isinstance(error, PermissionError):
        return _("permission to read it is denied")
    if isinstance(error, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    return getattr(error, "strerror", None) or str(error)


def chosen_language(argv):
    """The value of `--language` among the command line's words, or None: `--help` is printed while they are parsed,
    before the options exist, so the help speaks the language the output would."""
    for index, word in enumerate(argv):
        if word == "--language" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--language="):
            return word.partition("=")[2]
    return None
