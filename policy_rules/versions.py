"""Every change to a policy version, one function each (Wagtail `actions/` style).

Each mutation checks the user's permission, changes the state inside one
transaction and writes its audit event, so the admin, `manage.py policy` and
tests behave the same. `user=None` is the system (management commands).

Lifecycle (DURABLE_RULES.md §4.4): draft → validated → active → retired.
Only drafts change, and never into a document whose sections contradict each
other (contradictions.py). Activation needs a validated version, a dry run of its
exact document over a past period with data (coverage.py) against the currently
active version, and its warnings acknowledged; rollback re-activates a retired
version, which passed every gate when it was first activated. An import merges
its file onto the active version (imports.py).
"""

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import ValidationError

from . import contradictions, coverage, facts_errors, gates, impact, imports, texts, transfer
from .bounds import SCOPE_RULE, in_range, out_of_range
from .conf import get_conf
from .diff import diff, summary
from .document import PolicyDocument, default_document, is_scope
from .facts_document import FactsDocumentError
from .gc_pause import collection_paused
from .models import PolicyEvent, PolicyVersion
from .refusals import (
    ActivationConflict,
    ConcurrentChange,
    DryRunRequired,
    GovernanceError,
    InvalidInput,
    NoFactsProvider,
    NotAllowed,
    PolicyInvalid,
    WarningsNotAcknowledged,
    WrongStatus,
)

Status = PolicyVersion.Status
Action = PolicyEvent.Action

ADD = "policy_rules.add_policyversion"
CHANGE = "policy_rules.change_policyversion"
VIEW = "policy_rules.view_policyversion"
CREATED_AT_ONCE = gettext_lazy("Another version of this scope was created at the same moment; try again.")

# Sent after the transaction that activated (or rolled back to) a version commits: `version`, `previous`.
version_activated = Signal()


def can(user, permission):
    """Whether `user` may do what `permission` guards; None is the system (management commands)."""
    return user is None or bool(user.is_active and user.has_perm(permission))


def require(user, permission):
    if not can(user, permission):
        raise NotAllowed(f"{getattr(user, 'username', user)} lacks {permission}")


def _record(version, action, user, source=None, **data):
    if source:
        data["source"] = source
    return PolicyEvent.objects.create(version=version, action=action, actor=user, data=data)


def validation_errors(error):
    """`{"path", "message", "code", "params"}` for each error of a pydantic ValidationError (worded by `texts`)."""
    return texts.validation_errors(error)


def parse_document(data, scope=None):
    """A valid PolicyDocument from `data`, or PolicyInvalid; `scope` must match the document's own."""
    if not isinstance(data, dict):
        raise PolicyInvalid([{"path": "", "message": _("The policy document must be a mapping of sections.")}])
    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as error:
        raise PolicyInvalid(validation_errors(error)) from None
    if scope is not None and document.scope != scope:
        raise PolicyInvalid(
            [
                {
                    "path": "scope",
                    "message": _("This document is for the scope “%(document)s”, not “%(scope)s”.")
                    % {"document": document.scope, "scope": scope},
                }
            ]
        )
    return document


def parse_coherent(data, scope=None):
    """`parse_document`, then refuse the contradictions between sections that are errors: what a draft may hold."""
    document = parse_document(data, scope=scope)
    refused = contradictions.errors(document)
    if refused:
        raise PolicyInvalid([finding.as_data() for finding in refused])
    return document


def _locked(version):
    """The version's row, re-read under a row lock (inside a transaction)."""
    return PolicyVersion.objects.select_for_update().get(pk=version.pk)


def _lock_scope(scope):
    """Lock every version of `scope` (in a fixed order) and return the active one, if any."""
    if connection.vendor == "sqlite":  # no row locks: take the write lock before reading anything
        PolicyVersion.objects.filter(scope=scope).update(scope=F("scope"))
    rows = list(PolicyVersion.objects.select_for_update().filter(scope=scope).order_by("pk"))
    return next((row for row in rows if row.status == Status.ACTIVE), None)


def _refresh(version, stored):
    version.refresh_from_db()
    return stored


