"""Importing this module registers the reports' hooks (from policy_rules/wagtail_hooks.py)."""

from wagtail import hooks

from . import hooks as report_hooks

hooks.register("register_admin_urls", report_hooks.admin_urls)
for menu_item in report_hooks.MENU_ITEMS:
    hooks.register("register_reports_menu_item", menu_item)
hooks.register("construct_homepage_panels", report_hooks.add_dashboard_panel)
