"""WeChat accounts: a ModelViewSet only channel administrators open (A15); secrets show as set or not set."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from wechat_channel.forms import WeChatAccountForm, secret_status
from wechat_channel.models import WeChatAccount


def callback_url(account, request=None):
    """The URL to paste under 服务器配置 on mp.weixin.qq.com, or "" when the site serves no callback."""
    try:
        path = reverse("wechat_callback", args=[account.slug])
    except NoReverseMatch:
        return ""
    return request.build_absolute_uri(path) if request else path


BADGE = {True: "w-status--primary", False: "w-status--label"}


def secret_badges(account):
    return format_html_join(
        " ",
        '<span class="w-status {}" title="{}">{} {}</span>',
        (
            (
                "w-status--primary" if is_set else "w-status--label",
                label,
                variable,
                _("set") if is_set else _("not set"),
            )
            for label, variable, is_set in secret_status(account)
        ),
    )


class SecretsColumn(Column):
    def get_value(self, instance):
        return secret_badges(instance)


class AccountWarningsMixin:
    """Warnings the site adds to the account pages through the `wechat_channel_account_warnings` hook.

    Each hook function takes (request, account or None) and returns messages to show, e.g. the
    site's "rotate the credentials" alarm (A6.6.2).
    """

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(self, "results_only", False):
            return response
        account = getattr(self, "object", None)
        for fn in hooks.get_hooks("wechat_channel_account_warnings"):
            for warning in fn(request, account):
                messages.warning(request, warning)
        return response


class AccountIndexView(AccountWarningsMixin, ModelViewSet.index_view_class):
    pass


class AccountEditView(AccountWarningsMixin, ModelViewSet.edit_view_class):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["secrets"] = secret_status(self.object)
        context["callback_url"] = callback_url(self.object, self.request)
        return context


class AccountDeleteView(ModelViewSet.delete_view_class):
    """An account with pushes, comments or menu changes is kept: their history outlives it (A14)."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(
                self.request,
                _("This account has pushes, comments or menu changes on record; make it inactive instead."),
            )
            return redirect(self.edit_url_name, self.object.pk)


class WeChatAccountViewSet(ModelViewSet):
    model = WeChatAccount
    icon = "mail"
    name = "wechat_accounts"
    url_prefix = "wechat/accounts"
    menu_label = pgettext_lazy("WeChat", "Accounts")
    add_to_admin_menu = False
    copy_view_enabled = False
    index_view_class = AccountIndexView
    edit_view_class = AccountEditView
    delete_view_class = AccountDeleteView
    edit_template_name = "wechat_channel/admin/account_edit.html"
    list_display = [
        "name",
        "wechat_id",
        "appid",
        "kind",
        "verified",
        SecretsColumn("secrets", label=gettext_lazy("Secrets (environment)")),
        "policy_scope",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "wechat_id", "appid"]

    def get_form_class(self, for_update=False):
        return WeChatAccountForm


account_viewset = WeChatAccountViewSet()
