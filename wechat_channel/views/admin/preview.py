"""Preview to test followers (`mass/preview`): the page's latest draft as a one-article draft, sent, then deleted."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from wechat_channel.adapters import adapter_for
from wechat_channel.content.article import ContentRejected, build_article, render_phone_preview
from wechat_channel.forms import PreviewForm
from wechat_channel.models import WeChatAccount
from wechat_channel.permissions import PLAN_PUSHES
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

from .base import ChannelView, plain_words

logger = logging.getLogger("wechat_channel")


def preview_accounts():
    return WeChatAccount.objects.filter(is_active=True).exclude(preview_wxnames="").order_by("name")


def send_preview(account, adapter):
    """[(recipient, ok, words)]: each test follower's result, or one row for a failure before sending."""
    client = client_for(account)
    try:
        media_id = client.drafts.add([build_article(account, client, adapter)])
    except ContentRejected as error:
        return [("", False, _("WeChat would refuse this article: %(reason)s") % {"reason": error})]
    except WeChatCallError as error:
        return [("", False, plain_words(error))]
    results = []
    try:
        for recipient in account.preview_recipients:
            try:
                client.mass.preview(media_id, recipient)
            except WeChatCallError as error:
                results.append((recipient, False, plain_words(error)))
            else:
                results.append((recipient, True, _("sent")))
    finally:
        try:
            client.drafts.delete(media_id)
        except WeChatCallError as error:  # a leftover preview draft is harmless; say so in the log
            logger.warning("preview draft %s of %s not deleted: %s", media_id, account.slug, error)
    return results


class PreviewView(ChannelView):
    permission = PLAN_PUSHES
    page_title = gettext_lazy("Preview on WeChat")
    template_name = "wechat_channel/admin/preview.html"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def setup_page(self):
        if not self.page.permissions_for_user(self.request.user).can_edit():
            raise PermissionDenied
        draft = self.page.get_latest_revision_as_object()  # test followers read what is being edited
        self.adapter = adapter_for(draft)
        if self.adapter is None:
            raise PermissionDenied  # this page type is not syndicated

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data(form=PreviewForm(accounts=preview_accounts())))

    def post(self, request, *args, **kwargs):
        self.setup_page()
        form = PreviewForm(request.POST, accounts=preview_accounts())
        results = None
        if form.is_valid():
            results = send_preview(form.cleaned_data["account"], self.adapter)
            if results and all(ok for _r, ok, _w in results):
                messages.success(request, _("Preview sent to every test follower."))
            else:
                messages.error(request, _("The preview did not reach every test follower; see below."))
        return self.render_to_response(self.get_context_data(form=form, results=results))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page=self.page,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            phone_preview=self.phone_preview(),
        )
        return context

    def phone_preview(self):
        account = preview_accounts().first()
        return render_phone_preview(self.adapter, account_name=account.name if account else None, request=self.request)
