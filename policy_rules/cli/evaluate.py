"""`manage.py policy evaluate`: outcomes of a facts document for its period (docs/facts-document.md)."""

import json
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..evaluation import evaluate
from ..facts_document import MAX_FACTS_BYTES, FactsDocumentError, parse_facts
from ..facts_errors import error_text
from ..labels import PRIZES
from ..reports.rows import LEVELS, STATES
from ..texts import violation_text
from ..transfer import FormatError, check_depth, check_size
from .language import reading_error
from .slot import active_version

INVALID_FACTS = 2  # exit code: the facts document is invalid, nothing was evaluated
KINDS = {"student": gettext_lazy("student"), "staff": gettext_lazy("staff member")}


def register(subparsers, command):
    parser = subparsers.add_parser(
        "evaluate",
        help=gettext_lazy("Evaluate a facts document for its period: quotas, coverage, points and prizes, discipline."),
    )
    parser.add_argument(
        "--facts",
        required=True,
        metavar=_("FILE"),
        help=gettext_lazy("facts document (JSON file; '-' reads standard input)"),
    )
    parser.add_argument(
        "--scope", metavar=_("SCOPE"), help=gettext_lazy("policy scope (default: POLICY_RULES['DEFAULT_SCOPE'])")
    )
    parser.add_argument("--json", action="store_true", help=gettext_lazy("print the outcomes as JSON"))
    parser.set_defaults(handler=handle_evaluate)


def _load(path):
    """The JSON data of the facts file; as large and as deep as the API accepts."""
    try:
        if path == "-":
            text = sys.stdin.read(MAX_FACTS_BYTES + 1)
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(MAX_FACTS_BYTES + 1)
        check_size(text, MAX_FACTS_BYTES)
        check_depth(text, "json")
        return json.loads(text)
    except OSError as error:
        raise CommandError(
            _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": reading_error(error)},
            returncode=INVALID_FACTS,
        ) from None
    except FormatError as error:
        raise CommandError(f"{path}: {error.message}", returncode=INVALID_FACTS) from None
    except UnicodeDecodeError:
        raise CommandError(_("%(path)s is not UTF-8 text.") % {"path": path}, returncode=INVALID_FACTS) from None
    except json.JSONDecodeError as error:
        raise CommandError(
            _("%(path)s is not JSON: line %(line)s, column %(column)s.")
            % {"path": path, "line": error.lineno, "column": error.colno},
            returncode=INVALID_FACTS,
        ) from None
    except ValueError as error:
        raise CommandError(
            _("%(path)s is not JSON (%(detail)s)") % {"path": path, "detail": error}, returncode=INVALID_FACTS
        ) from None


def handle_evaluate(command, options):
    try:
        facts = parse_facts(_load(options["facts"]))
    except FactsDocumentError as error:
        lines = [f"  {error_text(e)}" for e in error.errors]
        if options["json"]:
            worded = [{**e, "text": error_text(e)} for e in error.errors]
            command.stdout.write(json.dumps({"errors": worded}, ensure_ascii=False, indent=2))
        raise CommandError(
            _("The facts document is not valid:") + "\n" + "\n".join(lines), returncode=INVALID_FACTS
        ) from None
    outcomes = evaluate(active_version(options["scope"]), facts)
    if options["json"]:
        command.stdout.write(json.dumps(outcomes, ensure_ascii=False, indent=2))
        return
    _summary(command, outcomes)


def _summary(command, outcomes):
    write = command.stdout.write
    period = outcomes["period"]
    write(
        _("policy %(version)s, %(start)s – %(end)s")
        % {"version": outcomes["policy_version"], "start": period["start"], "end": period["end"]}
    )
    for department_id, department in outcomes["departments"].items():
        write("  " + _department_line(department_id, department))
    days = outcomes["working_days"]
    write(
        "  "
        + _("working days covered: %(met)s/%(days)s")
        % {"met": sum(day["met"] for day in days.values()), "days": len(days)}
    )
    for contributor_id, contributor in outcomes["contributors"].items():
        if contributor["prize"] or contributor["certificate"]:
            write("  " + _contributor_line(contributor_id, contributor))
    write("  " + _("violations: %(count)s") % {"count": len(outcomes["violations"])})
    for violation in outcomes["violations"]:
        write(f"    {violation['rule']} {violation['subject']}: {violation_text(violation)}")


def _department_line(department_id, department):
    weeks_met = sum(week["met"] for week in department["weeks"])
    return _(
        "department %(name)s: %(submissions)s submission(s), %(weeks_met)s/%(weeks)s weeks met, period %(period)s, "
        "%(errors)s error(s) (%(discipline)s)"
    ) % {
        "name": department["name"] or department_id,
        "submissions": department["submissions"],
        "weeks_met": weeks_met,
        "weeks": len(department["weeks"]),
        "period": STATES["met"] if department["semester_met"] else STATES["missed"],
        "errors": department["errors"],
        "discipline": LEVELS[department["discipline"]],
    }


def _contributor_line(contributor_id, contributor):
    values = {"id": contributor_id, "points": contributor["total_points"], "kind": KINDS[contributor["kind"]]}
    if contributor["prize"]:
        values["prize"] = PRIZES[contributor["prize"]]
        return _("%(kind)s %(id)s: %(points)s points, %(prize)s, certificate") % values
    return _("%(kind)s %(id)s: %(points)s points, certificate") % values