def start_draft(scope, user, from_version=None, note="", source=None):
    """A new draft of `scope`: a copy of `from_version` (default: the active, else the latest version)."""
    require(user, ADD)
    if not is_scope(scope):
        raise InvalidInput(str(SCOPE_RULE))
    if from_version is not None and from_version.scope != scope:
        raise GovernanceError(
            _("v%(number)s belongs to the scope “%(its)s”, not “%(scope)s”.")
            % {"number": from_version.number, "its": from_version.scope, "scope": scope}
        )
    try:
        with transaction.atomic():
            active = _lock_scope(scope)
            base = from_version or active or PolicyVersion.objects.filter(scope=scope).order_by("-number").first()
            data = base.document if base else default_document(scope).as_data()
            version = PolicyVersion.objects.create(
                scope=scope,
                number=_next_number(scope),
                parent=base,
                document=data,
                status=Status.DRAFT,
                change_note=note,
                created_by=user,
            )
            _record(version, Action.CREATED, user, source, from_version=base.number if base else None)
    except IntegrityError:
        raise ConcurrentChange(str(CREATED_AT_ONCE)) from None
    return version


def _next_number(scope):
    return (PolicyVersion.objects.filter(scope=scope).aggregate(top=Max("number"))["top"] or 0) + 1


def edit_draft(version, data, user, note=None, source=None):
    """Replace a draft's document with `data` once it validates; raises PolicyInvalid and stores nothing otherwise."""
    require(user, CHANGE)
    document = parse_coherent(data, scope=version.scope)
    new_data = document.as_data()
    with transaction.atomic():
        stored = _locked(version)
        if stored.status != Status.DRAFT:
            raise WrongStatus(
                _("v%(number)s is %(status)s: only a draft can be edited; start a new draft from it instead.")
                % {"number": stored.number, "status": stored.get_status_display()}
            )
        changes = diff(stored.document, new_data)
        if not changes and (note is None or note == stored.change_note):
            return _refresh(version, stored)
        stored.document = new_data
        if note is not None:
            stored.change_note = note
        stored.validation_report = {}  # a report of the previous text says nothing about this one
        stored.save()
        _record(stored, Action.EDITED, user, source, note=note or "", **summary(changes))
    return _refresh(version, stored)


