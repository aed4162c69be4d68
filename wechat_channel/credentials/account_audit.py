"""Audit of WeChat account settings (A15): who changed which fields, from what to what, never a secret.

Registered through Wagtail's `register_actions` hook, so the accounts' ModelViewSet (and any
other caller of the create/edit actions) writes `wagtail.create` / `wagtail.edit` with a summary.
Every changed field is logged with its old and new value: for the secret fields that is the name of
the environment variable (e.g. WECHAT_NEWS_SECRET), and the API addresses are logged as URLs; the
value a variable holds is never read here.
"""

from django.db import transaction
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.log_actions import log

from wechat_channel.models import WeChatAccount

UNAUDITED = {"id", "created_at", "updated_at"}


def _fields():
    return [f for f in WeChatAccount._meta.concrete_fields if f.name not in UNAUDITED]


def _value(value):
    return value if isinstance(value, bool | int) or value is None else str(value)


def settings_changes(before, after):
    """{"fields": [changed names], "values": {name: {"old", "new"}}}: variable names and URLs, never a secret."""
    changed, values = [], {}
    for field in _fields():
        old = field.value_from_object(before) if before is not None else None
        new = field.value_from_object(after)
        if before is None and new in (None, ""):
            continue
        if old == new:
            continue
        changed.append(field.name)
        values[field.name] = {"old": _value(old), "new": _value(new)}
    return {"fields": changed, "values": values}


class AccountCreateAction(CreateAction):
    """`wagtail.create` with the fields the account was created with."""

    def __init__(self, instance, user=None, **kwargs):
        self.audit_action = kwargs.pop("log_action", "wagtail.create")
        super().__init__(instance, user, log_action=None, **kwargs)

    @transaction.atomic
    def _create(self, skip_permission_checks=False):
        result = super()._create(skip_permission_checks=skip_permission_checks)
        if self.audit_action:
            log(
                instance=self.instance,
                action=self.audit_action,
                user=self.user,
                revision=self.revision,
                content_changed=True,
                data=settings_changes(None, self.instance),
            )
        return result


class AccountEditAction(EditAction):
    """`wagtail.edit` with the fields that changed, old and new values (the secret fields' variable names)."""

    def __init__(self, instance, user=None, **kwargs):
        self.audit_action = kwargs.pop("log_action", "wagtail.edit")
        super().__init__(instance, user, log_action=None, **kwargs)

    @transaction.atomic
    def _edit(self, skip_permission_checks=False):
        before = WeChatAccount.objects.filter(pk=self.instance.pk).first()
        result = super()._edit(skip_permission_checks=skip_permission_checks)
        if self.audit_action:
            log(
                instance=self.instance,
                action=self.audit_action,
                user=self.user,
                revision=self.revision,
                content_changed=self.content_changed,
                data=settings_changes(before, self.instance),
            )
        return result


def register_account_actions(registry):
    registry.register(WeChatAccount, AccountCreateAction)
    registry.register(WeChatAccount, AccountEditAction)
