"""WeChat's limits, checked before any call, in words an editor understands."""

from django.utils import translation

from wechat_channel.content.limits import LimitProblem, blocking, check_article


def fields(problems):
    return [(p.field, p.blocking) for p in problems]


def ok(**changes):
    values = {
        "title": "标题",
        "author": "记者团",
        "digest": "摘要",
        "content": "<p>正文</p>",
        "source_url": "https://x.cn",
    }
    return check_article(**{**values, **changes})


def test_a_normal_article_has_no_problem():
    assert ok() == []


def test_a_long_title_says_how_long_and_the_limit():
    problems = ok(title="长" * 70)

    assert fields(problems) == [("title", True)]
    assert problems[0].message_zh.startswith("标题 70 字，微信最多 32 字")
    with translation.override("en"):
        assert "70 characters" in str(problems[0])


def test_the_title_limit_is_the_api_pages_32():
    """developers.weixin.qq.com draft_add: "标题，总长度不超过32个字" (WECHAT.md §12): 33 is refused, 32 is not."""
    assert ok(title="长" * 32) == []
    problems = ok(title="长" * 33)
    assert fields(problems) == [("title", True)]
    assert blocking(problems) == problems


def test_a_problem_is_stored_as_a_code_and_read_in_each_readers_language():
    [problem] = ok(has_cover=False)
    stored = problem.as_data()

    assert stored == {"field": "cover", "code": "no_cover", "params": {}, "blocking": True}
    restored = LimitProblem.from_data(stored)
    assert restored == problem
    assert restored.message("zh-hans").startswith("没有封面图")
    assert restored.message("en").startswith("There is no cover image")
    assert LimitProblem.from_data({"code": "<script>", "params": {}}) is None
    assert LimitProblem.from_data("no_cover") is None


def test_author_digest_source_url_and_cover():
    problems = ok(author="作" * 17, digest="摘" * 129, source_url="https://x.cn/" + "a" * 1100, has_cover=False)

    assert fields(problems) == [("author", True), ("digest", True), ("source_url", True), ("cover", True)]
    assert "作者 17 字，微信最多 16 字" in problems[0].message_zh
    assert "封面" in problems[3].message_zh


def test_content_over_20000_characters():
    problems = ok(content="<p>" + "字" * 20_000 + "</p>")
    assert fields(problems) == [("content", True)]
    assert "20,000" in problems[0].message_zh


def test_an_empty_title():
    assert fields(ok(title="  ")) == [("title", True)]


def test_no_digest_is_only_a_warning_saying_what_wechat_does_instead():
    [problem] = ok(digest="  ")
    assert (problem.field, problem.code, problem.blocking) == ("digest", "digest_default", False)
    assert "正文前 54 字" in problem.message("zh-hans")
    assert blocking([problem]) == []
