"""System errors told to the channel administrators (A6.5.1)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from wechat_channel.conf import get_conf

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
    from wechat_channel.signals import channel_error

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
