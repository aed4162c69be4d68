"""`manage.py policy show|export|import|validate|dry-run|activate|rollback`: versions for power users.

Every sub-command goes through `policy_rules.versions`, as the admin does, acting
as the system (no user) and recording `{"source": "manage.py"}` in its events.
Exit codes: 1 when a step is refused (wrong status, conflict, rejected
validation), 2 when the input is invalid (document, cases, dates, file).
"""

import argparse
import datetime
import json
import sys

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from .. import versions
from ..bounds import in_range, out_of_range
from ..conf import get_conf
from ..coverage import default_period
from ..coverage import summary as coverage_summary
from ..coverage import verdict as coverage_verdict
from ..display import diff_rows, document_error_text
from ..dry_run_sections import sections
from ..gates import describe_case, parse_cases
from ..imports import kept_text
from ..models import PolicyVersion
from ..texts import report_message, step_text
from ..transfer import FORMATS, FormatError, guess_format, loads
from . import display_width
from .language import reading_error

SOURCE = "manage.py"
REFUSED, INVALID = 1, 2


def _date(text):
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): “%(text)s”") % {"text": text}) from None
    if not in_range(value):
        raise argparse.ArgumentTypeError(out_of_range(text))
    return value


def register(subparsers, command):
    def add(name, help_text, handler, version=None, required=False):
        parser = subparsers.add_parser(name, help=help_text, description=help_text)
        parser.add_argument(
            "--scope", metavar=_("SCOPE"), help=gettext_lazy("policy scope (default: POLICY_RULES['DEFAULT_SCOPE'])")
        )
        if version:
            parser.add_argument("--version", type=int, metavar=_("N"), required=required, help=version)
        parser.set_defaults(handler=handler)
        return parser

    show = add(
        "show",
        gettext_lazy("List a scope's versions, or show one version's document."),
        handle_show,
        gettext_lazy("show this version's details and document (default: list every version)"),
    )
    show.add_argument("--json", action="store_true", help=gettext_lazy("print JSON"))

    export = add(
        "export",
        gettext_lazy("Print a version's document as YAML or JSON."),
        handle_export,
        gettext_lazy("the version to export (default: the active one)"),
    )
    export.add_argument(
        "--format", choices=FORMATS, default="yaml", help=gettext_lazy("output format (default: %(default)s)")
    )
    export.add_argument(
        "-o", "--output", metavar=_("FILE"), help=gettext_lazy("write to FILE instead of standard output")
    )

    imported = add(
        "import",
        gettext_lazy(
            "Create a new draft from a YAML or JSON document (never activates). A partial document is merged onto "
            "the active version: what it does not mention is kept, not reset to the regulation's defaults."
        ),
        handle_import,
    )
    imported.add_argument("file", metavar=_("FILE"), help=gettext_lazy("the document; '-' reads standard input"))
    imported.add_argument(
        "--format", choices=FORMATS, help=gettext_lazy("input format (default: from the file name, else yaml)")
    )
    imported.add_argument(
        "--note", default="", metavar=_("TEXT"), help=gettext_lazy("change note recorded on the draft")
    )

    validate = add(
        "validate",
        gettext_lazy("Run every gate on a draft: schema, compile, engine in a child process, cases."),
        handle_validate,
        gettext_lazy("the draft to validate"),
        required=True,
    )
    validate.add_argument(
        "--cases", metavar=_("FILE"), help=gettext_lazy("YAML or JSON list of administrator cases (see docs)")
    )

    dry_run = add(
        "dry-run",
        gettext_lazy("Replay a past period under the active version and this one; list every change."),
        handle_dry_run,
        gettext_lazy("the validated version to replay"),
        required=True,
    )
    first = gettext_lazy("first day (YYYY-MM-DD; default: the last complete semester, else the last 8 complete weeks)")
    last = gettext_lazy("last day (YYYY-MM-DD; default: the last complete semester, else the last 8 complete weeks)")
    dry_run.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD", help=first)
    dry_run.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD", help=last)
    dry_run.add_argument("--json", action="store_true", help=gettext_lazy("print the report as JSON"))

    activate = add(
        "activate",
        gettext_lazy(
            "Make a validated version active and retire the current one; it needs a dry run over a past period "
            "with data."
        ),
        handle_activate,
        gettext_lazy("the version to activate"),
        required=True,
    )
    activate.add_argument(
        "--acknowledge-warnings",
        action="store_true",
        help=gettext_lazy(
            "activate although the document has warnings (shown by validate); the acknowledgement is recorded"
        ),
    )

    rollback = add(
        "rollback", gettext_lazy("Re-activate the most recently retired version (or --to N)."), handle_rollback
    )
    rollback.add_argument("--to", type=int, metavar=_("N"), help=gettext_lazy("the retired version to re-activate"))


