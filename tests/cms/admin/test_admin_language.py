"""Every main admin screen reads in Chinese for every role (item 7): no English UI string Wagtail or we translate.

The walk signs in as each role with the default language (zh-hans), opens the dashboard, the page explorer,
the create and edit views of an article, the workflow modal, the reports, the account preferences, the images
and documents and every admin page the project registers, and collects what a reader sees: text nodes, the
placeholder, title and aria-label attributes, and the labels of the sidebar menu (JSON the sidebar renders).
A text equal to a msgid that zh-hans translates (or that Wagtail ships untranslated) is English leaking through.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import trans_real

from cms.demo.site import ensure_site
from tests.catalogues import read_po
from tests.cms.admin.permission_matrix import ROLE_USERS, build_world, clients, path_of, project_admin_url_names
from tests.factories import make_article
from wechat_channel.wechat import client as wechat_client

VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
HIDDEN_ELEMENTS = {"script", "style"}
LATIN = re.compile(r"[A-Za-z]{2}")
WAGTAIL_SCREENS = [
    "/admin/",
    "/admin/pages/",
    "/admin/account/",
    "/admin/images/",
    "/admin/documents/",
    "/admin/reports/locked/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/workflows/list/",
    "/admin/workflows/tasks/index/",
    "/admin/users/",
]


class VisibleText(HTMLParser):
    """What a reader sees: text outside scripts and `hidden` elements, some attributes, the sidebar's JSON labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self._hidden, self._hidden_tag, self._json = [], 0, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._hidden_tag == tag:
            self._hidden += 1
        elif not self._hidden and (tag in HIDDEN_ELEMENTS or "hidden" in attrs):
            self._hidden_tag, self._hidden = tag, 1
            self._json = attrs.get("type") == "application/json"
        self.texts += [value for name, value in attrs.items() if name in VISIBLE_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag == self._hidden_tag:
            self._hidden -= 1
            if not self._hidden:
                self._hidden_tag, self._json = None, False

    def handle_data(self, data):
        if self._json and data.strip():
            self.texts += list(_json_labels(json.loads(data)))
        elif not self._hidden:
            self.texts.append(data)


def _json_labels(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in {"label", "title", "placeholder"} and isinstance(item, str):
                yield item
            else:
                yield from _json_labels(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_labels(item)


def visible_texts(html):
    parser = VisibleText()
    parser.feed(html)
    return {" ".join(text.split()) for text in parser.texts} - {""}


def english_ui_strings():
    """msgids of Wagtail, Django and the project that zh-hans does not show as they are (all but 'CSV', 'openid')."""
    catalogue = trans_real.translation("zh-hans")._catalog
    sources = [Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"]
    sources += [Path(app.path) / "locale" / "en" / "LC_MESSAGES" / "django.po" for app in apps.get_app_configs()]
    sources += [Path(app.path) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po" for app in apps.get_app_configs()]
    english = set()
    for po in sources:
        if not po.exists():
            continue
        for entry in read_po(po):
            msgid = entry.get("msgid", "")
            if "msgctxt" not in entry and "%" not in msgid and LATIN.search(msgid) and catalogue.get(msgid) != msgid:
                english.add(" ".join(msgid.split()))
    return english


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission matrix's world and an article awaiting review; its WeChat refuses without the client's retry
    pauses (1.5 s for each menu-change screen that shows the current menu)."""
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock(), transaction.atomic():
        patch.setattr(wechat_client, "RETRY_BACKOFF_SECONDS", 0)
        _home, index = ensure_site()
        objects = build_world(index)
        awaiting = make_article(
            index, owner=objects["users"]["contributor"], department=objects["departments"], title="待审稿件"
        )
        awaiting.get_workflow().start(awaiting, objects["users"]["office"])
        awaiting.refresh_from_db()
        objects.update(index=index, awaiting=awaiting, english=english_ui_strings())
        yield objects
        transaction.set_rollback(True)
    cache.clear()


def screens(world):
    """Every screen of the walk: Wagtail's main ones, the article's, then the project's own admin pages."""
    article, awaiting, index = world["article"], world["awaiting"], world["index"]
    state = awaiting.current_workflow_task_state
    yield from WAGTAIL_SCREENS
    yield f"/admin/pages/{index.pk}/"
    yield f"/admin/pages/{article.pk}/edit/"
    yield f"/admin/pages/{awaiting.pk}/edit/"
    yield f"/admin/pages/{article.pk}/history/"
    yield f"/admin/pages/add/cms/articlepage/{index.pk}/"
    yield reverse("wagtailadmin_pages:workflow_action", args=[awaiting.pk, "approve", state.pk])
    yield reverse("wagtailadmin_pages:workflow_action", args=[awaiting.pk, "reject", state.pk])
    for name in sorted(project_admin_url_names()):
        yield path_of(name, world)


@pytest.mark.parametrize("role", [role for role, user in ROLE_USERS.items() if user])
def test_admin_screens_read_in_chinese(role, world, db):
    client = clients(world["users"])[role]
    leaks, walked = {}, 0
    # The world's data, not the interface: usernames, a failed task named "failed", the account "default".
    data = {user.get_username() for user in world["users"].values()} | {"failed", "default"}
    for path in screens(world):
        response = client.get(path)
        assert response.status_code < 500, f"{role} GET {path}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        walked += 1
        html = response.content.decode()
        if response.get("Content-Type", "").startswith("application/json"):
            html = json.loads(html).get("html", "")
        english = visible_texts(html) & world["english"] - data
        if english:
            leaks[path] = sorted(english)
    assert walked >= 5, f"{role} saw too few screens"
    assert not leaks, f"{role} sees English:\n" + "\n".join(f"{p}: {t}" for p, t in leaks.items())
