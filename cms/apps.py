from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Newsroom")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Django's documented place: these import models, so at the top of apps.py they raise AppRegistryNotReady.
        from django_q.signals import post_spawn

        from cms.people.profile import use_full_name_form
        from cms.processes.startup import after_worker_spawn
        from cms.signal_handlers import register_signal_handlers

        register_signal_handlers()
        from cms.review import checks  # noqa: F401 - registers the department reviewer check (A6.1)

        use_full_name_form()
        post_spawn.connect(after_worker_spawn, dispatch_uid="cms.processes.startup.after_worker_spawn")
