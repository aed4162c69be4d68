"""Cases (A6.5): reports (举报) are handled and escalated promptly (A6.5.2); system errors go to academic affairs
(A6.5.1).

Views, signal receivers and the schedule call these functions, never the models' fields directly. Every
step writes a `CaseEvent` (who, what, when, note). A refused step raises `PermissionDenied` (the user may not)
or `ValidationError` (the step makes no sense now); both carry a message for the user.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import Case, CaseEvent
from cms.models.cases import OPEN_STATUSES
from cms.people.notifications import send_digest
from cms.people.roles import CHANNEL_ADMIN, POLICY_ADMIN
from policy_rules.decisions import NoActivePolicy, active_version
from policy_rules.document import Cases

Kind, Status, Action = Case.Kind, Case.Status, CaseEvent.Action

TEXT_MAX_LENGTH = 5000
SUMMARY_LENGTH = 80
# A6.5: an open case escalates when late. One extension moves the deadline at most this far past the current
# one (or now, if later): enough for any outside wait, and a deadline in 9999 cannot switch escalation off.
MAX_EXTENSION = datetime.timedelta(days=30)
VIEW = {Kind.REPORT: "cms.view_report", Kind.SYSTEM_ERROR: "cms.view_systemerror"}
HANDLE = {Kind.REPORT: "cms.handle_report", Kind.SYSTEM_ERROR: "cms.handle_systemerror"}


# -- the policy ------------------------------------------------------------------------------------


def policy(account=None):
    """The `cases` section of the account's policy (or the default scope's); the regulation's when none is active."""
    try:
        return active_version(account.policy_scope if account else None).parsed().cases
    except NoActivePolicy:
        return Cases()


def deadline_hours(kind, account=None):
    section = policy(account)
    return section.report_deadline_hours if kind == Kind.REPORT else section.error_deadline_hours


# -- who may do what -------------------------------------------------------------------------------


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def may_view(user, kind):
    """Reports: the office and its head; system errors: channel administrators and the office head."""
    return _active(user) and (user.is_superuser or user.has_perm(VIEW[kind]) or user.has_perm(HANDLE[kind]))


def may_handle(user, kind):
    """Reports: the office and its head (A6.5.2); system errors: channel administrators (A6.5.1)."""
    return _active(user) and (user.is_superuser or user.has_perm(HANDLE[kind]))


def visible_kinds(user):
    return [kind for kind in Kind if may_view(user, kind)]


def visible(user):
    """The cases `user` may see."""
    return Case.objects.filter(kind__in=visible_kinds(user)).select_related("owner", "account")


def handlers(kind):
    """Active users who may handle cases of `kind`: whom a case may be assigned to. One query however many
    users there are: the permission through a group, given directly, or a superuser (Django's ModelBackend)."""
    app_label, codename = HANDLE[kind].split(".")
    permission = Q(content_type__app_label=app_label, codename=codename)
    granted = Permission.objects.filter(permission)
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
    )
    return list(users.distinct().order_by("username"))


def mine(user):
    """Open cases `user` handles: their own, and unassigned ones of a kind they handle."""
    kinds = [kind for kind in Kind if may_handle(user, kind)]
    if not kinds:
        return Case.objects.none()
    return (
        Case.objects.filter(status__in=OPEN_STATUSES, kind__in=kinds)
        .filter(Q(owner=user) | Q(owner__isnull=True))
        .order_by("deadline")
    )


# -- opening ---------------------------------------------------------------------------------------


def _summary(text):
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1] + "…"


def _new_case(kind, text, now, account, summary="", **fields):
    """An unsaved case of `kind` opened at `now`, due after the policy's hours for its kind."""
    deadline = now + datetime.timedelta(hours=deadline_hours(kind, account))
    return Case(
        kind=kind,
        text=text,
        summary=_summary(summary or text),
        account=account,
        created_at=now,
        deadline=deadline,
        **fields,
    )


