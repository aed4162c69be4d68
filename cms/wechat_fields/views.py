"""Admin page of an article's WeChat settings: thin glue over `services` (A6.3.1: the office only)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.admin.params import parse_id
from cms.models import ArticlePage
from cms.wechat_fields import services
from cms.wechat_fields.forms import WeChatFieldsForm
from wechat_channel.adapters import wechat_problems


class WeChatFieldsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cms/wechat_fields/edit.html"
    header_icon = "mail"
    page_title = gettext_lazy("WeChat settings")

    def dispatch(self, request, *args, pk, **kwargs):
        # A plain 403 rather than Wagtail's redirect home; the same answer for an unknown id and one not theirs.
        page_id = parse_id(str(pk))  # a number the database cannot hold is no article either
        self.page = ArticlePage.objects.filter(pk=page_id).select_related("cover_image").first() if page_id else None
        if self.page is None or not services.may_change(request.user, self.page):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, pk=pk, **kwargs)

    def get_page_subtitle(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        edit = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        return [
            *self.breadcrumbs_items,
            {"url": edit, "label": self.page.title},
            {"url": "", "label": _("WeChat settings")},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"cover_image": self.page.cover_image, "digest": self.page.digest}
        problems = wechat_problems(self.page) if self.page.live else []
        context.update(
            page=self.page,
            form=form or WeChatFieldsForm(initial=initial, user=self.request.user),
            problems=problems,
            ready=self.page.live and not [p for p in problems if p.blocking],
            pushes=services.pushes_of(self.page),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = WeChatFieldsForm(request.POST, user=request.user)
        if not form.is_valid():
            if "cover_image" in form.errors:
                form.data = form.data.copy()
                form.data["cover_image"] = ""  # the chooser shows no image rather than look up a hostile id
            return self.render_to_response(self.get_context_data(form=form))
        try:
            changes = services.change(self.page.pk, request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as refused:
            form.add_error(None, refused.messages if isinstance(refused, ValidationError) else str(refused))
            return self.render_to_response(self.get_context_data(form=form))
        if changes:
            messages.success(request, _("WeChat settings saved; no new review is needed."))
        else:
            messages.info(request, _("Nothing changed."))
        return redirect("wechat_fields:edit", pk=self.page.pk)
