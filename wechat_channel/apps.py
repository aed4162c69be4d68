from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WechatChannelConfig(AppConfig):
    """Pushes approved pages to WeChat; ships a sandbox that behaves like the WeChat API. Knows nothing of cms."""

    name = "wechat_channel"
    label = "wechat_channel"
    verbose_name = _("WeChat channel")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's documented place: setup and signals import models (AppRegistryNotReady at the top of apps.py).
        from wechat_channel import checks  # noqa: F401  (registers the deployment checks)
        from wechat_channel.setup import ensure_schedules
        from wechat_channel.signals import register_signal_handlers

        register_signal_handlers()
        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="wechat_channel_schedules")
