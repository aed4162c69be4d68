from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PolicyRulesConfig(AppConfig):
    """The regulation as a typed, versioned policy document; knows nothing of the site."""

    name = "policy_rules"
    label = "policy_rules"
    verbose_name = _("Policy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's documented place: these import models (AppRegistryNotReady at the top of apps.py).
        from policy_rules.reports.setup import ensure_schedules, register_signal_handlers

        register_signal_handlers()
        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="policy_rules_schedules")