def validate(version, user, cases=(), source=None):
    """Run every gate on a draft (schema, compile, engine in a child process, built-in and admin cases).

    Success makes it validated; failure keeps it a draft. Either way the report
    is stored on the version and returned; the active version is never touched.
    """
    require(user, CHANGE)
    if version.status != Status.DRAFT:
        raise WrongStatus(
            _("v%(number)s is %(status)s: only a draft is validated.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    try:
        cases = gates.parse_cases(cases)
    except gates.CaseError as error:
        raise PolicyInvalid(error.errors) from None
    report = gates.run_gates(version.document, cases)
    with transaction.atomic():
        stored = _locked(version)
        if stored.status != Status.DRAFT or stored.document_sha256 != report["document_sha256"]:
            raise ConcurrentChange(
                _("v%(number)s changed while it was being validated; validate it again.") % {"number": stored.number}
            )
        stored.validation_report = report
        if report["ok"]:
            stored.status = Status.VALIDATED
            stored.validated_at = timezone.now()
        stored.save()
        details = {"cases": report["cases"]}
        if not report["ok"]:
            failed = next(step for step in report["steps"] if not step["ok"])  # worded in the history (texts)
            details.update(message=report["message"], step=failed, failures=report["failures"][:20])
        _record(stored, Action.VALIDATED if report["ok"] else Action.REJECTED, user, source, **details)
    _refresh(version, stored)
    return report


def dry_run(version, start, end, user, source=None):
    """Replay `start`–`end` under the active version and `version`; store and return every changed outcome."""
    require(user, CHANGE)
    # Only a ruleset that survived the child-process check is loaded here, in this process.
    if version.status == Status.ACTIVE:
        raise WrongStatus(
            _(
                "v%(number)s is the active version: a dry run compares another version with it. Dry-run a validated "
                "draft, or a retired version before rolling back to it."
            )
            % {"number": version.number}
        )
    if version.status not in (Status.VALIDATED, Status.RETIRED):
        raise WrongStatus(
            _(
                "v%(number)s is %(status)s: validate it before a dry run "
                "(only a validated or retired version is replayed)."
            )
            % {"number": version.number, "status": version.get_status_display()}
        )
    if end < start:
        raise GovernanceError(
            _("The period ends (%(end)s) before it starts (%(start)s).") % {"end": end, "start": start}
        )
    if not (in_range(start) and in_range(end)):
        raise GovernanceError(out_of_range(f"{start}–{end}"))
    parse_document(version.document)
    path = get_conf("FACTS_PROVIDER")
    if not path:
        raise NoFactsProvider(_('No facts provider is configured: set POLICY_RULES["FACTS_PROVIDER"].'))
    active = PolicyVersion.active_for(version.scope)
    try:
        with collection_paused():  # the period's facts and two evaluations: one bulk of short-lived objects
            report = impact.compare(active, version, import_string(path)(start, end))
    except FactsDocumentError as error:
        raise GovernanceError(
            _("The facts of %(start)s–%(end)s are not valid: %(error)s")
            % {"start": start, "end": end, "error": facts_errors.summary(error.errors)}
        ) from None
    report["document_diff"] = diff(active.document if active else {}, version.document)
    report["coverage"] = coverage.judge(report["coverage"], start, end)  # a past period with data, or why not
    report.update(
        version_id=version.pk,
        document_sha256=version.document_sha256,
        baseline_version_id=active.pk if active else None,
        baseline_sha256=active.document_sha256 if active else None,
    )
    with transaction.atomic():
        event = _record(version, Action.DRY_RUN, user, source, **report)
    report["event_id"] = event.pk
    return report


def latest_dry_run(version):
    """The newest dry-run event of `version`'s current document, or None."""
    for event in version.events.filter(action=Action.DRY_RUN).order_by("-at", "-pk"):
        if event.data.get("document_sha256") == version.document_sha256:
            return event
    return None


def proving_dry_run(version):
    """The newest dry-run event of `version`'s current document over a past period with data, or None."""
    for event in version.events.filter(action=Action.DRY_RUN).order_by("-at", "-pk"):
        if event.data.get("document_sha256") == version.document_sha256 and coverage.proves(event.data):
            return event
    return None


UNSET = object()
RACE_LOST = gettext_lazy(
    "Another administrator activated a version of this scope at the same moment; nothing was changed."
)
BUSY = gettext_lazy("The scope is being changed by someone else; try again.")


def activate(version, user, expected_active=UNSET, source=None, acknowledge_warnings=False):
    """Make a validated version the scope's active one and retire the previous, atomically.

    Needs a dry run of this exact document against the version active now, so an
    administrator never activates an impact they have not seen. `expected_active`
    (a version, its pk or None) is the active version the administrator saw:
    another activation in between raises ActivationConflict. The unique-active
    constraint is the last line of defence against a race the locks missed.
    A document whose sections contradict each other is refused, unless the
    contradictions are only warnings and `acknowledge_warnings` says they were read.
    """
    require(user, CHANGE)
    try:
        with transaction.atomic():
            current = _lock_scope(version.scope)
            stored = _locked(version)
            _check_expected(current, expected_active)
            if stored.status != Status.VALIDATED:
                raise WrongStatus(
                    _("v%(number)s is %(status)s: only a validated version is activated.")
                    % {"number": stored.number, "status": stored.get_status_display()}
                )
            _check_dry_run(stored, current)
            acknowledged = _check_contradictions(stored, acknowledge_warnings)
            details = {"acknowledged_warnings": acknowledged} if acknowledged else {}
            previous = _switch(stored, current, user, source, Action.ACTIVATED, **details)
    except IntegrityError:
        raise ActivationConflict(str(RACE_LOST)) from None
    except OperationalError as error:  # a lock that could not be taken (SQLite "database is locked")
        raise ActivationConflict(f"{BUSY} ({error})") from None
    return _refresh(version, stored), previous


def _check_expected(current, expected):
    if expected is UNSET:
        return
    expected_pk = getattr(expected, "pk", expected)
    if (current.pk if current else None) != expected_pk:
        now = f"v{current.number}" if current else _("no version")
        raise ActivationConflict(
            _("The active version changed while you were deciding: %(now)s is active now.") % {"now": now}
        )


def _check_dry_run(version, current):
    event = proving_dry_run(version)
    if event is None:
        latest = latest_dry_run(version)
        if latest is None:
            raise DryRunRequired(
                _("v%(number)s has no dry run of its document; run one before activating.") % {"number": version.number}
            )
        raise DryRunRequired(
            _("v%(number)s has no dry run over a past period with data. %(why)s")
            % {"number": version.number, "why": coverage.verdict(latest.data.get("coverage"))}
        )
    baseline = event.data.get("baseline_version_id")
    if baseline != (current.pk if current else None):
        now = f"v{current.number}" if current else _("no version")
        raise ActivationConflict(
            _(
                "The dry run of v%(number)s compared it with another version than the active one "
                "(%(now)s is active now); run the dry run again."
            )
            % {"number": version.number, "now": now}
        )


def _check_contradictions(version, acknowledged):
    """The codes of the warnings the administrator acknowledged; raises when the sections contradict each other."""
    findings = contradictions.check(version.parsed())
    refused = [finding.as_data() for finding in findings if finding.severity == contradictions.ERROR]
    if refused:  # validated before the check existed: it would not pass validation today
        raise PolicyInvalid(refused)
    warned = [finding for finding in findings if finding.severity == contradictions.WARNING]
    if warned and not acknowledged:
        raise WarningsNotAcknowledged(
            _("v%(number)s has warnings to acknowledge before it is activated: %(warnings)s")
            % {"number": version.number, "warnings": " ".join(contradictions.text(finding) for finding in warned)}
        )
    return [finding.code for finding in warned]


def _switch(version, current, user, source, action, **details):
    """Retire `current` and make `version` active (inside the caller's transaction)."""
    if current is not None:
        current.status = Status.RETIRED
        current.save(update_fields=["status"])
        _record(current, Action.RETIRED, user, source, replaced_by=version.number)
    version.status = Status.ACTIVE
    version.activated_at = timezone.now()
    version.save(update_fields=["status", "activated_at"])
    _record(version, action, user, source, previous=current.number if current else None, **details)
    transaction.on_commit(lambda: version_activated.send(PolicyVersion, version=version, previous=current))
    return current


def rollback(scope, user, to_version=None, expected_active=UNSET, source=None):
    """Re-activate a retired version: `to_version`, or the one retired most recently (no dry run needed)."""
    require(user, CHANGE)
    try:
        with transaction.atomic():
            current = _lock_scope(scope)
            _check_expected(current, expected_active)
            target = _locked(to_version) if to_version is not None else last_retired(scope)
            if target is None:
                raise WrongStatus(_("The scope “%(scope)s” has no retired version to roll back to.") % {"scope": scope})
            if target.scope != scope or target.status != Status.RETIRED:
                raise WrongStatus(
                    _("v%(number)s is %(status)s: only a retired version of “%(scope)s” can be rolled back to.")
                    % {"number": target.number, "status": target.get_status_display(), "scope": scope}
                )
            parse_document(target.document)  # stored data that no longer validates is never re-activated
            previous = _switch(target, current, user, source, Action.ROLLED_BACK)
    except IntegrityError:
        raise ActivationConflict(str(RACE_LOST)) from None
    except OperationalError as error:
        raise ActivationConflict(f"{BUSY} ({error})") from None
    if to_version is not None:
        to_version.refresh_from_db()
    return target, previous


def last_retired(scope):
    """The version of `scope` retired most recently, which a rollback re-activates by default."""
    event = (
        PolicyEvent.objects.filter(version__scope=scope, version__status=Status.RETIRED, action=Action.RETIRED)
        .select_related("version")
        .order_by("-at", "-pk")
        .first()
    )
    return event.version if event else None


def export_document(version, fmt="yaml"):
    """The version's document as YAML or JSON text (`import_document` reads it back)."""
    try:
        return transfer.dumps(version.document, fmt)
    except transfer.FormatError as error:
        raise GovernanceError(error.message) from None


def import_document(text, fmt, scope, user, note="", source=None):
    """A new draft of `scope` from YAML or JSON text; never activates. Invalid text raises PolicyInvalid.

    The text is merged onto the active version (onto the regulation's defaults when none is active): what it
    does not mention is kept as the active version has it, never reset (issue 14 item 6). The event records
    the version merged onto and the sections kept.
    """
    require(user, ADD)
    try:
        data = transfer.loads(text, fmt)
    except transfer.FormatError as error:
        raise PolicyInvalid([{"path": error.path, "message": error.message}]) from None
    try:
        with transaction.atomic():
            active = _lock_scope(scope)
            base = active.document if active else default_document(scope).as_data()
            document = parse_coherent(imports.overlay(base, data), scope=scope)
            version = PolicyVersion.objects.create(
                scope=scope,
                number=_next_number(scope),
                parent=active,
                document=document.as_data(),
                status=Status.DRAFT,
                change_note=note,
                created_by=user,
            )
            changes = diff(active.document, version.document) if active else []
            kept = imports.unmentioned(base, data)
            merged_onto = active.number if active else None
            _record(
                version,
                Action.IMPORTED,
                user,
                source,
                format=fmt,
                note=note,
                merged_onto=merged_onto,
                kept=kept,
                **summary(changes),
            )
    except IntegrityError:
        raise ConcurrentChange(str(CREATED_AT_ONCE)) from None
    return version
