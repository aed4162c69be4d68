"""Policy documents as YAML or JSON text, for power users (`manage.py policy export|import`).

YAML is read with `safe_load` semantics, minus two YAML 1.1 surprises: an
unquoted `16:00` is the text "16:00" (not the base-60 integer 960, which would
silently become 00:16), and a key given twice is an error instead of the last
one winning.

Size and nesting depth are checked before a document is parsed: the parsers recurse once
per level, and 2 KB of `[` would otherwise end in a RecursionError.
"""

import json
import re
from itertools import accumulate

import yaml
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

FORMATS = ("yaml", "json")
# Lists and mappings inside each other: a policy or facts document needs about five levels.
MAX_DEPTH = 32
MAX_DOCUMENT_BYTES = 1024 * 1024  # a policy document is a few kilobytes

# A JSON string; an unterminated one runs to the end, so the scan stays linear.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_JSON_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class FormatError(ValueError):
    """The text is not a document in the format; `path` and `message` say where and why."""

    def __init__(self, message, path=""):
        self.path = path
        self.message = message
        super().__init__(message)


class _Loader(yaml.SafeLoader):
    """SafeLoader without base-60 numbers and with duplicate keys refused."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise FormatError(
                    _("line %(line)s: the key “%(key)s” appears twice") % {"line": mark.line + 1, "key": key}
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def guess_format(filename):
    """ "json" for a .json file name, else "yaml"."""
    return "json" if str(filename).lower().endswith(".json") else "yaml"


def dumps(data, fmt="yaml"):
    """`data` as YAML (block style, Chinese kept readable) or indented JSON text."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    raise FormatError(
        _("unknown format “%(format)s”: use one of %(formats)s") % {"format": fmt, "formats": ", ".join(FORMATS)}
    )


def _json_depth(text):
    """How deep lists and objects nest in JSON text, counted at C speed (16 MB in well under a second)."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_JSON_STEP.__getitem__, brackets)), default=0)


def _yaml_depth(text):
    # The event parser is a state machine: unlike the composer, it does not recurse per level.
    depth = deepest = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(depth, deepest)
            if deepest > MAX_DEPTH:
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def _too_deep():
    return FormatError(_("the document nests lists and objects more than %(limit)d levels deep") % {"limit": MAX_DEPTH})


def check_depth(text, fmt="json"):
    """Raise FormatError when `text` (str, or bytes for JSON) nests deeper than MAX_DEPTH; reads without parsing.

    A YAML syntax error raises yaml.YAMLError, as parsing would.
    """
    if (_json_depth(text) if fmt == "json" else _yaml_depth(text)) > MAX_DEPTH:
        raise _too_deep()


def check_size(text, limit=MAX_DOCUMENT_BYTES):
    """Raise FormatError when `text` is longer than `limit` bytes (characters, for text)."""
    if len(text) > limit:
        raise FormatError(_("the document is larger than %(size)s") % {"size": filesizeformat(limit)})


def loads(text, fmt="yaml"):
    """The mapping in `text`; raises FormatError with a line number when the text is not one.

    Text over MAX_DOCUMENT_BYTES or nested deeper than MAX_DEPTH is refused before it is parsed.
    """
    check_size(text)
    if fmt == "json":
        check_depth(text, "json")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise FormatError(
                _("not valid JSON: line %(line)s, column %(column)s (%(detail)s)")
                % {"line": error.lineno, "column": error.colno, "detail": error.msg}
            ) from None
    elif fmt == "yaml":
        try:
            check_depth(text, "yaml")
            data = yaml.load(text, Loader=_Loader)  # noqa: S506  (a SafeLoader subclass)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark
            if mark:
                raise FormatError(
                    _("not valid YAML: line %(line)s, column %(column)s (%(detail)s)")
                    % {"line": mark.line + 1, "column": mark.column + 1, "detail": error.problem}
                ) from None
            raise FormatError(_("not valid YAML (%(detail)s)") % {"detail": error.problem}) from None
        except yaml.YAMLError as error:
            raise FormatError(_("not valid YAML (%(detail)s)") % {"detail": error}) from None
        except RecursionError:  # aliases can nest what each level does not; refuse rather than fail
            raise _too_deep() from None
    else:
        raise FormatError(
            _("unknown format “%(format)s”: use one of %(formats)s") % {"format": fmt, "formats": ", ".join(FORMATS)}
        )
    if not isinstance(data, dict):
        raise FormatError(_("the file must hold one mapping of sections (schedule, quotas, rewards, …)"))
    return data
