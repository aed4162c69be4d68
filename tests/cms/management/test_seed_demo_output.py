"""What `manage.py seed_demo` prints once the demo is seeded: the addresses and logins, in the operator's language
and in straight columns under Chinese labels. The seeding itself (tests/cms/demo) is replaced by its logins."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from cms.demo.site import DEMO_PASSWORD
from policy_rules.cli.help_format import display_width

LOGINS = [("admin", "超级管理员 / superuser"), ("contributor", "投稿人"), ("head_student", "科室负责人")]


@pytest.fixture
def printed(monkeypatch):
    monkeypatch.setattr("cms.management.commands.seed_demo.seed_demo", lambda: LOGINS)

    def run(language):
        out = StringIO()
        with translation.override(language):
            call_command("seed_demo", stdout=out, no_color=True)
        return out.getvalue().splitlines()

    return run


def column_after(line, label):
    """The terminal column where the text after `label` starts."""
    rest = line[line.index(label) + len(label) :]
    return display_width(line[: line.index(label) + len(label)]) + len(rest) - len(rest.lstrip())


def test_seed_demo_prints_its_addresses_in_chinese_in_one_column(printed):
    lines = printed("zh-hans")

    assert lines[0] == "公众号管理演示站点已就绪。"
    labels = ["网站：", "管理后台：", "投稿：", "举报："]
    address_lines = lines[1:5]
    assert [line.split()[0] for line in address_lines] == labels
    assert [line.split()[1] for line in address_lines] == [
        "http://testserver/",
        "http://testserver/admin/",
        "http://testserver/contribute/",
        "http://testserver/report/",
    ]
    assert len({column_after(line, label) for line, label in zip(address_lines, labels, strict=True)}) == 1
    assert lines[5] == f"  所有演示账号的密码：{DEMO_PASSWORD}"
    assert [line.split(maxsplit=1) for line in lines[6:]] == [list(login) for login in LOGINS]
    assert len({display_width(line) - display_width(line.rstrip().split(maxsplit=1)[1]) for line in lines[6:]}) == 1


def test_seed_demo_prints_in_english_for_an_english_site(printed):
    lines = printed("en")

    assert lines[0] == "Newsroom demo is ready."
    assert lines[1].split() == ["Site:", "http://testserver/"]
    assert lines[5] == f"  Password for every demo login: {DEMO_PASSWORD}"
