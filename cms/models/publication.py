"""Only office approval makes an article live (A6.3.1): the check `ArticlePage.save` makes.

Wagtail has many doors to ``live=True``: the create and edit views, bulk actions, the
revisions view, scheduled publishing, the admin API, copy ("publish copies") and aliases.
They all end in saving the page with ``live=True`` and a ``live_revision``, so the refusal
sits in the article's save, and asks the database whether the office approved that very
revision; the workflow's own final publish passes because the office stage was just approved.
A revision scheduled to go live is checked by the review's receiver (`cms/review/publication.py`).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState

from cms.models.review import OfficeReviewTaskState

REFUSAL = _("Articles are published by approving them at office review, not directly.")


class PublicationRefused(PermissionDenied):
    """An article was about to go live (or be scheduled) without the office's approval (A6.3.1)."""

    def __init__(self, message=REFUSAL):
        super().__init__(str(message))


def office_approved(revision_id):
    """True when the office stage approved exactly this revision (A6.2, A6.3.1)."""
    if revision_id is None:
        return False
    return OfficeReviewTaskState.objects.filter(revision_id=revision_id, status=TaskState.STATUS_APPROVED).exists()


def guard_article_save(article, update_fields=None):
    """Called by ArticlePage.save: refuse a live article whose live revision the office did not approve.

    A new article is always a draft: Wagtail's ``Page.live`` defaults to True and the create view
    (and copy with "publish copies", and aliases) save the page before any publishing check runs.
    """
    if article._state.adding:
        _make_draft(article)
        return
    if not article.live:
        if update_fields and "live_revision" in update_fields:
            # CopyPageAction(keep_live) marks the copy's revision live after creating it; a draft has none.
            _make_draft(article)
        return
    if article.alias_of_id:
        # An alias has no revisions: it mirrors its source, which went live through this guard.
        if not type(article).objects.filter(pk=article.alias_of_id, live=True).exists():
            raise PublicationRefused()
        return
    stored = type(article).objects.filter(pk=article.pk).values("live", "live_revision_id").first()
    if stored and stored["live"] and stored["live_revision_id"] == article.live_revision_id:
        return  # already live with this revision: nothing is being published now
    if not office_approved(article.live_revision_id):
        raise PublicationRefused()


def _make_draft(article):
    article.live = False
    article.has_unpublished_changes = True
    article.live_revision = None
    article.first_published_at = None
    article.last_published_at = None
