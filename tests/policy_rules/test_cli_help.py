"""`manage.py policy … --help` in the operator's language: Chinese by default (LANGUAGE_CODE), English when asked
for, with argparse's own %(default)s filled in and the help's column straight under Chinese options."""

import pytest
from django.core.management import load_command_class
from django.utils import translation

from policy_rules.cli.help_format import display_width

LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def no_locale(monkeypatch):
    """A shell that names no language: the site's, zh-hans."""
    for name in LOCALE_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def help_of(*words, capsys):
    """What `manage.py policy WORDS --help` prints, as the shell runs it."""
    command = load_command_class("policy_rules", "policy")
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["manage.py", "policy", *words, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def read(help_text):
    """The help as one run of words: lines wrap Chinese anywhere, so the test looks past the breaks."""
    return " ".join(help_text.split())


def unbroken(help_text):
    """The help without spaces or line breaks, for Chinese sentences a line may break anywhere."""
    return "".join(help_text.split())


def column_of(help_text, words):
    """The terminal column where `words` start on their line."""
    line = next(line for line in help_text.splitlines() if words in line)
    return display_width(line[: line.index(words)])


def test_the_policys_help_is_chinese_by_default(no_locale, capsys):
    text = unbroken(help_of(capsys=capsys))

    assert "政策：检查推送时间、计算事实数据，查看、导出、导入、校验、试运行、生效版本；年度考核建议（A22）。" in text
    assert "子命令" in text
    assert "-h,--help显示此帮助并退出" in text  # argparse's and Django's own words too
    assert "--skip-checks跳过系统检查。" in text
    assert "dry-run按生效版本和此版本分别重算过去的一段时间，列出每一处变化。" in text


def test_a_sub_commands_help_is_chinese_with_its_default_and_straight_columns(no_locale, capsys):
    text = help_of("export", capsys=capsys)

    assert "输出格式（默认：yaml）" in text  # argparse's %(default)s, in a lazy translation
    assert "--version 版本号" in text
    # The help of an option named in Chinese starts in the same column as the others'.
    assert column_of(text, "要导出的版本（默认：生效版本）") == column_of(text, "输出格式（默认：yaml）")


def test_chinese_help_fits_the_terminal_and_breaks_lines_where_chinese_does(no_locale, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "60")
    text = help_of("import", capsys=capsys)
    below_usage = text[text.index("\n\n") :].splitlines()

    assert max(display_width(line) for line in below_usage) <= 60
    assert not [line for line in below_usage if line.strip()[:1] in set("，。、；：）")]
    assert not [line for line in below_usage if line.rstrip()[-1:] == "（"]
    assert "只含部分内容的文档合并到生效版本上" in unbroken(text)


def test_dry_run_help_in_english_when_the_operator_asks(no_locale, capsys):
    text = read(help_of("dry-run", "--language", "en", capsys=capsys))

    assert "Replay a past period under the active version and this one; list every change." in text
    assert "--version N" in text
    assert "试运行" not in text


def test_the_help_follows_the_shells_locale(monkeypatch, capsys):
    monkeypatch.setenv("LANGUAGE", "en_GB.UTF-8")

    assert "output format (default: yaml)" in help_of("export", capsys=capsys)


def test_the_parser_prints_in_the_language_active_when_it_prints():
    parser = load_command_class("policy_rules", "policy").create_parser("manage.py", "policy")

    with translation.override("en"):
        assert "the annual assessment (A22)." in read(parser.format_help())
    with translation.override("zh-hans"):
        assert "年度考核建议（A22）。" in unbroken(parser.format_help())