def open_report(
    text, source, *, summary="", category="", link="", name="", contact="", openid="", account=None, key="", now=None
):
    """Open a report (A6.5.2), once per `key`; the deadline from the policy. Returns the case."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("A report needs a text."))
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(_("A report may be at most %(limit)d characters long.") % {"limit": TEXT_MAX_LENGTH})
    if key and (existing := Case.objects.filter(kind=Kind.REPORT, dedupe_key=key).first()):
        return existing
    now = now or timezone.now()
    case = _new_case(
        Kind.REPORT,
        text,
        now,
        account,
        summary=summary,
        source=source,
        category=category,
        link=link,
        reporter_name=name,
        reporter_contact=contact,
        reporter_openid=openid,
        dedupe_key=key,
    )
    try:
        with transaction.atomic():
            case.save()
            CaseEvent.objects.create(case=case, action=Action.OPENED, at=now, note=Case.Source(source).label)
    except IntegrityError:
        if key:  # the same message, opened meanwhile by another worker
            return Case.objects.get(kind=Kind.REPORT, dedupe_key=key)
        raise
    return case


def open_system_error(message, *, account=None, push_id=None, key="", link="", now=None):
    """Open a system error (A6.5.1), or add the repeat to the open case of the same `key`. (case, created)."""
    message = str(message or "").strip() or _("No reason given.")
    now = now or timezone.now()
    for _attempt in range(3):
        with transaction.atomic():
            existing = key and Case.objects.select_for_update().filter(dedupe_key=key, status__in=OPEN_STATUSES).first()
            if existing:
                CaseEvent.objects.create(case=existing, action=Action.REPEATED, at=now, note=message)
                return existing, False
            case = _new_case(
                Kind.SYSTEM_ERROR,
                message,
                now,
                account,
                source=Case.Source.CHANNEL,
                link=link,
                push_id=push_id,
                dedupe_key=key,
            )
            try:
                with transaction.atomic():
                    case.save()
            except IntegrityError:
                continue  # opened meanwhile: the next round adds to it
            CaseEvent.objects.create(case=case, action=Action.OPENED, at=now, note=message)
            return case, True
    raise IntegrityError(f"could not open or find the system error case {key}")


# -- the steps -------------------------------------------------------------------------------------


def _locked(case, user, *, allow_closed=False):
    """The case, locked, after checking `user` may handle it and (unless allowed) that it is open."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_handle(user, case.kind):
        raise PermissionDenied(_("You may not handle %(kind)s cases.") % {"kind": case.get_kind_display()})
    if not allow_closed and not case.is_open:
        raise ValidationError(
            _("%(number)s is closed (%(status)s).") % {"number": case.number, "status": case.get_status_display()}
        )
    return case


def _record(case, user, action, note="", now=None):
    return CaseEvent.objects.create(case=case, action=action, by=user, note=note, at=now or timezone.now())


def _label(user):
    return user.get_full_name() or user.get_username()


@transaction.atomic
def assign(case, by, to):
    """Make `to` the owner; they must be someone who may handle the case's kind."""
    case = _locked(case, by)
    if to is None or not may_handle(to, case.kind):
        raise ValidationError(
            _("%(user)s may not handle %(kind)s cases.")
            % {"user": _label(to) if to else "—", "kind": case.get_kind_display()}
        )
    if case.owner_id == to.pk:
        raise ValidationError(_("%(user)s already owns %(number)s.") % {"user": _label(to), "number": case.number})
    case.owner = to
    case.save(update_fields=["owner"])
    _record(case, by, Action.ASSIGNED, _label(to))
    return case


@transaction.atomic
def start(case, by):
    """New → in progress; the one who starts owns the case unless someone already does."""
    case = _locked(case, by)
    if case.status != Status.NEW:
        raise ValidationError(_("Work on %(number)s has already started.") % {"number": case.number})
    case.status = Status.IN_PROGRESS
    case.owner = case.owner or by
    case.save(update_fields=["status", "owner"])
    _record(case, by, Action.STARTED)
    return case


def _close(case, by, status, action, note, missing):
    note = (note or "").strip()
    case = _locked(case, by)
    if not note:
        raise ValidationError(missing)
    case.status, case.resolution, case.resolved_at = status, note, timezone.now()
    case.owner = case.owner or by
    case.save(update_fields=["status", "resolution", "resolved_at", "owner"])
    _record(case, by, action, note)
    return case


@transaction.atomic
def resolve(case, by, note):
    """Close the case as handled; the note says what was done."""
    return _close(case, by, Status.RESOLVED, Action.RESOLVED, note, _("Say what was done to resolve the case."))


