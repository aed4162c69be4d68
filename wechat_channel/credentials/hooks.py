"""Admin wiring of credential holders and the rotation alarm (A6.6, A15); imported by wagtail_hooks."""

from django.urls import reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from cms.credentials.account_audit import register_account_actions


@hooks.register("register_admin_urls")
def register_credentials_urls():
    from django.urls import include, path

    from cms.credentials import views

    urls = [
        path("", views.IndexView.as_view(), name="index"),
        path("<int:pk>/", views.AccountView.as_view(), name="account"),
    ]
    return [path("credentials/", include((urls, "credentials_admin"), namespace="credentials_admin"))]


class CredentialsMenuItem(MenuItem):
    def is_shown(self, request):
        from cms.credentials.views import can_view

        return can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_credentials_menu_item():
    return CredentialsMenuItem(
        _("Credentials"), reverse_lazy("credentials_admin:index"), name="credentials", icon_name="key", order=170
    )


hooks.register("register_actions", register_account_actions)


def rotation_alarms(request, account=None):
    """The A6.6.2 alarm for the user's eyes: one message per account needing rotation, if they may see it."""
    from cms.credentials import services as credentials
    from cms.credentials.views import can_view

    if not can_view(request.user):
        return []
    accounts = credentials.accounts_needing_rotation()
    if account is not None:
        accounts = accounts.filter(pk=account.pk)
    return [
        format_html(
            '<span data-credentials-alarm>{}</span> <a href="{}">{}</a>',
            _("%(account)s: a credential holder left; rotate the credentials (A6.6.2).") % {"account": item.name},
            reverse("credentials_admin:account", args=[item.pk]),
            _("Record the rotation"),
        )
        for item in accounts
    ]


hooks.register("wechat_channel_account_warnings", rotation_alarms)


class CredentialRotationPanel(Component):
    """Accounts whose credentials must be rotated, for channel administrators and the office head."""

    name = "credential_rotation"
    order = 40
    template_name = "cms/panels/credential_rotation.html"

    def __init__(self, accounts):
        self.accounts = accounts

    def get_context_data(self, parent_context=None):
        return {"accounts": self.accounts}


@hooks.register("construct_homepage_panels")
def add_credential_rotation_panel(request, panels):
    from cms.credentials import services as credentials
    from cms.credentials.views import can_view

    if can_view(request.user):
        accounts = list(credentials.accounts_needing_rotation())
        if accounts:
            panels.insert(0, CredentialRotationPanel(accounts))
