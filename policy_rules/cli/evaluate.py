"""`manage.py policy evaluate`: outcomes of a facts document for its period (docs/facts-document.md)."""

import json
import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ..evaluation import evaluate
from ..facts_document import MAX_FACTS_BYTES, FactsDocumentError, parse_facts
from ..texts import violation_text
from ..transfer import FormatError, check_depth, check_size
from .slot import active_version

INVALID_FACTS = 2  # exit code: the facts document is invalid, nothing was evaluated


def register(subparsers, command):
    parser = subparsers.add_parser(
        "evaluate",
        help="Evaluate a facts document for its period: quotas, coverage, points and prizes, discipline.",
    )
    parser.add_argument("--facts", required=True, help="facts document (JSON file; '-' reads standard input)")
    parser.add_argument("--scope", help="policy scope (default: POLICY_RULES['DEFAULT_SCOPE'])")
    parser.add_argument("--json", action="store_true", help="print the outcomes as JSON")
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
            _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}, returncode=INVALID_FACTS
        ) from None
    except FormatError as error:
        raise CommandError(f"{path}: {error.message}", returncode=INVALID_FACTS) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(
            _("%(path)s is not JSON (%(detail)s)") % {"path": path, "detail": error}, returncode=INVALID_FACTS
        ) from None


def handle_evaluate(command, options):
    try:
        facts = parse_facts(_load(options["facts"]))
    except FactsDocumentError as error:
        lines = [f"  {e['path'] or '(document)'}: {e['message']}" for e in error.errors]
        if options["json"]:
            command.stdout.write(json.dumps({"errors": error.errors}, ensure_ascii=False, indent=2))
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
    write(f"policy {outcomes['policy_version']}, {outcomes['period']['start']} – {outcomes['period']['end']}")
    for department_id, department in outcomes["departments"].items():
        weeks_met = sum(week["met"] for week in department["weeks"])
        write(
            f"  department {department['name'] or department_id}: {department['submissions']} submissions, "
            f"{weeks_met}/{len(department['weeks'])} weeks met, "
            f"period {'met' if department['semester_met'] else 'missed'}, "
            f"{department['errors']} errors ({department['discipline']})"
        )
    days = outcomes["working_days"]
    write(f"  working days covered: {sum(day['met'] for day in days.values())}/{len(days)}")
    for contributor_id, contributor in outcomes["contributors"].items():
        if contributor["prize"] or contributor["certificate"]:
            write(
                f"  {contributor['kind']} {contributor_id}: {contributor['total_points']} points"
                f"{', ' + contributor['prize'] + ' prize' if contributor['prize'] else ''}, certificate"
            )
    write(f"  violations: {len(outcomes['violations'])}")
    for violation in outcomes["violations"]:
        write(f"    {violation['rule']} {violation['subject']}: {violation_text(violation)}")