@transaction.atomic
def dismiss(case, by, reason):
    """Close the case as not needing action; the reason is required."""
    return _close(case, by, Status.DISMISSED, Action.DISMISSED, reason, _("Say why the case is dismissed."))


@transaction.atomic
def add_note(case, by, note):
    note = (note or "").strip()
    case = _locked(case, by)
    if not note:
        raise ValidationError(_("Write the note."))
    _record(case, by, Action.NOTE, note)
    return case


def latest_extension(case, now=None):
    """The latest deadline one extension may set (A6.5)."""
    return max(now or timezone.now(), case.deadline) + MAX_EXTENSION


def too_far():
    return _("The new deadline may be at most %(days)d days after the current one.") % {"days": MAX_EXTENSION.days}


@transaction.atomic
def extend_deadline(case, by, deadline, reason, now=None):
    """Move the deadline later, with a reason; the case may be escalated again if the new one passes."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    case = _locked(case, by)
    if not reason:
        raise ValidationError(_("Say why the deadline is extended."))
    if deadline is None or deadline <= max(now, case.deadline):
        raise ValidationError(_("The new deadline must be later than now and than the current deadline."))
    if deadline > latest_extension(case, now):
        raise ValidationError(too_far())
    old = case.deadline
    case.deadline = deadline
    case.save(update_fields=["deadline"])
    note = _("%(old)s → %(new)s: %(reason)s") % {
        "old": timezone.localtime(old).strftime("%Y-%m-%d %H:%M"),
        "new": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
        "reason": reason,
    }
    _record(case, by, Action.EXTENDED, note)
    return case


# -- escalation ------------------------------------------------------------------------------------


def due_for_escalation(case, now):
    """Open, past its deadline, and not escalated since: never, before the deadline was last set, or a whole
    deadline period ago (at most one escalation per deadline period)."""
    if not case.is_late(now):
        return False
    if case.escalated_at is None or case.escalated_at < case.deadline:
        return True
    period = datetime.timedelta(hours=deadline_hours(case.kind, case.account))
    return case.escalated_at + period <= now


def escalation_recipients(case):
    """Reports: the office head(s); system errors: the channel administrators and the office head; and the owner."""
    roles = [POLICY_ADMIN] if case.kind == Kind.REPORT else [CHANNEL_ADMIN, POLICY_ADMIN]
    users = get_user_model().objects.filter(is_active=True, groups__name__in=[role.name for role in roles])
    addresses = set(users.exclude(email="").values_list("email", flat=True))
    if case.owner and case.owner.is_active and case.owner.email:
        addresses.add(case.owner.email)
    return sorted(addresses)


def escalate_late(now=None):
    """Escalate every open case past its deadline (A6.5.2), once per deadline period; the numbers escalated.

    Each case is escalated in its own transaction and its e-mail sent after that commits, so a run killed
    half-way leaves no case escalated without its e-mail recorded, and a second run sends nothing twice.
    """
    now = now or timezone.now()
    escalated = []
    for pk in Case.objects.filter(status__in=OPEN_STATUSES, deadline__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("owner", "account").get(pk=pk)
            if not due_for_escalation(case, now):
                continue
            case.escalated_at, case.escalation_count = now, case.escalation_count + 1
            case.save(update_fields=["escalated_at", "escalation_count"])
            recipients = escalation_recipients(case)
            _record(case, None, Action.ESCALATED, ", ".join(recipients) or _("nobody to tell"), now)
        send_digest("case_escalated", {"case": case, "link": admin_link(case), "now": now}, recipients)
        escalated.append(case.number)
    return escalated


# -- the channel's signals (wechat_channel.signals) ------------------------------------------------


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def admin_link(case):
    return _absolute(reverse("cases_admin:detail", args=[case.pk]))


def report_received(sender, account, openid, text, message, event_id, **kwargs):
    """A follower's keyword message (A6.5.2): a report case, once per stored callback."""
    return open_report(
        message, Case.Source.WECHAT, summary=text, openid=openid, account=account, key=f"callback:{event_id}"
    )


def channel_error(sender, account, push, message, key, **kwargs):
    """A parked push (A6.5.1): a system-error case, or a history line on the open one of the same push."""
    return open_system_error(
        message, account=account, push_id=push.pk, key=key, link=_absolute(f"/admin/wechat/pushes/{push.pk}/")
    )[0]
