"""The layout's rules, checked (issue 13; docs/architecture.md draws them).

- The plugins never import the site: `policy_rules` and `wechat_channel` import neither `cms` nor `home`.
- wechatpy is reached through one module: only `wechat_channel/wechat/` imports it.
- The channel has one door to the policy: in `wechat_channel`, only `slots.py` imports `policy_rules`.
- The site uses the channel's public modules only (the list below, kept in docs/architecture.md).
- `cms/` holds at its top level only the app's wiring; everything else is in the folder of its feature.
- No import hides inside a function to dodge a cycle: the few that must wait say why, listed here.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCT = ("cms", "home", "policy_rules", "wechat_channel")
CHANNEL_PUBLIC = {
    "wechat_channel.activity",  # spreadsheet_safe, for the staff-duty export
    "wechat_channel.adapters",
    "wechat_channel.bindings",
    "wechat_channel.content.article",  # the phone preview
    "wechat_channel.content.limits",
    "wechat_channel.credentials.services",  # assign a holder, for the demo
    "wechat_channel.health",  # each account's last callback, for /healthz
    "wechat_channel.menu",
    "wechat_channel.models",
    "wechat_channel.params",
    "wechat_channel.past",  # pushes that went out before the site ran, for the demo's history
    "wechat_channel.permissions",
    "wechat_channel.sandbox",  # its public API, for the demo
    "wechat_channel.signals",
    "wechat_channel.wechat.errors",  # WeChatCallError
}
CMS_TOP_LEVEL = {"__init__.py", "apps.py", "urls.py", "wsgi.py", "wagtail_hooks.py", "signal_handlers.py", "tasks.py"}


def modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported(path):
    """Every module `path` imports, at any depth, as dotted names (`from a import b` gives `a` and `a.b`)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def offenders(packages, rule):
    return [
        f"{path.relative_to(ROOT)}: {name}"
        for package in packages
        for path in modules(package)
        for name in imported(path)
        if rule(path, name)
    ]


def under(name, *prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_plugins_never_import_the_site():
    assert offenders(["policy_rules", "wechat_channel"], lambda _path, name: under(name, "cms", "home")) == []


def test_only_the_channels_wechat_package_imports_wechatpy():
    wechat = ROOT / "wechat_channel" / "wechat"
    assert offenders(PRODUCT, lambda path, name: under(name, "wechatpy") and wechat not in path.parents) == []


def test_the_channel_asks_the_policy_through_one_door():
    door = ROOT / "wechat_channel" / "slots.py"
    assert offenders(["wechat_channel"], lambda path, name: under(name, "policy_rules") and path != door) == []


def test_the_site_uses_the_channels_public_modules_only():
    def public(name):
        return any(under(name, module) for module in CHANNEL_PUBLIC)

    def private(_path, name):
        # `from wechat_channel.models import X` yields `wechat_channel.models` and `wechat_channel.models.X`.
        parent = name.rpartition(".")[0]
        return under(name, "wechat_channel") and name != "wechat_channel" and not public(name) and not public(parent)

    assert offenders(["cms", "home"], private) == []


def test_the_public_modules_are_the_ones_the_architecture_page_lists():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert [name for name in sorted(CHANNEL_PUBLIC) if f"`{name}`" not in page] == []


def test_cms_keeps_only_its_wiring_at_the_top_level():
    loose = sorted(path.name for path in (ROOT / "cms").glob("*.py") if path.name not in CMS_TOP_LEVEL)
    assert loose == []


# The imports that stay inside a function, and why; any other is a cycle dodged (move the code instead).
DEFERRED_IMPORTS = {
    # Django's documented place: signal receivers, checks and set-up need the app registry ready.
    ("cms/apps.py", "ready"): "AppConfig.ready",
    ("wechat_channel/apps.py", "ready"): "AppConfig.ready",
    ("policy_rules/apps.py", "ready"): "AppConfig.ready",
    # openpyxl costs 80–140 ms at every process start (python -X importtime) for a rare export (A14).
    ("wechat_channel/activity.py", "write_xlsx"): "openpyxl",
    # The same for a rare people import (issue 14).
    ("cms/people/imports/files.py", "_sheet_values"): "openpyxl",
}


def imports_in_functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield function.name, node.lineno


def test_no_import_hides_inside_a_function():
    found = {
        (str(path.relative_to(ROOT)), function, line)
        for package in PRODUCT
        for path in modules(package)
        for function, line in imports_in_functions(path)
    }
    hidden = sorted(
        f"{path}:{line} in {function}()" for path, function, line in found if (path, function) not in DEFERRED_IMPORTS
    )
    assert hidden == []
    assert {(path, function) for path, function, _line in found} >= set(DEFERRED_IMPORTS), "a stale allowance"
