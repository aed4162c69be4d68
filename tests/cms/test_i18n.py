"""Chinese first: zh-hans is the default language, English is available (LANGUAGE_CODE, LocaleMiddleware).

The catalogue is locale/zh_Hans/LC_MESSAGES/django.po, compiled to django.mo and committed, so machines
without gettext still serve Chinese. After adding or changing a wrapped string:

    .venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
    (translate the new entries, using the regulation's own terms)
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as gettext_
from django.utils.translation import pgettext, trans_real

from cms.models import SendBackReason
from tests.catalogues import read_po

BASE_DIR = Path(settings.BASE_DIR)
PO = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Where makemessages looks for strings (it ignores .venv, tests and bench).
SOURCE_DIRS = ["cms", "home", "templates"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
REGULATION_REF = re.compile(r"\bA\d+(?:\.\d+)*\b")


def translations(entry):
    return [value for key, value in entry.items() if key == "msgstr" or key.startswith("msgstr[")]


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po(PO)
    header = [e for e in entries if e.get("msgid") == ""]
    assert len(header) == 1, "the catalogue has exactly one header entry"
    return header[0], [e for e in entries if e.get("msgid")]


# -- the catalogue -----------------------------------------------------------------------------


def test_catalogue_header(catalogue):
    header, _entries = catalogue
    assert "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"]


def test_every_string_is_translated(catalogue):
    _header, entries = catalogue
    assert entries, "the catalogue is empty"
    untranslated = [e["msgid"] for e in entries if not all(t.strip() for t in translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (check and clear the flag): {fuzzy}"


def test_translations_keep_placeholders_and_regulation_references(catalogue):
    _header, entries = catalogue
    wrong = []
    for entry in entries:
        expected_placeholders = sorted(set(PLACEHOLDER.findall(entry["msgid"])))
        expected_refs = sorted(REGULATION_REF.findall(entry["msgid"]))
        for text in translations(entry):
            if (
                sorted(set(PLACEHOLDER.findall(text))) != expected_placeholders
                or sorted(REGULATION_REF.findall(text)) != expected_refs
            ):
                wrong.append((entry["msgid"], text))
    assert not wrong


def test_translations_are_chinese(catalogue):
    """Every translation contains Chinese: an English msgstr copied from the msgid is a forgotten string."""
    _header, entries = catalogue
    han = re.compile(r"[\u4e00-\u9fff]")
    not_chinese = [e["msgid"] for e in entries for t in translations(e) if not han.search(t)]
    assert not not_chinese


def test_compiled_catalogue_matches_the_po(catalogue):
    """django.mo is committed: it must hold exactly what the .po says (mtimes are meaningless in a checkout)."""
    _header, entries = catalogue
    assert MO.exists(), "run compilemessages"
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = stale_entries(entries, compiled)
    assert not stale, f"django.mo is out of date, run compilemessages: {stale}"


def stale_entries(entries, compiled):
    """The msgids whose compiled translation differs from the .po's."""
    stale = []
    for entry in entries:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            args = (entry["msgid"], entry["msgid_plural"], 1)
            got = compiled.npgettext(context, *args) if context else compiled.ngettext(*args)
            want = entry["msgstr[0]"]
        else:
            got = compiled.pgettext(context, entry["msgid"]) if context else compiled.gettext(entry["msgid"])
            want = entry["msgstr"]
        if got != want:
            stale.append(entry["msgid"])
    return stale


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_catalogue():
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- the catalogue covers the source -----------------------------------------------------------

GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}
PGETTEXT_FUNCTIONS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TRANS_TAG = re.compile(
    r"""\{%\s*(?:trans|translate)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')(?:\s+context\s+("[^"]*"|'[^']*'))?"""
)


