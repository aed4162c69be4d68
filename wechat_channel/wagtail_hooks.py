"""Admin wiring: the WeChat (微信) menu — plan, pushes, accounts, health, follower activity, comments — and the
preview button; credential holders (`credentials/hooks.py`) and bindings (`binding_hooks.py`) wire their own."""

from django.urls import include, path, reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from . import admin_urls
from .adapters import adapter_class
from .credentials import hooks as credential_hooks  # noqa: F401 - credential holders (A6.6, A15)
from .failures import failed_for, fixes
from .models import WeChatAccount
from .permissions import (
    BIND_WECHAT,
    CHANGE_ACCOUNTS,
    MODERATE_COMMENTS,
    PLAN_PUSHES,
    VIEW_ACCOUNTS,
    VIEW_ACTIVITY,
    VIEW_PLAN,
    AccountPermissionPolicy,
    can,
)
from .views.admin.accounts import account_viewset

# A15: registered before anything asks for the accounts' policy, so no fallback is created first.
register_permission_policy(WeChatAccount, AccountPermissionPolicy(WeChatAccount))


@hooks.register("register_admin_urls")
def register_wechat_urls():
    return [path("wechat/", include((admin_urls.urlpatterns, "wechat_admin"), namespace="wechat_admin"))]


@hooks.register("register_admin_viewset")
def register_account_viewset():
    return account_viewset


class PermissionMenuItem(MenuItem):
    """A menu item shown to whoever holds `permission`; the page checks it again."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return can(request.user, self.permission)


wechat_menu = Menu(register_hook_name="register_wechat_menu_item", construct_hook_name="construct_wechat_menu")


@hooks.register("register_admin_menu_item")
def register_wechat_menu():
    return SubmenuMenuItem(_("WeChat"), wechat_menu, name="wechat", icon_name="mail", order=170)


# (label, URL name, item name, icon, permission), in menu order.
WECHAT_MENU = [
    (_("Weekly plan"), "wechat_admin:plan", "wechat-plan", "date", VIEW_PLAN),
    (_("Pushes"), "wechat_admin:pushes", "wechat-pushes", "list-ul", VIEW_PLAN),
    (
        pgettext_lazy("WeChat", "Accounts"),
        account_viewset.get_url_name("index"),
        "wechat-accounts",
        "mail",
        CHANGE_ACCOUNTS,
    ),
    (_("Health"), "wechat_admin:health", "wechat-health", "pick", VIEW_ACCOUNTS),
    (_("Follower activity"), "wechat_admin:activity", "wechat-activity", "history", VIEW_ACTIVITY),
    (pgettext_lazy("WeChat", "Comments"), "wechat_admin:comments", "wechat-comments", "comment", MODERATE_COMMENTS),
    (_("Bind my WeChat"), "wechat_admin:bind", "wechat-bind", "user", BIND_WECHAT),  # every admin user (A21)
]


def _menu_item(order, label, url_name, name, icon, permission):
    return lambda: PermissionMenuItem(
        label, reverse(url_name), name=name, icon_name=icon, order=order, permission=permission
    )


for _position, _entry in enumerate(WECHAT_MENU, start=1):
    hooks.register("register_wechat_menu_item", _menu_item(_position * 100, *_entry))


class ActivityExportFormatter(LogFormatter):
    """An export's history line names the authority that asked and its reference (A14)."""

    label = _("Export follower activity")

    def format_message(self, log_entry):
        data = log_entry.data or {}
        if not data.get("authority"):  # exports made before the request was asked for
            return gettext("Follower activity exported for the authorities (A14)")
        return gettext("Follower activity exported for %(authority)s, reference %(reference)s (A14)") % {
            "authority": data["authority"],
            "reference": data.get("reference") or "—",
        }


@hooks.register("register_log_actions")
def register_activity_log_actions(actions):
    actions.register_action("wechat_channel.activity.export")(ActivityExportFormatter)
    actions.register_action(
        "wechat_channel.comment.moderate", _("Moderate a comment"), _("Comment moderated and recorded (A13)")
    )
    actions.register_action("wechat_channel.comment.open", _("Open comments"), _("Comments opened on an article"))
    actions.register_action("wechat_channel.comment.close", _("Close comments"), _("Comments closed on an article"))


class PreviewButton(PageMenuItem):
    """Send the page to the test followers; shown on syndicated pages to editors who may plan pushes."""

    label = _("Preview on WeChat")
    icon_name = "mail"
    url_name = "wechat_admin:preview"

    def is_shown(self, user):
        return (
            adapter_class(self.page.specific_class) is not None
            and can(user, PLAN_PUSHES)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_header_buttons")
def page_header_preview_button(page, user, view_name, next_url=None):
    if page.specific_class is not None:
        yield PreviewButton(page=page, priority=40)


@hooks.register("register_page_listing_more_buttons")
def page_listing_preview_button(page, user, next_url=None):
    if page.specific_class is not None:
        yield PreviewButton(page=page, priority=45)


class FailedArticlesPanel(Component):
    """The failed articles the user planned, why and where to fix them, until the push is retried."""

    name = "wechat_failed_articles"
    order = 60
    template_name = "wechat_channel/admin/panels/failed_articles.html"

    def __init__(self, entries):
        self.entries = entries

    def get_context_data(self, parent_context=None):
        return {"entries": self.entries}


@hooks.register("construct_homepage_panels")
def add_failed_articles_panel(request, panels):
    items = list(failed_for(request.user)[:20])
    if items:
        panels.append(FailedArticlesPanel([{"item": item, "fixes": fixes(item)} for item in items]))


from . import binding_hooks  # noqa: E402, F401 - bind and unbind log actions (A21)
