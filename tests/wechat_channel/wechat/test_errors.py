"""Every WeChat failure classified, with advice in Chinese and English."""

import pytest
from django.utils import translation

from wechat_channel.wechat.errors import CONNECTION, HTTP, TIMEOUT, WeChatCallError, classify

TABLE = {
    -1: "retryable",
    40001: "token",
    40007: "permanent",
    40013: "permanent",
    40014: "token",
    40125: "permanent",
    40164: "permanent",
    41001: "token",
    42001: "token",
    44003: "permanent",
    45002: "permanent",
    45003: "permanent",
    45004: "permanent",
    45005: "permanent",
    45008: "permanent",
    45009: "permanent",
    45011: "retryable",
    45028: "permanent",
    45065: "permanent",
    45166: "permanent",
    47001: "permanent",
    48001: "permanent",
    53501: "retryable",
    53503: "permanent",
    53504: "permanent",
    53505: "permanent",
    88000: "permanent",
    TIMEOUT: "retryable",
    CONNECTION: "retryable",
}


@pytest.mark.parametrize(("code", "kind"), TABLE.items())
def test_classification(code, kind):
    meaning = classify(code)
    assert meaning.kind == kind
    assert meaning.zh and meaning.en


def test_http_errors_by_status():
    assert classify(HTTP, 502).kind == "retryable"
    assert classify(HTTP, 404).kind == "permanent"


def test_unknown_codes_are_permanent_and_show_the_code():
    meaning = classify(61234)
    assert meaning.kind == "permanent"
    assert "61234" in meaning.zh and "61234" in meaning.en


def test_whitelist_error_says_where_to_add_the_ip():
    error = WeChatCallError(
        40164, "stable_token", "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: a-b-c"
    )

    assert error.kind == "permanent" and error.lost is False
    assert "IP 白名单" in error.message_zh and "设置与开发 → 基本配置" in error.message_zh
    assert "IP whitelist" in error.message_en
    assert "rid: a-b-c" in error.errmsg


def test_str_follows_the_active_language_and_keeps_wechats_words():
    error = WeChatCallError(48001, "freepublish/submit", "api unauthorized rid: x")

    with translation.override("zh-hans"):
        text = str(error)
    assert text.startswith("公众号没有这个接口的权限")
    assert "freepublish/submit 48001 api unauthorized rid: x" in text
    with translation.override("en"):
        assert str(error).startswith("The account lacks permission")
    assert "\n" not in text


def test_a_lost_answer_says_it_is_not_resent():
    error = WeChatCallError(None, "message/mass/sendall", "read timed out", lost=True, reason=TIMEOUT)
    assert error.code is None and error.kind == "retryable" and error.lost
    assert "不会盲目重发" in error.message_zh and "not resent blindly" in error.message_en
