"""WeChat-only fields of an approved article: the cover image and the digest.

They say nothing the three-stage review judged (A6.2.1: the text and pictures of the body, the title and the
credits stay as approved); they decide how the article looks in a chat list. So the office, which alone
publishes (A6.3.1) and gives the final review, changes them on a live article without re-opening the review.
Each change is written into the live page and the revisions that carry it (no new revision, so no "live +
draft" and nothing to approve), and audited in Wagtail's log: who, when, old → new.

A push that has not started uses the new values: it reads the live page when it prepares its draft. One whose
draft exists already keeps what it sent to WeChat.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ReferenceIndex

from cms.images.visibility import image_policy
from cms.models import ArticlePage
from cms.wechat_fields import audit
from wechat_channel.models import Push, PushItem

FIELDS = ("cover_image", "digest")
PROBLEM_FIELDS = ("cover", "digest")  # the same fields as WeChat's limit checks name them (`LimitProblem.field`)
STARTED = (Push.State.PREPARING, Push.State.DRAFTED, Push.State.SENDING, Push.State.UNKNOWN, Push.State.SUBMITTED)


def may_change(user, page):
    """Those who may publish the article: the office (A6.3.1) and superusers."""
    return bool(user and user.is_active and page.permissions_for_user(user).can_publish())


def choosable_images(user):
    """The images `user` may choose (the site's image policy: never a held public upload)."""
    return image_policy.instances_user_has_permission_for(user, "choose")


def _image_label(image):
    return {"id": image.pk, "title": image.title} if image is not None else None


def _write_revisions(page, values):
    """Put the new values into the live revision and the latest one, so neither the site nor a later edit
    brings the old ones back."""
    for revision in {r.pk: r for r in (page.live_revision, page.latest_revision) if r is not None}.values():
        content = dict(revision.content)
        content.update(values)
        revision.content = content
        revision.save(update_fields=["content"])


@transaction.atomic
def change(page_id, user, *, cover_image, digest):
    """Set the article's cover and digest as `user`; the changes made ({field: {"old", "new"}})."""
    page = ArticlePage.objects.select_for_update().filter(pk=page_id).first()
    if page is None:
        raise ValidationError(_("The article could not be found."))
    if not may_change(user, page):
        raise PermissionDenied(_("Only the office changes an article's WeChat settings (A6.3.1)."))
    if not page.live:
        raise ValidationError(
            _("This article is not approved yet: choose its cover and digest in the editor, before office review.")
        )
    if cover_image is None:
        raise ValidationError(_("WeChat needs a cover image: choose one."))
    if not choosable_images(user).filter(pk=cover_image.pk).exists():
        raise PermissionDenied(_("You may not use this image."))
    digest = (digest or "").strip()
    if len(digest) > ArticlePage._meta.get_field("digest").max_length:
        raise ValidationError(_("The digest is too long."))
    changes = {}
    if page.cover_image_id != cover_image.pk:
        changes["cover_image"] = {"old": _image_label(page.cover_image), "new": _image_label(cover_image)}
    if page.digest != digest:
        changes["digest"] = {"old": page.digest, "new": digest}
    if not changes:
        return {}
    ArticlePage.objects.filter(pk=page.pk).update(cover_image=cover_image, digest=digest)
    _write_revisions(page, {"cover_image": cover_image.pk, "digest": digest})
    page.cover_image, page.digest = cover_image, digest
    ReferenceIndex.create_or_update_for_object(page)  # the image is now shown by a live page
    log(instance=page, action=audit.CHANGE.code, user=user, data={"changes": changes})
    return changes


def pushes_of(page):
    """The page's push articles, newest first, each with whether a change still reaches it."""
    items = PushItem.objects.filter(page_id=page.pk).select_related("push__account").order_by("-push__slot")
    return [{"item": item, "started": item.push.state in STARTED} for item in items]