def _scope(options):
    return options.get("scope") or get_conf("DEFAULT_SCOPE")


def _version(options, number=None):
    scope, number = _scope(options), number if number is not None else options.get("version")
    if number is None:
        version = PolicyVersion.active_for(scope)
        if version is None:
            raise CommandError(
                _("The scope “%(scope)s” has no active version; name one with --version.") % {"scope": scope},
                returncode=REFUSED,
            )
        return version
    try:
        return PolicyVersion.objects.get(scope=scope, number=number)
    except PolicyVersion.DoesNotExist:
        raise CommandError(
            _("The scope “%(scope)s” has no version %(number)s.") % {"scope": scope, "number": number},
            returncode=INVALID,
        ) from None


def _fail(error):
    """A CommandError for a refused step; an invalid document's errors each in words, with its path in the file."""
    if isinstance(error, versions.PolicyInvalid):
        lines = [_error_line(e) for e in error.errors]
        return CommandError(_("The document is not valid:") + "\n" + "\n".join(lines), returncode=INVALID)
    return CommandError(str(error.message), returncode=REFUSED)


def _error_line(error):
    """One document error as the admin words it, then where it is in the YAML or JSON file."""
    text = document_error_text(error)
    return f"  {text} [{error['path']}]" if error.get("path") else f"  {text}"


def _summary(version):
    return {
        "scope": version.scope,
        "version": version.number,
        "status": version.status,
        "parent": version.parent.number if version.parent else None,
        "change_note": version.change_note,
        "created_at": version.created_at.isoformat(),
        "created_by": version.created_by.get_username() if version.created_by else None,
        "validated_at": version.validated_at.isoformat() if version.validated_at else None,
        "activated_at": version.activated_at.isoformat() if version.activated_at else None,
        "document_sha256": version.document_sha256,
    }


