"""A small reader of gettext catalogues (.po files); polib is not a dependency."""

import ast
import re


def _unquote(literal):
    return ast.literal_eval(literal)


def read_po(path):
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
