"""The facts document (version 1, docs/facts-document.md): what an evaluation is handed.

`parse_facts(data)` returns a `FactsDocument` whose types are right and whose
references resolve, or raises `FactsDocumentError` listing every offending path
(`submissions.3.department`) — nothing is evaluated from a document with errors.
Each error keeps its `code` and `params` beside the English `message`, so
`facts_errors` words it in the reader's language.
Ids are integers or strings; a reference matches an id by its text, so `5` and
`"5"` name the same department. Datetimes without a time zone are Asia/Shanghai; dates and
datetimes lie from 0002-01-01 to 9998-12-31 (`bounds`).
"""

import datetime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .bounds import EARLIEST, LATEST, in_range
from .conf import get_conf
from .document import ErrorKind

FACTS_VERSION = 1
MAX_PERIOD_DAYS = 400  # a semester or a year; bounds the calendar lookup of one evaluation
# A semester at the target size (20,000 submissions) is about 5 MB of JSON.
MAX_FACTS_BYTES = 16 * 1024 * 1024


def policy_tz():
    return ZoneInfo(get_conf("TIME_ZONE"))


def _in_range(value):
    """A date or instant the evaluation can shift by a time zone and a day without overflowing."""
    if not in_range(value):
        raise PydanticCustomError(
            "out_of_range",
            "{value} is outside the accepted range, {earliest} to {latest}",
            {"value": value.isoformat(), "earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )
    return value


def _instant(value):
    """An instant in range, in Asia/Shanghai when it names no time zone (one validator: 60,000 calls a semester).

    A year strictly between EARLIEST's and LATEST's is in range without `in_range`'s calls; others are checked.
    """
    if not EARLIEST.year < value.year < LATEST.year:
        _in_range(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=policy_tz())


# An integer id whose text is at most 100 characters (the minus sign counts).
_ID_ABOVE, _ID_BELOW = -(10**99), 10**100


def _id(value):
    kind = type(value)  # the common cases first, without isinstance's walk (60,000 calls a semester)
    if (kind is int and _ID_ABOVE < value < _ID_BELOW) or (kind is str and 0 < len(value) <= 100):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "" or len(str(value)) > 100:
        raise PydanticCustomError("id_type", "an id is an integer or a non-empty string (at most 100 characters)")
    return value


Id = Annotated[int | str, BeforeValidator(_id)]
Instant = Annotated[datetime.datetime, AfterValidator(_instant)]
Day = Annotated[datetime.date, AfterValidator(_in_range)]
Provider = Literal["office", "department", "personal"]


def key(value):
    """How an id is matched and how outcomes name it: its text."""
    return None if value is None else str(value)


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(Part):
    start: Day
    end: Day

    @model_validator(mode="after")
    def _ordered(self):
        if self.end < self.start:
            raise PydanticCustomError(
                "period_order",
                "period end {end} is before its start {start}",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        if (self.end - self.start).days >= MAX_PERIOD_DAYS:
            raise PydanticCustomError("period_too_long", "a period is at most {limit} days", {"limit": MAX_PERIOD_DAYS})
        return self

    def __contains__(self, date):
        return self.start <= date <= self.end


class Department(Part):
    id: Id
    name: Annotated[str, Field(max_length=200)] = ""


class Contributor(Part):
    id: Id
    kind: Literal["student", "staff"]
    department: Id | None = None


class Submission(Part):
    id: Id
    provider: Provider
    contributor: Id | None = None
    department: Id | None = None
    submitted_at: Instant
    accepted: bool = False
    published_at: Instant | None = None
    # Added key: when the material reached office review (A16); submitted_at stands in when absent.
    reached_office_at: Instant | None = None


class ReviewError(Part):
    submission: Id
    department: Id | None = None  # None: the submission's department
    provider: Provider
    kind: ErrorKind
    found_at: Instant


class Push(Part):
    id: Id | None = None  # added key: names the push in violations (its time otherwise)
    at: Instant
    breaking: bool = False
    articles: Annotated[list[Id], Field(min_length=1, max_length=8)]


class FactsDocument(Part):
    """Everything one period's evaluation needs, already counted nowhere."""

    version: Literal[1] = FACTS_VERSION
    period: Period
    departments: list[Department] = Field(default_factory=list)
    contributors: list[Contributor] = Field(default_factory=list)
    submissions: list[Submission] = Field(default_factory=list)
    errors: list[ReviewError] = Field(default_factory=list)
    pushes: list[Push] = Field(default_factory=list)
    # Set by `parse_facts` once its references are checked: the document is frozen, so an evaluation, a report or a
    # dry run (two evaluations) handed a parsed document checks nothing again (issue 15).
    _references_checked: bool = PrivateAttr(default=False)
    # (time zone, evaluation.Tallies): what every evaluation of this document counts whatever the policy (issue 15).
    _tallies: tuple | None = PrivateAttr(default=None)


class FactsDocumentError(ValueError):
    """The facts document is not valid; `errors` is a list of `{"path", "message", "code", "params"}`."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(f"{e['path'] or '(document)'}: {e['message']}" for e in errors))


def _plain(value):
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _message(error):
    return {
        "path": ".".join(str(part) for part in error["loc"]),
        "message": error["msg"].removeprefix("Value error, "),
        "code": error["type"],
        "params": {name: _plain(value) for name, value in (error.get("ctx") or {}).items()},
    }


def _error(path, code, message, **params):
    return {"path": path, "message": message, "code": code, "params": params}


def parse_facts(data):
    """Validate `data` (a dict or a `FactsDocument`) into a `FactsDocument`, or raise `FactsDocumentError`.

    Type errors and unknown references are reported together, so one round trip shows every problem.
    """
    if isinstance(data, FactsDocument):
        if not data._references_checked:
            errors = [] if _references_resolve(data) else _reference_errors(data.model_dump())
            if errors:
                raise FactsDocumentError(errors)
            data._references_checked = True
        return data
    if not isinstance(data, dict):
        raise FactsDocumentError([_error("", "document_type", "the facts document must be a JSON object")])
    try:
        document = FactsDocument.model_validate(data)
        errors = []
    except ValidationError as error:
        document, errors = None, [_message(e) for e in error.errors(include_url=False)]
    if document is None or not _references_resolve(document):
        errors += _reference_errors(data)  # the walk that names each offending path
    if errors:
        raise FactsDocumentError(errors)
    document._references_checked = True
    return document


def _references_resolve(document):
    """Whether a typed document lists each id once and every reference resolves: set arithmetic, no paths.

    The common case costs a fraction of `_reference_errors`' walk over the raw data, which runs only when this
    says no, to name each offending path.
    """
    listed = {}
    for section in ("departments", "contributors", "submissions"):
        entries = getattr(document, section)
        listed[section] = {key(entry.id) for entry in entries}
        if len(listed[section]) != len(entries):
            return False
    departments, contributors, submissions = listed["departments"], listed["contributors"], listed["submissions"]
    referenced_departments = {key(c.department) for c in document.contributors}
    referenced_departments |= {key(s.department) for s in document.submissions}
    referenced_departments |= {key(e.department) for e in document.errors}
    referenced_departments.discard(None)
    referenced_contributors = {key(s.contributor) for s in document.submissions}
    referenced_contributors.discard(None)
    referenced_submissions = {key(e.submission) for e in document.errors}
    referenced_submissions |= {key(article) for push in document.pushes for article in push.articles}
    return (
        referenced_departments <= departments
        and referenced_contributors <= contributors
        and referenced_submissions <= submissions
    )


def _is_id(value):
    return isinstance(value, int | str) and not isinstance(value, bool)


def _entries(data, section):
    """(index, entry) of a list section of the raw document, skipping what is not an object (a type error)."""
    entries = data.get(section)
    if not isinstance(entries, list):
        return []
    return [(index, entry) for index, entry in enumerate(entries) if isinstance(entry, dict)]


def _listed(data, section, errors):
    """The ids a section lists, as text; a duplicate is an error."""
    seen = set()
    for index, entry in _entries(data, section):
        value = entry.get("id")
        if not _is_id(value):
            continue
        if key(value) in seen:
            errors.append(_error(f"{section}.{index}.id", "duplicate_id", f"duplicate id {value!r}", value=value))
        seen.add(key(value))
    return seen


def _reference_errors(data):
    """Every reference to an id the document does not list, and every duplicate id (on the raw data)."""
    errors = []
    listed = {section: _listed(data, section, errors) for section in ("departments", "contributors", "submissions")}

    def check(value, section, path, what):
        if _is_id(value) and key(value) not in listed[section]:
            message = f"unknown {what} {value!r}: not listed in the document"
            errors.append(_error(path, "unknown_reference", message, value=value, section=section))

    for index, contributor in _entries(data, "contributors"):
        check(contributor.get("department"), "departments", f"contributors.{index}.department", "department")
    for index, submission in _entries(data, "submissions"):
        check(submission.get("department"), "departments", f"submissions.{index}.department", "department")
        check(submission.get("contributor"), "contributors", f"submissions.{index}.contributor", "contributor")
    for index, error in _entries(data, "errors"):
        check(error.get("submission"), "submissions", f"errors.{index}.submission", "submission")
        check(error.get("department"), "departments", f"errors.{index}.department", "department")
    for index, push in _entries(data, "pushes"):
        articles = push.get("articles")
        for position, article in enumerate(articles if isinstance(articles, list) else []):
            check(article, "submissions", f"pushes.{index}.articles.{position}", "article (submission)")
    return errors
