"""`manage.py wechat_sandbox --help` in the operator's language: Chinese by default (LANGUAGE_CODE zh-hans), English
on an English site, with argparse's %(default)s filled in; option names and WeChat's own names stay as typed."""

import pytest
from django.core.management import call_command
from django.utils import translation


def printed_help(capsys):
    with pytest.raises(SystemExit):
        call_command("wechat_sandbox", "--help")
    return capsys.readouterr().out


def test_the_sandboxs_help_is_chinese(capsys):
    with translation.override("zh-hans"):
        text = printed_help(capsys)

    assert "运行本地HTTP沙箱，像api.weixin.qq.com一样应答" in "".join(text.split())
    assert "  --port 端口           监听的端口（默认：8765）" in text  # the help column straight after Chinese
    assert "--account APPID:SECRET" in text
    assert "默认：演示公众号AppIDwx0000000000000000" in "".join(text.split())


def test_the_sandboxs_help_in_english(capsys):
    with translation.override("en"):
        text = " ".join(printed_help(capsys).split())

    assert "Serve a local HTTP sandbox that answers like api.weixin.qq.com" in text
    assert "--port PORT the port to listen on (default: 8765)" in text
    assert "Default: the demo AppID wx0000000000000000" in text
