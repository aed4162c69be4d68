"""The page WeChat's web authorization sends a member of staff's phone back to: `/wechat/bind/<account>/` (A21).

No login: the phone's WeChat browser is not signed in to the admin. The signed, short-lived `state` names the
user; the one-time `code` names the WeChat user. Any refusal shows a plain page and binds nothing.
"""

import logging

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wechat_channel import bindings
from wechat_channel.models import WeChatAccount
from wechat_channel.wechat.errors import WeChatCallError

from .admin.base import plain_words

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def bind_callback(request, account):
    wechat_account = WeChatAccount.objects.filter(slug=account, is_active=True).first()
    if wechat_account is None:
        return _page(request, "refused", _("This WeChat account is not in use on this site."), 404)
    try:
        binding = bindings.bind_from_code(wechat_account, request.GET.get("code", ""), request.GET.get("state", ""))
    except bindings.BindingRefused as refused:
        return _page(request, "refused", str(refused), 400)
    except WeChatCallError as error:
        logger.info("binding on %s refused by WeChat: %r", wechat_account.slug, error)
        return _page(request, "refused", plain_words(error), 400)
    user = binding.user
    message = _("Your WeChat is now bound to the admin account %(user)s on %(account)s.") % {
        "user": user.get_full_name() or user.get_username(),
        "account": wechat_account.name,
    }
    return _page(request, "bound", message)


def _page(request, outcome, message, status=200):
    title = _("WeChat bound") if outcome == "bound" else _("WeChat not bound")
    context = {"title": title, "message": message, "outcome": outcome}
    return render(request, "wechat_channel/bind_result.html", context, status=status)
