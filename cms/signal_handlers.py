"""Signal wiring for the cms app, connected from CmsConfig.ready()."""

from django.db.models.signals import post_migrate


def register_signal_handlers():
    from django.apps import apps

    from .setup import ensure_newsroom_setup

    post_migrate.connect(
        ensure_newsroom_setup,
        sender=apps.get_app_config("cms"),
        dispatch_uid="newsroom_setup",
    )
