"""Signal wiring for the cms app, connected from CmsConfig.ready()."""

from django.apps import apps
from django.db.models.signals import post_migrate, pre_save
from wagtail.models import Revision

from cms.admin.setup import ensure_newsroom_setup
from cms.cases import services as cases
from cms.policy.outcomes import register_outcome_receivers
from cms.review.publication import guard_scheduled_revision
from wechat_channel.signals import channel_error, report_received


def register_signal_handlers():
    post_migrate.connect(
        ensure_newsroom_setup,
        sender=apps.get_app_config("cms"),
        dispatch_uid="newsroom_setup",
    )
    register_case_receivers()
    register_publication_guard()
    register_outcome_receivers()


def register_publication_guard():
    """A6.3.1: an article revision is scheduled to go live only after office approval."""
    pre_save.connect(guard_scheduled_revision, sender=Revision, dispatch_uid="newsroom_scheduled_publication")


def register_case_receivers():
    """Reports and system errors the channel signals become cases (A6.5)."""
    report_received.connect(cases.report_received, dispatch_uid="newsroom_case_report")
    channel_error.connect(cases.channel_error, dispatch_uid="newsroom_case_system_error")
