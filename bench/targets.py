"""How every benchmark states its targets: one line each, `PASS|MISSED <name> <measured> <target>`.

`make bench` (bench/run.py) collects these lines from every script and exits 1 when one says MISSED.
A script ends with `sys.exit(targets.report())`. Stdlib only; bench/ is on sys.path when a script runs.
"""

import math


def _number(value, digits):
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "nan"
    return f"{value:.{digits}f}"


class Targets:
    """The targets of one benchmark, checked against medians the script measured."""

    def __init__(self):
        self.lines = []

    def _add(self, ok, name, measured, target):
        self.lines.append(f"{'PASS' if ok else 'MISSED'} {name} {measured} {target}")

    def at_most(self, name, measured, limit, unit="", digits=2):
        text = _number(measured, digits)
        self._add(measured <= limit, name, f"{text}{unit}", f"<={_number(limit, digits)}{unit}")

    def at_least(self, name, measured, limit, unit="", digits=2):
        text = _number(measured, digits)
        self._add(measured >= limit, name, f"{text}{unit}", f">={_number(limit, digits)}{unit}")

    def equal(self, name, measured, expected, ok=None):
        """`measured` and `expected` are numbers or short texts (query counts, call counts); `ok` when the
        comparison is finer than the two figures shown (every path's calls, not only their sum)."""
        ok = measured == expected if ok is None else ok
        self._add(ok, name, str(measured).replace(" ", ""), f"={str(expected).replace(' ', '')}")

    @property
    def missed(self):
        return sum(line.startswith("MISSED") for line in self.lines)

    def report(self):
        """Print the lines after the script's tables; the exit status: 1 when a target was missed."""
        print("\n## Targets\n")
        for line in self.lines:
            print(line)
        return 1 if self.missed else 0
