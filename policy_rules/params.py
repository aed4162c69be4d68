"""Numbers read from text the policy admin or a caller wrote: ASCII digits, 18 at most, nothing else.

`str.isdigit()` is true for "²", which `int()` refuses, so a path such as `cases.²` or an id in an
outcome is read through `parse_number`, never `int(...)` after `.isdigit()`.
"""

import re

NUMBER = re.compile(r"[0-9]{1,18}")


def parse_number(value):
    """`value` as a non-negative integer, or None when it is not one."""
    return int(value) if isinstance(value, str) and NUMBER.fullmatch(value) else None