def _local(moment):
    """A stored time as the admin shows it, in the site's time zone: 2026-12-07 00:51:33 (the JSON keeps ISO UTC)."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}" if moment else None


# `show --version N`'s lines, each named as the model names its field (the JSON keeps the keys).
SUMMARY_FIELDS = {"version": "number"}


def _field_label(name):
    field = PolicyVersion._meta.get_field(SUMMARY_FIELDS.get(name, name))
    return capfirst(field.verbose_name)


def handle_show(command, options):
    if options["version"] is None:
        rows = PolicyVersion.objects.filter(scope=_scope(options)).select_related("parent", "created_by")
        data = [_summary(version) for version in rows]
        if options["json"]:
            command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row, version in zip(data, rows, strict=True):
            based = " " + _("(from v%(number)s)") % {"number": row["parent"]} if row["parent"] else ""
            status, created = version.get_status_display(), _local(version.created_at)[:16]
            command.stdout.write(
                f"v{row['version']:<4} {status}{' ' * (10 - display_width(status))} {created}{based}  "
                f"{row['change_note']}"
            )
        return
    version = _version(options)
    if options["json"]:
        data = {**_summary(version), "document": version.document, "validation_report": version.validation_report}
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        return
    summary = {
        **_summary(version),
        "status": version.get_status_display(),
        **{name: _local(getattr(version, name)) for name in ("created_at", "validated_at", "activated_at")},
    }
    for name, value in summary.items():
        command.stdout.write(f"{_field_label(name)}: {value if value not in (None, '') else '—'}")
    command.stdout.write("")
    command.stdout.write(versions.export_document(version, "yaml"))


def handle_export(command, options):
    text = versions.export_document(_version(options), options["format"])
    if not options["output"]:
        command.stdout.write(text, ending="")
        return
    try:
        with open(options["output"], "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise CommandError(
            _("cannot write %(path)s: %(reason)s") % {"path": options["output"], "reason": error.strerror},
            returncode=INVALID,
        ) from None


def _read(path):
    try:
        if path == "-":
            return sys.stdin.read()
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(
            _("cannot read %(path)s: %(reason)s") % {"path": path, "reason": reading_error(error)},
            returncode=INVALID,
        ) from None


def handle_import(command, options):
    fmt = options["format"] or guess_format(options["file"])
    try:
        version = versions.import_document(
            _read(options["file"]), fmt, _scope(options), None, note=options["note"], source=SOURCE
        )
    except versions.GovernanceError as error:
        raise _fail(error) from None
    command.stdout.write(
        _("imported as draft v%(number)s of %(scope)s; validate it next")
        % {"number": version.number, "scope": version.scope}
    )
    event = version.events.get(action="imported").data
    command.stdout.write(kept_text(event.get("merged_onto"), event.get("kept") or {}))


def handle_validate(command, options):
    version = _version(options)
    cases = []
    if options["cases"]:
        try:
            cases = parse_cases(loads(_read(options["cases"]), guess_format(options["cases"]))["cases"])
        except FormatError as error:
            raise CommandError(f"{options['cases']}: {error.message}", returncode=INVALID) from None
        except (KeyError, TypeError):
            raise CommandError(
                _("%(path)s: expected a mapping with a “cases” list") % {"path": options["cases"]}, returncode=INVALID
            ) from None
        except ValueError as error:
            raise CommandError(f"{options['cases']}: {error}", returncode=INVALID) from None
    try:
        report = versions.validate(version, None, cases, source=SOURCE)
    except versions.GovernanceError as error:
        raise _fail(error) from None
    for step in report["steps"]:
        mark = pgettext("validation step", "ok") if step["ok"] else pgettext("validation step", "FAILED")
        command.stdout.write(f"{mark} {step['name']}: {step_text(step)}")
    for error in report["errors"]:
        command.stdout.write(_error_line(error))
    for failure in report["failures"]:
        command.stdout.write(f"  {failure}")
    for warning in report.get("warnings", []):
        command.stdout.write(_("  warning: %(text)s") % {"text": _error_line(warning).strip()})
    for case in parse_cases(report["admin_cases"]):
        command.stdout.write("  " + _("case: %(case)s") % {"case": describe_case(case)})
    if not report["ok"]:
        raise CommandError(
            _("v%(number)s was rejected and stays a draft: %(reason)s")
            % {"number": version.number, "reason": report_message(report)},
            returncode=REFUSED,
        )
    command.stdout.write(_("v%(number)s validated; run a dry run, then activate it") % {"number": version.number})


def handle_dry_run(command, options):
    version = _version(options)
    try:
        default = default_period()
        start, end = options["start"] or default["start"], options["end"] or default["end"]
        report = versions.dry_run(version, start, end, None, source=SOURCE)
    except versions.GovernanceError as error:
        raise _fail(error) from None
    if options["json"]:
        command.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    changes = report["totals"]["changes"]
    command.stdout.write(
        ngettext(
            "%(baseline)s → %(candidate)s, %(start)s – %(end)s: %(count)s changed outcome",
            "%(baseline)s → %(candidate)s, %(start)s – %(end)s: %(count)s changed outcomes",
            changes,
        )
        % {
            "baseline": report["baseline"] or _("no active version"),
            "candidate": report["candidate"],
            "start": report["period"]["start"],
            "end": report["period"]["end"],
            "count": changes,
        }
    )
    command.stdout.write(_("Covered: %(summary)s.") % {"summary": coverage_summary(report["coverage"])})
    command.stdout.write(coverage_verdict(report["coverage"]))
    for section in sections(report):  # as the admin lists them: by what they affect, naming whom
        heading = ngettext("%(title)s · %(count)s change:", "%(title)s · %(count)s changes:", section["count"])
        command.stdout.write(heading % {"title": section["title"], "count": section["count"]})
        for item in section["items"]:
            command.stdout.write(f"  {item['text']}")
    if report["document_diff"]:
        command.stdout.write(_("Changes to the document:"))
    for row in diff_rows(report):  # named as the edit form names it; the file's path after it, as for errors
        command.stdout.write(f"  {row['label']}: {row['old']} → {row['new']} [{row['path']}]")


def handle_activate(command, options):
    version = _version(options)
    try:
        version, previous = versions.activate(
            version, None, source=SOURCE, acknowledge_warnings=options["acknowledge_warnings"]
        )
    except versions.WarningsNotAcknowledged as error:
        hint = _("Once you have read them, run again with --acknowledge-warnings.")
        raise CommandError(f"{error.message} {hint}", returncode=REFUSED) from None
    except versions.GovernanceError as error:
        raise _fail(error) from None
    values = {"number": version.number, "scope": version.scope, "previous": previous.number if previous else None}
    if previous:
        command.stdout.write(_("v%(number)s of %(scope)s is active; v%(previous)s retired") % values)
    else:
        command.stdout.write(_("v%(number)s of %(scope)s is active") % values)


def handle_rollback(command, options):
    target = _version(options, options["to"]) if options["to"] is not None else None
    try:
        version, previous = versions.rollback(_scope(options), None, to_version=target, source=SOURCE)
    except versions.GovernanceError as error:
        raise _fail(error) from None
    values = {"number": version.number, "scope": version.scope, "previous": previous.number if previous else None}
    if previous:
        command.stdout.write(_("rolled back: v%(number)s of %(scope)s is active again; v%(previous)s retired") % values)
    else:
        command.stdout.write(_("rolled back: v%(number)s of %(scope)s is active again") % values)
