"""The site's commands (`calendar`, `people`, `seed_demo`) say what they do in the operator's language: Chinese by
default (LANGUAGE_CODE zh-hans), English when asked for; option names and literal values stay as typed."""

import pytest
from django.core.management import call_command, load_command_class
from django.utils import translation

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def no_locale(monkeypatch):
    """A shell that names no language: the site's, zh-hans."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def help_of(name, *words, capsys):
    """What `manage.py NAME WORDS --help` prints, as the shell runs it."""
    with pytest.raises(SystemExit) as exit_:
        load_command_class("cms", name).run_from_argv(["manage.py", name, *words, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def unbroken(help_text):
    """The help without spaces or line breaks: a line of Chinese may break anywhere."""
    return "".join(help_text.split())


def test_calendar_import_help_is_chinese_by_default(no_locale, capsys):
    text = help_of("calendar", "import", capsys=capsys)

    assert "用法：manage.py calendar import [-h] [--dry-run] [--language {zh-hans,en}] 文件" in text
    assert "检查、预览并保存文件中的年度节假日安排。" in unbroken(text)
    assert "--dry-run检查并显示将有哪些变化，不保存" in unbroken(text)


def test_calendar_help_in_english_when_the_operator_asks(no_locale, capsys):
    text = " ".join(help_of("calendar", "import", "--language", "en", capsys=capsys).split())

    assert "Check, preview and save a year arrangement from FILE." in text
    assert "--dry-run check and show what would change, save nothing" in text


def printed_help(*words, capsys):
    """What call_command prints for `WORDS --help`, in the language active now."""
    with pytest.raises(SystemExit):
        call_command(*words, "--help")
    return capsys.readouterr().out


def test_people_import_help_follows_the_active_language(capsys):
    with translation.override("zh-hans"):
        assert "人员：从XLSX或CSV文件导入科室、人员和角色。" in unbroken(printed_help("people", capsys=capsys))
        text = printed_help("people", "import", capsys=capsys)
    assert "people import [-h] [--dry-run] 文件" in text
    assert "--dry-run仅预演：显示导入计划，不作任何更改" in unbroken(text)
    with translation.override("en"):
        text = " ".join(printed_help("people", "import", capsys=capsys).split())
    assert "--dry-run show the plan, change nothing" in text
    assert "FILE the XLSX or CSV file" in text


def test_seed_demo_help_follows_the_active_language():
    parser = load_command_class("cms", "seed_demo").create_parser("manage.py", "seed_demo")

    with translation.override("zh-hans"):
        assert "创建演示站点：科室、每个角色一个登录账号、各审核阶段的稿件。" in unbroken(parser.format_help())
    with translation.override("en"):
        assert "Create the demo site: departments, one login per role" in " ".join(parser.format_help().split())
