from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyRulesConfig(AppConfig):
    """The regulation as a typed, versioned policy document; knows nothing of the site."""

    name = "policy_rules"
    label = "policy_rules"
    verbose_name = _("Policy")
    default_auto_field = "django.db.models.BigAutoField"
