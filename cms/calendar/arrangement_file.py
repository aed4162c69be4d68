"""A year arrangement as a CSV file, for `manage.py calendar import` (docs/operations.md): one row per line,
its kind first, in English or Chinese.

    year,2027                                        年份,2027
    source,国务院办公厅关于2027年部分节假日安排的通知      来源,…
    holiday,春节,2027-02-05,2027-02-13               放假,春节,2027-02-05,2027-02-13
    workday,2027-02-14,春节                          调休上班,2027-02-14,春节

Blank lines and lines starting with # are left out. Every problem names its line.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cms.calendar.arrangements import MAX_ROWS, Arrangement, HolidayRange, SwappedDay, check

MAX_BYTES = 64 * 1024  # a year's arrangement is under 2 KB
KINDS = {
    "year": "year",
    "年份": "year",
    "source": "source",
    "来源": "source",
    "holiday": "holiday",
    "放假": "holiday",
    "workday": "workday",
    "调休上班": "workday",
}
COLUMNS = {"year": 2, "source": 2, "holiday": 4, "workday": (2, 3)}


@dataclass(frozen=True)
class LineProblem:
    line: int | None
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


class FileRefused(Exception):
    def __init__(self, problems):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def read(stream):
    """The `Arrangement` of a binary stream, checked; `FileRefused` with every problem, each naming its line."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileRefused([LineProblem(None, _("The file is larger than %(kb)s KB.") % {"kb": MAX_BYTES // 1024})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileRefused([LineProblem(line, _("This is not UTF-8 text."))]) from None
    return parse(text)


def parse(text):
    """The `Arrangement` a CSV text describes, checked; `FileRefused` with every problem, each naming its line."""
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FileRefused([LineProblem(line, _("The file holds a NUL character: it is not a CSV text file."))])
    values = {"year": [], "source": [], "holiday": [], "workday": []}
    problems = []
    rows = csv.reader(io.StringIO(text), strict=True)
    try:
        for row in rows:
            if len(values["holiday"]) + len(values["workday"]) >= 2 * MAX_ROWS:
                message = _("Too many lines: at most %(count)s rows.") % {"count": 2 * MAX_ROWS}
                problems.append(LineProblem(rows.line_num, message))
                break
            _read_row(row, rows.line_num, values, problems)
    except csv.Error:
        problems.append(LineProblem(rows.line_num, _("Not valid CSV: check the quotation marks.")))
    for field, name in (("year", "year"), ("source", "source")):
        if len(values[field]) > 1:
            problems.append(LineProblem(values[field][1][0], _("A second %(kind)s line.") % {"kind": name}))
    if not values["year"] and not problems:
        problems.append(LineProblem(None, _("The file has no year line (year,2027).")))
    if problems:
        raise FileRefused(problems)
    return _arrangement(values)


def _read_row(row, line, values, problems):
    if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
        return
    kind = KINDS.get(row[0].strip().lower())
    if kind is None:
        problems.append(
            LineProblem(line, _("Unknown kind %(kind)s: year, source, holiday or workday.") % {"kind": row[0][:20]})
        )
        return
    cells = [cell.strip() for cell in row[1:]]
    while cells and not cells[-1] and len(cells) + 1 > min(_columns(kind)):
        cells.pop()  # trailing empty cells, as a spreadsheet writes them
    if len(cells) + 1 not in _columns(kind):
        problems.append(LineProblem(line, _("A %(kind)s line has the wrong number of cells.") % {"kind": row[0][:20]}))
        return
    try:
        values[kind].append((line, _value(kind, cells)))
    except ValueError as error:
        problems.append(LineProblem(line, str(error)))


def _columns(kind):
    columns = COLUMNS[kind]
    return columns if isinstance(columns, tuple) else (columns,)


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("%(text)s is not a date like 2027-02-05.") % {"text": text[:20]}) from None


def _value(kind, cells):
    if kind == "year":
        if not (cells[0].isascii() and cells[0].isdigit()) or len(cells[0]) > 4:
            raise ValueError(_("%(text)s is not a year like 2027.") % {"text": cells[0][:20]})
        return int(cells[0])
    if kind == "source":
        return cells[0]
    if kind == "holiday":
        return HolidayRange(cells[0], _date(cells[1]), _date(cells[2]))
    return SwappedDay(_date(cells[0]), cells[1] if len(cells) > 1 else "")


def _arrangement(values):
    arrangement = Arrangement(
        year=values["year"][0][1],
        source=values["source"][0][1] if values["source"] else "",
        holidays=tuple(value for _line, value in values["holiday"]),
        swapped_days=tuple(value for _line, value in values["workday"]),
    )
    lines = {
        "year": values["year"][0][0],
        "source": values["source"][0][0] if values["source"] else None,
        "holidays": [line for line, _value in values["holiday"]],
        "swapped_days": [line for line, _value in values["workday"]],
    }
    problems = check(arrangement)
    if problems:
        raise FileRefused([_line_problem(problem, lines) for problem in problems])
    return arrangement


def _line_problem(problem, lines):
    where = lines.get(problem.field)
    if isinstance(where, list):
        where = where[problem.index] if problem.index is not None else None
    return LineProblem(where, problem.message)