def source_files(suffixes):
    for directory in SOURCE_DIRS:
        for path in sorted((BASE_DIR / directory).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def _constants(args):
    return [arg.value for arg in args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]


def wrapped_python_strings():
    """(path, line, (context, msgid)) of every gettext/pgettext call with literal arguments."""
    for path in source_files({".py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            strings = _constants(node.args[:2])
            if node.func.id in GETTEXT_FUNCTIONS and strings:
                yield path, node.lineno, (None, strings[0])
            elif node.func.id in PGETTEXT_FUNCTIONS and len(strings) == 2:
                yield path, node.lineno, tuple(strings)


def wrapped_template_strings():
    for path in source_files({".html", ".txt"}):
        text = path.read_text(encoding="utf-8")
        for match in TRANS_TAG.finditer(text):
            context = match.group(2)[1:-1] if match.group(2) else None
            yield path, text.count("\n", 0, match.start()) + 1, (context, match.group(1)[1:-1])


def test_catalogue_has_every_wrapped_string(catalogue):
    """A string wrapped in code or a {% trans %} tag but missing from the catalogue shows in English."""
    _header, entries = catalogue
    known = {(e.get("msgctxt"), e["msgid"]) for e in entries}
    missing = [
        f"{path.relative_to(BASE_DIR)}:{line}: {key!r}"
        for path, line, key in [*wrapped_python_strings(), *wrapped_template_strings()]
        if key[1] and key not in known
    ]
    assert not missing, "run makemessages and translate:\n" + "\n".join(missing)


# -- what people see ---------------------------------------------------------------------------


def test_choice_labels_follow_the_active_language():
    with translation.override("zh-hans"):
        assert str(SendBackReason.TYPO.label) == "错别字"
    with translation.override("en"):
        assert str(SendBackReason.TYPO.label) == "Wrong characters (typos)"


def test_default_language_is_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_home_page_is_chinese_by_default(site_tree):
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert ">首页</a>" in html
    assert ">投稿</a>" in html


def test_home_page_in_english_on_request(site_tree):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Home</a>" in html
    assert ">Contribute</a>" in html


def test_contribution_form_is_chinese_by_default(site_tree):
    response = Client().get("/contribute/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    labels = ["投稿", "您的稿件", "标题", "正文", "姓名", "学号或工号", "身份", "科室", "电子邮箱", "投稿名义", "提交"]
    for label in labels:
        assert label in html, label
    assert "以科室名义投稿的，不计个人奖励 (A19)。" in html
    assert "Student or staff number" not in html


def test_contribution_form_in_english_with_accept_language(site_tree):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/contribute/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for label in ["Your material", "Title", "Text", "Your name", "Student or staff number", "On whose behalf"]:
        assert label in html, label
    assert "学号或工号" not in html


# -- Wagtail's own strings ---------------------------------------------------------------------

WAGTAIL_PO = BASE_DIR / "locale" / "upstream" / "zh_Hans" / "LC_MESSAGES"
# Text that needs no translation: placeholders, markup and punctuation only.
NOTHING_TO_TRANSLATE = re.compile(r"%\(\w+\)[sdif]|\{\w+\}|<[^>]*>|[^A-Za-z]")


def wagtail_msgids(domain):
    """(app, context, msgid) of every string Wagtail's installed apps translate, from their English catalogues."""
    for app in apps.get_app_configs():
        po = Path(app.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if app.name.startswith("wagtail") and po.exists():
            for entry in read_po(po):
                if entry.get("msgid") and NOTHING_TO_TRANSLATE.sub("", entry["msgid"]):
                    yield app, entry.get("msgctxt"), entry["msgid"]


def runtime_catalogue(domain, app):
    """What zh-hans readers get: every catalogue merged in Django's order (for JavaScript, as Wagtail's jsi18n)."""
    if domain == "django":
        return trans_real.translation("zh-hans")._catalog
    return trans_real.DjangoTranslation("zh-hans", domain=domain, localedirs=[str(Path(app.path) / "locale")])._catalog


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_string_reads_in_chinese(domain):
    """Wagtail 8's zh_Hans leaves some admin strings in English ("Search all pages…", "Shortcuts"): we ship them."""
    missing = [
        f"{app.name}: {msgid!r}"
        for app, context, msgid in wagtail_msgids(domain)
        if (f"{context}\x04{msgid}" if context else msgid) not in runtime_catalogue(domain, app)
        and (msgid, 0) not in runtime_catalogue(domain, app)
    ]
    assert not missing, f"translate in {WAGTAIL_PO}/{domain}.po:\n" + "\n".join(missing)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_wagtail_supplement_is_compiled_checked_and_chinese(domain):
    po = WAGTAIL_PO / f"{domain}.po"
    entries = [e for e in read_po(po) if e.get("msgid")]
    with po.with_suffix(".mo").open("rb") as f:
        assert not stale_entries(entries, gettext.GNUTranslations(f)), "run compilemessages"
    han = re.compile(r"[\u4e00-\u9fff]")
    not_chinese = [
        e["msgid"]
        for e in entries
        for t in translations(e)
        if NOTHING_TO_TRANSLATE.sub("", e["msgid"]) and not han.search(t)
    ]
    assert not not_chinese
    for entry in entries:
        for text in translations(entry):
            expected = set(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
            assert set(PLACEHOLDER.findall(text)) == expected, entry["msgid"]
    if shutil.which("msgfmt"):
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_wagtails_account_is_the_users_and_ours_is_the_wechat_account():
    with translation.override("zh-hans"):
        assert gettext_("Account") == "账号"  # the sidebar's account menu, the preferences page
        assert pgettext("WeChat", "Account") == "公众号"
        assert pgettext("WeChat", "Accounts") == "公众号"
        assert gettext_("Light") == "浅色"  # Wagtail's theme preference, not the article category
        assert pgettext("article category", "Light") == "轻松"
        assert gettext_("Search all pages…") == "搜索全部页面…"
    with translation.override("en"):
        assert pgettext("WeChat", "Account") == "Account"


# Where our catalogue deliberately words a string Wagtail or Django also uses, with the same meaning, in the
# regulation's or the site's words. Any other shared msgid with another translation is a collision: one meaning
# overrides the other everywhere (as 公众号 once did for the user's "Account"). Give ours a pgettext context.
SAME_MEANING_OTHER_WORDS = {
    "Image", "All", "Text", "Add images", "Name", "name", "In progress", "owner", "Owner", "active", "Rejected",
    "Reject", "comment", "Comment", "Approve with comment", "Filter", "Summary", "Download CSV", "Page not found",
    "created at", "Created", "Edited", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Actions", "Show", "slug",
    "scheduled", "Format", "From",
}  # fmt: skip


def upstream_translations():
    """{msgid: {translation}} of Wagtail's and Django's own zh_Hans catalogues (no contexts)."""
    found = {}
    roots = [Path(app.path) for app in apps.get_app_configs() if app.name.startswith(("wagtail", "django.contrib"))]
    roots.append(Path(django.__file__).parent / "conf")
    for root in roots:
        for po in (root / "locale" / "zh_Hans" / "LC_MESSAGES").glob("*.po"):
            for entry in read_po(po):
                if entry.get("msgid") and "msgctxt" not in entry:
                    found.setdefault(entry["msgid"], set()).update(t for t in translations(entry) if t)
    return found


def test_our_catalogues_do_not_change_the_meaning_of_wagtails_words():
    upstream = upstream_translations()
    collisions = []
    for po in [PO, *(BASE_DIR / plugin / PO.relative_to(BASE_DIR) for plugin in ("policy_rules", "wechat_channel"))]:
        for entry in read_po(po):
            msgid = entry.get("msgid")
            if not msgid or "msgctxt" in entry or msgid in SAME_MEANING_OTHER_WORDS:
                continue
            if set(translations(entry)) - upstream.get(msgid, set(translations(entry))):
                collisions.append((msgid, translations(entry), sorted(upstream[msgid])))
    assert not collisions
