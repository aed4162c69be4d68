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

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from cms.models import SendBackReason

BASE_DIR = Path(settings.BASE_DIR)
PO = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Where makemessages looks for strings (it ignores .venv, tests and bench).
SOURCE_DIRS = ["cms", "home", "templates"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
REGULATION_REF = re.compile(r"\bA\d+(?:\.\d+)*\b")


# -- a small .po reader (polib is not a dependency) ---------------------------------------------


def _unquote(literal):
    return ast.literal_eval(literal)


def read_po(path=PO):
    """The catalogue's entries: dicts with 'flags', and 'msgid', 'msgid_plural', 'msgstr', 'msgstr[N]'."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, key = {"flags": set()}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += _unquote(line)
            else:
                key, literal = line.split(" ", 1)
                entry[key] = _unquote(literal)
        entries.append(entry)
    return entries


def translations(entry):
    return [value for key, value in entry.items() if key == "msgstr" or key.startswith("msgstr[")]


@pytest.fixture(scope="module")
def catalogue():
    entries = read_po()
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
            if sorted(set(PLACEHOLDER.findall(text))) != expected_placeholders:
                wrong.append((entry["msgid"], text))
            elif sorted(REGULATION_REF.findall(text)) != expected_refs:
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
    stale = []
    for entry in entries:
        if "msgid_plural" in entry:
            got = compiled.ngettext(entry["msgid"], entry["msgid_plural"], 1)
            want = entry["msgstr[0]"]
        else:
            got, want = compiled.gettext(entry["msgid"]), entry["msgstr"]
        if got != want:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is out of date, run compilemessages: {stale}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_catalogue():
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# -- the catalogue covers the source -----------------------------------------------------------

GETTEXT_FUNCTIONS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}
TRANS_TAG = re.compile(r"""\{%\s*(?:trans|translate)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def source_files(suffixes):
    for directory in SOURCE_DIRS:
        for path in sorted((BASE_DIR / directory).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def wrapped_python_strings():
    for path in source_files({".py"}):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_FUNCTIONS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield path, node.lineno, node.args[0].value


def wrapped_template_strings():
    for path in source_files({".html", ".txt"}):
        text = path.read_text(encoding="utf-8")
        for match in TRANS_TAG.finditer(text):
            yield path, text.count("\n", 0, match.start()) + 1, match.group(1)[1:-1]


def test_catalogue_has_every_wrapped_string(catalogue):
    """A string wrapped in code or a {% trans %} tag but missing from the catalogue shows in English."""
    _header, entries = catalogue
    known = {e["msgid"] for e in entries}
    missing = [
        f"{path.relative_to(BASE_DIR)}:{line}: {msgid!r}"
        for path, line, msgid in [*wrapped_python_strings(), *wrapped_template_strings()]
        if msgid and msgid not in known
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
