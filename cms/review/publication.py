"""Only office approval makes an article live (A6.3.1): a revision scheduled to go live is checked too.

Saving an article live is refused by `ArticlePage.save` (`cms/models/publication.py`) unless the office
approved that very revision. Scheduled publishing goes another way: it marks a revision
``approved_go_live_at``, and `publish_scheduled` publishes it later; so the same question is asked
when the revision is saved (a ``pre_save`` of `Revision`, connected by `cms/signal_handlers.py`).
"""

from cms.models import ArticlePage
from cms.models.publication import PublicationRefused, office_approved


def guard_scheduled_revision(sender, instance, **kwargs):
    """pre_save of Revision: only an office-approved article revision may be scheduled to go live."""
    if instance.approved_go_live_at is None or instance.pk is None:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is not None and issubclass(model, ArticlePage) and not office_approved(instance.pk):
        raise PublicationRefused()
