"""The base of a feature's admin pages: the feature's permission checked on the server, refused with a plain 403."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class FeatureView(WagtailAdminTemplateMixin, TemplateView):
    """A page of one feature's admin. `may_view(user)` is asked on every request, GET or POST; a refusal (or a
    `PermissionDenied` raised by the view) is a plain 403, not the admin's redirect home, so a person who followed a
    link they may not open is told so. `index_url_name` and `section_label` make the breadcrumb back to the list."""

    index_url_name = ""
    section_label = ""

    @staticmethod
    def may_view(user):
        return False

    def dispatch(self, request, *args, **kwargs):
        try:
            if not (request.user.is_active and self.may_view(request.user)):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as refused:
            return permission_denied(request, refused)

    def get_breadcrumbs_items(self):
        if not self.index_url_name:
            return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
        return [*self.breadcrumbs_items, {"url": reverse(self.index_url_name), "label": self.section_label}]
