"""Admin wiring of credential holders and the rotation alarm (A6.6, A15); imported by the channel's wagtail_hooks."""

from django.urls import include, path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from wechat_channel.credentials import services as credentials
from wechat_channel.credentials import views
from wechat_channel.credentials.account_audit import register_account_actions
from wechat_channel.credentials.views import can_view


@hooks.register("register_admin_urls")
def register_credentials_urls():
    urls = [
        path("", views.IndexView.as_view(), name="index"),
        path("<int:pk>/", views.AccountView.as_view(), name="account"),
    ]
    return [path("credentials/", include((urls, "credentials_admin"), namespace="credentials_admin"))]


class CredentialsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


@hooks.register("register_admin_menu_item")
def register_credentials_menu_item():
    return CredentialsMenuItem(
        _("Credentials"), reverse_lazy("credentials_admin:index"), name="credentials", icon_name="key", order=170
    )


hooks.register("register_actions", register_account_actions)


@hooks.register("register_log_actions")
def register_credentials_log_actions(actions):
    """The `newsroom.credentials.*` entries on the account: who now holds, who no longer does, a rotation."""

    @actions.register_action(credentials.ASSIGN_ACTION)
    class AssignHolderFormatter(LogFormatter):
        label = _("Assign credential holder")

        def format_message(self, log_entry):
            return _("%(holder)s now holds the credentials (A6.6.1)") % {"holder": log_entry.data.get("holder", "")}

    @actions.register_action(credentials.RELEASE_ACTION)
    class ReleaseHolderFormatter(LogFormatter):
        label = _("Release credential holder")

        def format_message(self, log_entry):
            return _("%(holder)s no longer holds the credentials; rotate them (A6.6.2)") % {
                "holder": log_entry.data.get("holder", "")
            }

    actions.register_action(
        credentials.ROTATE_ACTION, _("Record credential rotation"), _("Credential rotation recorded (A6.6.2)")
    )


def rotation_alarms(request, account=None):
    """The A6.6.2 alarm for the user's eyes: one message per account needing rotation, if they may see it."""
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
    template_name = "wechat_channel/admin/panels/credential_rotation.html"

    def __init__(self, accounts):
        self.accounts = accounts

    def get_context_data(self, parent_context=None):
        return {"accounts": self.accounts}


@hooks.register("construct_homepage_panels")
def add_credential_rotation_panel(request, panels):
    if can_view(request.user):
        accounts = list(credentials.accounts_needing_rotation())
        if accounts:
            panels.insert(0, CredentialRotationPanel(accounts))
