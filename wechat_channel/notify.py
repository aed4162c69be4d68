"""System errors told to the channel administrators (A6.5.1), and a failed article to the editor who planned it."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wechat_channel import failures
from wechat_channel.conf import get_conf
from wechat_channel.signals import channel_error

logger = logging.getLogger("wechat_channel")


def recipients():
    path = get_conf("ERROR_RECIPIENTS")
    if path:
        return sorted(set(import_string(path)()))
    return sorted(
        set(get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("email", flat=True)) - {""}
    )


def system_error(push, message):
    """E-mail the channel administrators that a push is parked, and why; tell the host site (`channel_error`).

    `message` is a `history.Note` or a text; a note is written in the site's language (LANGUAGE_CODE) for the
    e-mail and the host site's case, whoever's action parked the push, and passed on as `note` too.
    """
    note = message.as_dict() if hasattr(message, "as_dict") else None
    with translation.override(settings.LANGUAGE_CODE):
        message = str(message)
    logger.error("push %s parked: %s", push.pk, message)
    for _receiver, error in channel_error.send_robust(
        sender=type(push), account=push.account, push=push, message=message, key=f"push:{push.pk}", note=note
    ):
        if isinstance(error, Exception):
            logger.error("a channel_error receiver failed for push %s: %r", push.pk, error)
    to = recipients()
    if not to:
        return 0
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("WeChat push failed: %(account)s %(slot)s") % {
            "account": push.account.name,
            "slot": timezone.localtime(push.slot).strftime("%Y-%m-%d %H:%M"),
        }
        body = _("The push was parked and needs a person.\n\nReason: %(message)s\n\nOpen it: %(url)s\n") % {
            "message": message,
            "url": f"{base}/admin/wechat/pushes/{push.pk}/",
        }
    return send_mail(subject, body, None, to, fail_silently=True)


def planner_told(item, message=""):
    """E-mail the editor who planned `item` that it did not go out, why and how to fix it, in their language."""
    user = item.planned_by
    if user is None or not user.is_active or not user.email:
        return 0
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    with translation.override(failures.language_of(user)):
        lines = []
        for fix in failures.fixes(item, message):
            lines.append(f"- {fix.reason}")
            if fix.url and fix.reviewed_again:
                lines.append("  " + _("Edit the article (it is reviewed again): %(url)s") % {"url": base + fix.url})
            elif fix.url:
                where = _("Change it in the article's WeChat settings, no new review: %(url)s")
                lines.append("  " + where % {"url": base + fix.url})
        subject = _("Not sent to WeChat: “%(title)s”") % {"title": item.title}
        body = _(
            "The article “%(title)s” that you planned for the %(slot)s push of %(account)s did not go out.\n\n"
            "Why, and how to fix it:\n%(reasons)s\n\nThen retry the push: %(url)s\n"
        ) % {
            "title": item.title,
            "slot": timezone.localtime(item.push.slot).strftime("%Y-%m-%d %H:%M"),
            "account": item.push.account.name,
            "reasons": "\n".join(lines),
            "url": base + failures.push_url(item),
        }
    return send_mail(subject, body, None, [user.email], fail_silently=True)
