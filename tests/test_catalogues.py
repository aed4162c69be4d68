"""Every app's catalogue of translations: complete, Chinese, compiled, and holding every string its code wraps.

Each app has its own catalogue, so a plugin speaks Chinese without the site: the site's (`cms`, `home`,
`templates`) is locale/zh_Hans/LC_MESSAGES/django.po; `wechat_channel` and `policy_rules` keep theirs in their own
`locale/`. Each .po is compiled to django.mo and committed, so machines without gettext still serve Chinese. After
adding or changing a wrapped string (makemessages run at the root fills each app's own catalogue when its
`locale/` exists; the site's is the root's):

    .venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench --no-obsolete
    (translate the new entries, using the regulation's own terms)
    .venv/bin/python manage.py compilemessages --ignore=.venv
"""

import ast
import gettext
import re
import shutil
import subprocess
from collections import namedtuple
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.utils.translation import trans_real

from tests.catalogues import read_po

Catalogue = namedtuple("Catalogue", "po sources header entries")

BASE_DIR = Path(settings.BASE_DIR)
# (the .po, the folders whose strings it must hold: where makemessages looks for them)
CATALOGUES = {
    "site": (BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po", ["cms", "home", "templates"]),
    "wechat_channel": (
        BASE_DIR / "wechat_channel" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
        ["wechat_channel"],
    ),
    "policy_rules": (BASE_DIR / "policy_rules" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po", ["policy_rules"]),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
REGULATION_REF = re.compile(r"\bA\d+(?:\.\d+)*\b")
NOTHING_TO_TRANSLATE = re.compile(r"%\(\w+\)[sdif]|\{\w+\}|<[^>]*>|[^A-Za-z]")
WECHATS_OWN_TERMS = {"openid", "AppID"}


def translations(entry):
    return [value for key, value in entry.items() if key == "msgstr" or key.startswith("msgstr[")]


@pytest.fixture(scope="module", params=sorted(CATALOGUES))
def catalogue(request):
    po, sources = CATALOGUES[request.param]
    entries = read_po(po)
    header = [e for e in entries if e.get("msgid") == ""]
    assert len(header) == 1, "the catalogue has exactly one header entry"
    return Catalogue(po, sources, header[0], [e for e in entries if e.get("msgid")])


# -- the catalogue -----------------------------------------------------------------------------


def test_catalogue_header(catalogue):
    header = catalogue.header
    assert "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "charset=UTF-8" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;" in header["msgstr"]


def test_every_string_is_translated(catalogue):
    entries = catalogue.entries
    assert entries, "the catalogue is empty"
    untranslated = [e["msgid"] for e in entries if not all(t.strip() for t in translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (check and clear the flag): {fuzzy}"


def test_translations_keep_placeholders_and_regulation_references(catalogue):
    entries = catalogue.entries
    wrong = []
    for entry in entries:
        expected_placeholders = sorted(set(PLACEHOLDER.findall(entry["msgid"])))
        expected_refs = sorted(REGULATION_REF.findall(entry["msgid"]))
        for text in translations(entry):
            if (
                sorted(set(PLACEHOLDER.findall(text))) != expected_placeholders
                or sorted(regulation_refs(text)) != expected_refs
            ):
                wrong.append((entry["msgid"], text))
    assert not wrong


NUMERALS = "零一二三四五六七八九"
ARTICLE = re.compile(r"第([一二三四五六七八九十]{1,3})条")


def article_number(chinese):
    """十三 → 13, 二十二 → 22, 七 → 7 (the regulation has 22 articles)."""
    tens, _, units = chinese.rpartition("十")
    if "十" not in chinese:
        return NUMERALS.index(chinese)
    return (NUMERALS.index(tens) if tens else 1) * 10 + (NUMERALS.index(units) if units else 0)


def regulation_refs(text):
    """The regulation's references in a translation: as the English writes them (A13, A6.5.2), or a whole article
    in the regulation's own words (第十三条 for A13)."""
    return [*REGULATION_REF.findall(text), *(f"A{article_number(n)}" for n in ARTICLE.findall(text))]


def test_translations_are_chinese(catalogue):
    """Every translation contains Chinese: an English msgstr copied from the msgid is a forgotten string. Exempt:
    a msgid of placeholders and punctuation only, and WeChat's own terms, which its Chinese documentation keeps."""
    entries = catalogue.entries
    han = re.compile(r"[\u4e00-\u9fff]")
    not_chinese = [
        e["msgid"]
        for e in entries
        for t in translations(e)
        if NOTHING_TO_TRANSLATE.sub("", e["msgid"]) and e["msgid"] not in WECHATS_OWN_TERMS and not han.search(t)
    ]
    assert not not_chinese


def test_compiled_catalogue_matches_the_po(catalogue):
    """django.mo is committed: it must hold exactly what the .po says (mtimes are meaningless in a checkout)."""
    entries = catalogue.entries
    mo = catalogue.po.with_suffix(".mo")
    assert mo.exists(), "run compilemessages"
    with mo.open("rb") as f:
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
def test_msgfmt_accepts_the_catalogue(catalogue):
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalogue.po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- the catalogue covers the source -----------------------------------------------------------

GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}
PGETTEXT_FUNCTIONS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TRANS_TAG = re.compile(
    r"""\{%\s*(?:trans|translate)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')(?:\s+context\s+("[^"]*"|'[^']*'))?"""
)


def source_files(directories, suffixes):
    for directory in directories:
        for path in sorted((BASE_DIR / directory).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def _constants(args):
    return [arg.value for arg in args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]


def wrapped_python_strings(directories):
    """(path, line, (context, msgid)) of every gettext/pgettext call with literal arguments."""
    for path in source_files(directories, {".py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            strings = _constants(node.args[:2])
            if node.func.id in GETTEXT_FUNCTIONS and strings:
                yield path, node.lineno, (None, strings[0])
            elif node.func.id in PGETTEXT_FUNCTIONS and len(strings) == 2:
                yield path, node.lineno, tuple(strings)


def wrapped_template_strings(directories):
    for path in source_files(directories, {".html", ".txt"}):
        text = path.read_text(encoding="utf-8")
        for match in TRANS_TAG.finditer(text):
            context = match.group(2)[1:-1] if match.group(2) else None
            yield path, text.count("\n", 0, match.start()) + 1, (context, match.group(1)[1:-1])


def test_catalogue_has_every_wrapped_string(catalogue):
    """A string wrapped in code or a {% trans %} tag but missing from the catalogue shows in English."""
    entries = catalogue.entries
    known = {(e.get("msgctxt"), e["msgid"]) for e in entries}
    missing = [
        f"{path.relative_to(BASE_DIR)}:{line}: {key!r}"
        for path, line, key in [
            *wrapped_python_strings(catalogue.sources),
            *wrapped_template_strings(catalogue.sources),
        ]
        if key[1] and key not in known
    ]
    assert not missing, "run makemessages and translate:\n" + "\n".join(missing)


# -- Wagtail's own strings ---------------------------------------------------------------------

WAGTAIL_PO = BASE_DIR / "locale" / "upstream" / "zh_Hans" / "LC_MESSAGES"
# Text that needs no translation: placeholders, markup and punctuation only.


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
    for po, _sources in CATALOGUES.values():
        for entry in read_po(po):
            msgid = entry.get("msgid")
            if not msgid or "msgctxt" in entry or msgid in SAME_MEANING_OTHER_WORDS:
                continue
            if set(translations(entry)) - upstream.get(msgid, set(translations(entry))):
                collisions.append((msgid, translations(entry), sorted(upstream[msgid])))
    assert not collisions
