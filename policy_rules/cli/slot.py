"""`manage.py policy check-slot`: may a push go out at this instant (A11.2, A16, A10.3)?"""

import argparse
import datetime
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..bounds import in_range, out_of_range
from ..conf import get_conf
from ..document import Category
from ..models import PolicyVersion
from ..windows import check_slot, reason_text


def instant(text):
    """An ISO 8601 date-time for argparse, on a day `bounds` accepts; without an offset it is Asia/Shanghai."""
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not an ISO 8601 date-time: “%(text)s”") % {"text": text}) from None
    if not in_range(value):
        raise argparse.ArgumentTypeError(out_of_range(text))
    return value


def active_version(scope):
    """The scope's active PolicyVersion, or a CommandError saying there is none."""
    scope = scope or get_conf("DEFAULT_SCOPE")
    version = PolicyVersion.active_for(scope)
    if version is None:
        raise CommandError(_("The scope “%(scope)s” has no active version.") % {"scope": scope})
    return version


def register(subparsers, command):
    parser = subparsers.add_parser(
        "check-slot",
        help=gettext_lazy("May a push go out at this instant? Reasons, warnings and the next allowed instant."),
    )
    parser.add_argument(
        "--at",
        type=instant,
        required=True,
        metavar=_("TIME"),
        help=gettext_lazy("the push instant, ISO 8601 (Asia/Shanghai)"),
    )
    parser.add_argument(
        "--entered-office-at",
        type=instant,
        metavar=_("TIME"),
        help=gettext_lazy("when the material reached office review (A16 lead time)"),
    )
    parser.add_argument(
        "--breaking", action="store_true", help=gettext_lazy("breaking news (A11.1: not bound by windows)")
    )
    parser.add_argument("--time-sensitive", action="store_true", help=gettext_lazy("time-sensitive news (A12)"))
    parser.add_argument(
        "--category", choices=[category.value for category in Category], help=gettext_lazy("article category")
    )
    parser.add_argument(
        "--scope", metavar=_("SCOPE"), help=gettext_lazy("policy scope (default: POLICY_RULES['DEFAULT_SCOPE'])")
    )
    parser.add_argument("--json", action="store_true", help=gettext_lazy("print the decision as JSON"))
    parser.set_defaults(handler=handle_check_slot)


def handle_check_slot(command, options):
    version = active_version(options["scope"])
    decision = check_slot(
        version,
        options["at"],
        entered_office_at=options["entered_office_at"],
        breaking=options["breaking"],
        category=options["category"],
        time_sensitive=options["time_sensitive"],
    )
    if options["json"]:
        command.stdout.write(json.dumps(decision.as_data(), ensure_ascii=False, indent=2))
        return
    data = decision.as_data()
    verdict = _("allowed (%(version)s)") if decision.allowed else _("refused (%(version)s)")
    command.stdout.write(verdict % {"version": data["policy_version"]})
    for reason in data["reasons"]:
        command.stdout.write("  " + _("reason: %(text)s") % {"text": _with_rule(reason)})
    for warning in data["warnings"]:
        command.stdout.write("  " + _("warning: %(text)s") % {"text": _with_rule(warning)})
    if not decision.allowed:
        next_slot = data["next_slot"] or _("none within the search horizon")
        command.stdout.write("  " + _("next slot: %(at)s") % {"at": next_slot})


def _with_rule(entry):
    """A reason or warning in words, after the article or rule it comes from unless the words already name it."""
    text, rule = reason_text(entry), str(entry.get("rule") or "")
    return text if not rule or text.startswith(rule) else f"{rule}: {text}"
