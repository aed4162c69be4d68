"""The language the site's management commands speak.

The operator's: `--language` where a command has it, else the locale of the shell (LANGUAGE, LC_ALL, LC_MESSAGES,
LANG), else the site's LANGUAGE_CODE (zh-hans); `--help` too. The policy plugin's commands choose alike
(policy_rules/cli/language.py); the site does not import the plugin's command line, so it is written here.
"""

import os

from django.conf import settings

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


def chosen_language(argv):
    """The value of `--language` among the command line's words, or None: `--help` is printed while they are parsed,
    before the options exist."""
    for index, word in enumerate(argv):
        if word == "--language" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--language="):
            return word.partition("=")[2]
    return None
