"""Binding one's WeChat (A21): the page with a QR code per account, unbinding, and the subscription check."""

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wechat_channel import bindings
from wechat_channel.models import FollowerBinding, WeChatAccount
from wechat_channel.permissions import BIND_WECHAT, CHECK_BINDINGS, UNBIND_OTHERS, can
from wechat_channel.wechat.errors import WeChatCallError

from .base import ChannelView, plain_words


def qr_svg(url):
    """The link as an inline SVG QR code (generated from our own URL: no user text in it)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - SVG qrcode made of our own URL


class BindView(ChannelView):
    """Every admin user: per active account, their bound openid (masked) or a QR code and link to bind."""

    permission = BIND_WECHAT
    page_title = gettext_lazy("Bind my WeChat")
    header_icon = "user"
    template_name = "wechat_channel/admin/bind.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mine = {b.account_id: b for b in FollowerBinding.objects.filter(user=user)}
        rows = []
        for account in WeChatAccount.objects.filter(is_active=True).order_by("name"):
            row = {"account": account, "binding": mine.get(account.pk)}
            if row["binding"] is None:
                redirect_uri = self.request.build_absolute_uri(reverse("wechat_bind", args=[account.slug]))
                try:
                    row["link"] = bindings.authorize_url(account, user, redirect_uri)
                except WeChatCallError as error:  # an address the site refuses (trust): say so, link nowhere
                    row["refused"] = plain_words(error)
                else:
                    row["qr"] = qr_svg(row["link"])
            rows.append(row)
        context.update(rows=rows, minutes=bindings.STATE_MAX_AGE // 60)
        return context


class UnbindView(ChannelView):
    """POST: remove a binding. One's own always; someone else's only for channel administrators (A21)."""

    permission = BIND_WECHAT
    http_method_names = ["post"]

    def post(self, request, pk):
        binding = get_object_or_404(FollowerBinding.objects.select_related("user", "account"), pk=pk)
        if binding.user_id != request.user.pk and not can(request.user, UNBIND_OTHERS):
            raise PermissionDenied
        bindings.unbind(binding, by=request.user)
        messages.success(request, _("WeChat unbound from %(user)s on %(account)s.") % _names(binding))
        return self.back(reverse("wechat_admin:bind"))


class CheckView(ChannelView):
    """POST: ask WeChat now whether every bound openid still follows its account (the daily check, at once)."""

    permission = CHECK_BINDINGS
    http_method_names = ["post"]

    def post(self, request):
        S = FollowerBinding.Subscription
        for account, result in bindings.check_each():
            if isinstance(result, WeChatCallError):
                messages.error(request, f"{account.name}: {plain_words(result)}")
                continue
            words = _("%(account)s: %(follow)s follow, %(left)s do not, %(unknown)s unknown.") % {
                "account": account.name,
                "follow": result[S.SUBSCRIBED],
                "left": result[S.UNSUBSCRIBED],
                "unknown": result[S.UNKNOWN],
            }
            messages.success(request, words)
        return self.back(reverse("wechat_admin:bind"))


def _names(binding):
    user = binding.user
    return {"user": user.get_full_name() or user.get_username(), "account": binding.account.name}
