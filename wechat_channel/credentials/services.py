"""Credential holders of the WeChat accounts (A6.6): the policy's cap, releases, the rotation alarm.

Every change is one function here; views, signal handlers and tests call these, never the models.
Each writes a `newsroom.credentials.*` audit entry on the account (who, whom; never a secret).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import get_active_log_context, log

from wechat_channel import adapters, slots
from wechat_channel.models import CredentialHolder, CredentialRotation, WeChatAccount

Reason = CredentialHolder.EndReason
# Audit-log codes on the account, kept from when the site held this feature (existing entries read the same).
ASSIGN_ACTION = "newsroom.credentials.assign"
RELEASE_ACTION = "newsroom.credentials.release"
ROTATE_ACTION = "newsroom.credentials.rotate"


class CredentialError(Exception):
    """A refused change to who holds an account's credentials; the message is for the user."""


def max_holders(account):
    """The cap of A6.6.1 under the account's own policy; the regulation's default when none is usable."""
    return slots.section(account, "credentials").max_holders


def holder_label(user):
    return user.get_full_name() or user.get_username()


def candidates(account):
    """Who may be given `account`'s credentials: active staff (the site's `PeopleAdapter`) not holding them, by name.

    A6.6.1's 专人管理: named members of staff, never students; the site says who is staff.
    """
    holding = current_holders(account).values("user_id")
    users = get_user_model().objects.filter(is_active=True).exclude(pk__in=holding)
    return adapters.people().staff(users).order_by("first_name", "last_name", "username")


def picker_label(user, department=""):
    """How the picker names a person: two 李老师 are told apart by their department and login."""
    name, login = holder_label(user), user.get_username()
    if name == login:  # no full name: the login is the name
        return _("%(name)s (%(department)s)") % {"name": name, "department": department} if department else name
    if department:
        return _("%(name)s (%(department)s · %(login)s)") % {"name": name, "department": department, "login": login}
    return _("%(name)s (%(login)s)") % {"name": name, "login": login}


def picker_labels(users):
    """{user pk: picker label} of `users`, so a page names each person as the picker offered them."""
    departments = adapters.people().departments(users)
    return {user.pk: picker_label(user, departments.get(user.pk, "")) for user in users}


def current_holders(account):
    return CredentialHolder.objects.filter(account=account, ended_at__isnull=True).select_related("user")


def pending_releases(account):
    """Releases no rotation has answered yet: the alarm of A6.6.2 while any exist."""
    return CredentialHolder.objects.filter(account=account, ended_at__isnull=False, rotation__isnull=True)


def needs_rotation(account):
    return pending_releases(account).exists()


def accounts_needing_rotation():
    """Accounts (of all, active or not) whose credentials must be rotated."""
    pending = CredentialHolder.objects.filter(ended_at__isnull=False, rotation__isnull=True)
    return WeChatAccount.objects.filter(pk__in=pending.values("account_id")).order_by("name")


def _lock(account):
    # One row lock per account serialises assignments, so two at once cannot pass the cap together.
    return WeChatAccount.objects.select_for_update().get(pk=account.pk)


def assign(account, user, by):
    """Make `user` a holder of `account`'s credentials; refused past the policy's cap (A6.6.1)."""
    if not user.is_active:
        raise CredentialError(_("%(user)s is deactivated and cannot hold credentials.") % {"user": holder_label(user)})
    if not adapters.people().staff(get_user_model().objects.filter(pk=user.pk)).exists():
        raise CredentialError(
            _("%(user)s is not a member of staff and cannot hold credentials (A6.6.1).") % {"user": holder_label(user)}
        )
    with transaction.atomic():
        account = _lock(account)
        holders = list(current_holders(account))
        if any(holder.user_id == user.pk for holder in holders):
            raise CredentialError(
                _("%(user)s already holds the credentials of %(account)s.")
                % {"user": holder_label(user), "account": account}
            )
        cap = max_holders(account)
        if len(holders) >= cap:
            raise CredentialError(
                _(
                    "At most %(cap)d people may hold the credentials of %(account)s (A6.6.1); "
                    "they are held by %(holders)s. Release one of them first."
                )
                % {"cap": cap, "account": account, "holders": "、".join(h.holder_name for h in holders)}
            )
        holding = CredentialHolder.objects.create(
            account=account, user=user, holder_name=holder_label(user), assigned_by=by
        )
        log(
            instance=account,
            action=ASSIGN_ACTION,
            user=by,
            data={"holder": holding.holder_name, "holder_id": user.pk, "cap": cap},
        )
    return holding


def _end(holding, by, reason, note=""):
    holding.ended_at = timezone.now()
    holding.ended_by = by
    holding.end_reason = reason
    holding.end_note = note[:200]
    holding.save(update_fields=["ended_at", "ended_by", "end_reason", "end_note"])
    log(
        instance=holding.account,
        action=RELEASE_ACTION,
        user=by,
        data={"holder": holding.holder_name, "holder_id": holding.user_id, "reason": reason, "note": holding.end_note},
    )


def release(account, user, by, reason=Reason.RELEASED, note=""):
    """End `user`'s holding of `account`'s credentials; the account then needs a rotation (A6.6.2)."""
    with transaction.atomic():
        holding = current_holders(account).select_for_update().filter(user=user).first()
        if holding is None:
            raise CredentialError(
                _("%(user)s does not hold the credentials of %(account)s.")
                % {"user": holder_label(user), "account": account}
            )
        _end(holding, by, reason, note)
    return holding


def release_all(user, reason, by=None):
    """End every holding of `user` (deactivated or removed); each account raises the alarm."""
    by = by or get_active_log_context().user  # the admin who did it, when it happened in the admin
    with transaction.atomic():
        holdings = list(
            CredentialHolder.objects.select_for_update()
            .filter(user=user, ended_at__isnull=True)
            .select_related("account")
        )
        for holding in holdings:
            _end(holding, by, reason)
    return holdings


def record_rotation(account, by, note=""):
    """Record that `account`'s credentials were rotated; it answers every release before it."""
    with transaction.atomic():
        account = _lock(account)
        rotation = CredentialRotation.objects.create(account=account, recorded_by=by, note=note)
        answered = pending_releases(account).update(rotation=rotation)
        log(
            instance=account,
            action=ROTATE_ACTION,
            user=by,
            data={"note": note, "releases": answered},
        )
    return rotation
