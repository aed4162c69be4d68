"""Admin wiring of WeChat bindings (A21): the log actions of binding and unbinding; imported by wagtail_hooks."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .bindings import BIND_ACTION, UNBIND_ACTION


@hooks.register("register_log_actions")
def register_binding_log_actions(actions):
    actions.register_action(BIND_ACTION, _("Bind WeChat"), _("WeChat bound to an admin account (A21)"))
    actions.register_action(UNBIND_ACTION, _("Unbind WeChat"), _("WeChat unbound from an admin account (A21)"))
