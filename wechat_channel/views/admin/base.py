"""What every channel admin page shares: a permission checked before anything runs, plain error words.

A refused page (GET) goes back to the dashboard with Wagtail's message; a refused change (POST) is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wechat_channel.permissions import can


class ChannelView(WagtailAdminTemplateMixin, TemplateView):
    """A channel admin page: `permission` is checked on every request, GET or POST."""

    permission = None
    header_icon = "mail"
    page_title = gettext_lazy("WeChat")

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.permission):
            if request.method == "POST":
                # A refused change is a plain 403, not the admin's redirect home that reads like success.
                return HttpResponseForbidden(_("Sorry, you do not have permission to access this area."))
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def back(self, default):
        """Redirect to the form's `next` when it is one of ours, else to `default`."""
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(target, {self.request.get_host()}):
            return redirect(target)
        return redirect(default)


def plain_words(error):
    """A WeChat error in the reader's language: the classified message, else its text."""
    message = error.message() if callable(getattr(error, "message", None)) else str(error)
    code = getattr(error, "code", None)
    return _("%(message)s (error %(code)s)") % {"message": message, "code": code} if code else message


def push_url(push):
    return reverse("wechat_admin:push", args=[push.pk])
