"""One registration wires a feature into the admin: its URLs, its menu item, its dashboard panel, its audit log.

The shape of Wagtail's own `contrib/settings/registry.py`: a feature describes itself once, and
`register_feature` registers the hooks. Each feature's `hooks.py` calls it; `cms/wagtail_hooks.py` imports them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from cms.admin.audit import AuditAction


@dataclass(frozen=True)
class Menu:
    """An item of the admin's menu (or of its Reports submenu), shown to those `may_view` lets in."""

    label: str
    url_name: str
    icon: str
    order: int
    may_view: Callable
    reports: bool = False


class FeatureMenuItem(MenuItem):
    def __init__(self, menu, name):
        super().__init__(menu.label, reverse_lazy(menu.url_name), name=name, icon_name=menu.icon, order=menu.order)
        self.may_view = menu.may_view

    def is_shown(self, request):
        return self.may_view(request.user)


class DashboardPanel(Component):
    """A panel of the admin's dashboard: a template and its context. Wagtail sorts the panels by `order`."""

    def __init__(self, name, order, template_name, **context):
        self.name, self.order, self.template_name, self.context = name, order, template_name, context

    def get_context_data(self, parent_context=None):
        return self.context


@dataclass(frozen=True)
class Feature:
    """What a feature adds to the admin. `urls` are mounted at `/admin/<prefix>/` under the namespace `namespace`;
    each of `panels` takes the request and returns a `DashboardPanel`, or None when it has nothing to show."""

    name: str
    prefix: str = ""
    namespace: str = ""
    urls: Sequence = ()
    menu: Menu | None = None
    panels: Sequence[Callable] = ()
    audit: Sequence[AuditAction] = ()


def register_feature(feature):
    if feature.urls:
        mounted = [path(feature.prefix, include((list(feature.urls), feature.namespace), namespace=feature.namespace))]
        hooks.register("register_admin_urls", lambda: mounted)
    if feature.menu is not None:
        hook = "register_reports_menu_item" if feature.menu.reports else "register_admin_menu_item"
        hooks.register(hook, lambda: FeatureMenuItem(feature.menu, feature.name))
    for make_panel in feature.panels:
        hooks.register("construct_homepage_panels", _panel_hook(make_panel))
    if feature.audit:
        hooks.register("register_log_actions", _audit_hook(feature.audit))
    return feature


def _audit_hook(audit):
    def register_log_actions(actions):
        for action in audit:
            action.register(actions)

    return register_log_actions


def _panel_hook(make_panel):
    def add_panel(request, panels):
        panel = make_panel(request)
        if panel is not None:
            panels.append(panel)

    return add_panel
