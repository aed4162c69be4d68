"""`manage.py policy show|export|import|validate|dry-run|activate|rollback`."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from policy_rules.models import PolicyVersion
from tests.policy_rules.governance import END, START, facts_provider  # noqa: F401  (a fixture)


def run(*args):
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("facts_provider")
def test_the_command_line_walks_the_whole_lifecycle(db, tmp_path):
    exported = tmp_path / "policy.yaml"
    run("export", "-o", str(exported))
    exported.write_text(
        exported.read_text().replace("warning_at: 5", "warning_at: 3").replace("escalation_at: 8", "escalation_at: 6")
    )
    assert "已导入为范围“default”的草稿 v2" in run("import", str(exported), "--note", "stricter")
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n- {kind: department_errors, errors: 6, level: escalation}\n")
    assert "v2 已通过校验" in run("validate", "--version", "2", "--cases", str(cases))
    replay = run("dry-run", "--version", "2", "--from", START, "--to", END)
    assert "1 项结果有变化" in replay  # by section, as the admin lists them (issue 14 item 3)
    assert "\n差错处理级别（A20） · 1 项：\n  学生处：警告 → 上报分管领导（2026-03-07 起）\n" in replay
    # The document's changes named as the edit form names them, the file's path after it.
    assert "  一学期错误达到几次对科室负责人予以警告（A20）: 5 → 3 [discipline.warning_at]\n" in replay
    assert "范围“default”的 v2 已生效；v1 已停用" in run("activate", "--version", "2")
    listing = run("show")
    assert "v2    生效中" in listing and "v1    已停用" in listing
    assert "温职院瑞〔2018〕10号原文规定（安装时的默认政策）" in listing  # v1 as installed, in the office's words
    assert json.loads(run("show", "--version", "2", "--json"))["document"]["discipline"]["warning_at"] == 3
    shown = run("show", "--version", "2")
    assert "状态: 生效中\n" in shown and "基于: 1\n" in shown and "修改说明: stricter\n" in shown
    # Times as the admin shows them, in the site's time zone (Asia/Shanghai), not ISO UTC with microseconds.
    version = PolicyVersion.objects.get(number=2)
    local = timezone.localtime(version.activated_at)
    assert f"生效时间: {local:%Y-%m-%d %H:%M:%S}\n" in shown and "+00:00" not in shown
    assert f"v2    生效中     {timezone.localtime(version.created_at):%Y-%m-%d %H:%M}" in listing
    assert "已回滚：范围“default”的 v1 重新生效" in run("rollback")
    event = PolicyVersion.objects.get(number=2).events.get(action="activated")
    assert event.data["source"] == "manage.py" and event.actor is None


def test_command_line_errors_are_clear(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("discipline: {warning_at: 8, escalation_at: 5}\n")
    with pytest.raises(CommandError) as invalid:
        run("import", str(bad))
    assert invalid.value.returncode == 2
    # What it is about as the edit form labels it, the problem in words, then where it is in the file.
    assert str(invalid.value) == (
        "政策文档有误：\n  差错处理（A20）：报分管领导的错误次数（5）须大于予以警告的错误次数（8）。 [discipline]"
    )
    with pytest.raises(CommandError, match="只有已校验的版本才能启用") as refused:
        run("activate", "--version", "1")
    assert refused.value.returncode == 1
    with pytest.raises(CommandError, match="没有第 9 版"):
        run("validate", "--version", "9")
    assert PolicyVersion.objects.count() == 1
