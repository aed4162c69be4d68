"""`policy_rules.transfer`: size and nesting depth are checked before a document is parsed."""

import json

import pytest
from django.utils import translation

from policy_rules.transfer import MAX_DEPTH, FormatError, check_depth, loads


@pytest.fixture(autouse=True)
def english():
    """The assertions read the source strings, not their translations."""
    with translation.override("en"):
        yield


def nested(depth):
    value = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_a_document_as_deep_as_the_limit_is_read(fmt):
    text = json.dumps(nested(MAX_DEPTH))  # JSON is YAML too
    assert loads(text, fmt)["a"]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_one_level_more_is_refused_before_parsing(fmt):
    with pytest.raises(FormatError, match=f"more than {MAX_DEPTH} levels"):
        loads(json.dumps(nested(MAX_DEPTH + 1)), fmt)


def test_yaml_block_nesting_counts_too():
    text = "".join(f"{'  ' * level}k:\n" for level in range(MAX_DEPTH + 1)) + "  " * (MAX_DEPTH + 1) + "v: 1\n"
    with pytest.raises(FormatError, match="levels deep"):
        loads(text, "yaml")


@pytest.mark.parametrize(
    "text",
    ['{"name": "[[[[ {{{{ \\" ]]"}', '{"a": "\\\\"}', b'{"name": "\xe5\xad\xa6[[["}'],
    ids=["brackets-in-a-string", "escaped-backslash", "utf-8-bytes"],
)
def test_brackets_inside_strings_are_not_nesting(text):
    check_depth(text, "json")


def test_an_unterminated_string_is_left_to_the_parser():
    check_depth('{"a": "[[[[' + "[" * 100, "json")
    with pytest.raises(FormatError, match="not valid JSON"):
        loads('{"a": "[[[[', "json")


def test_a_document_over_the_size_limit_is_refused():
    with pytest.raises(FormatError, match="larger than"):
        loads("a: " + "x" * (1024 * 1024), "yaml")
