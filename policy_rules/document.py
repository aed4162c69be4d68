"""The policy document: every tunable number of the regulation as typed, validated data.

`PolicyDocument.model_validate(data)` either returns a document whose values are
consistent, or raises `pydantic.ValidationError` whose errors carry the field
path (`discipline.escalation_at`) and a message an administrator understands.
The defaults are the regulation's own numbers (POLICY.md), so
`PolicyDocument()` is the regulation.
"""

import hashlib
import itertools
import json
import re
from datetime import time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SCHEMA_VERSION = 1


def document_hash(data):
    """SHA-256 of the canonical JSON of a document's data: a version's fingerprint and its ruleset's name."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class DayType(StrEnum):
    WORKING = "working"
    REST = "rest"
    HOLIDAY = "holiday"
    VACATION = "vacation"


class Category(StrEnum):
    CAMPUS_LIFE = "campus_life"
    STUDY = "study"
    NEWS = "news"
    LIGHT = "light"
    ENTERTAINMENT = "entertainment"
    INSPIRATIONAL = "inspirational"


class ErrorKind(StrEnum):
    CONTENT_MISMATCH = "content_mismatch"
    TYPO = "typo"
    LAYOUT = "layout"
    ILLEGAL = "illegal"
    NOT_PUBLIC = "not_public"
    OTHER = "other"


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(Section):
    """A half-open push window [start, end) in Asia/Shanghai time (A11.2)."""

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise PydanticCustomError(
                "window_order",
                "window end {end} must be after start {start}",
                {"start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}"},
            )
        return self

    @field_serializer("start", "end")
    def _hh_mm(self, value):
        return value.strftime("%H:%M")

    def __str__(self):
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def _default_windows():
    return {
        DayType.WORKING: [Window(start=time(16), end=time(18)), Window(start=time(20), end=time(21))],
        DayType.REST: None,
        DayType.HOLIDAY: None,
        DayType.VACATION: None,
    }


class Schedule(Section):
    """When pushes may go out (A11, A12, A16, A10.3)."""

    # None: no fixed window that day (A11.3); a list: only inside one of its windows (A11.2).
    windows: dict[DayType, list[Window] | None] = Field(default_factory=_default_windows)
    breaking_exempt: bool = True  # A11.1
    lead_hours: Annotated[float, Field(ge=0, le=168)] = 12  # A16, from reaching office review
    min_pushes_per_working_day: Annotated[int, Field(ge=0, le=8)] = 1  # A11.1
    # A push is one mass send of 1–8 articles (WeChat's limit); the office may keep pushes shorter (A12).
    max_articles_per_push: Annotated[int, Field(ge=1, le=8)] = 8
    # Breaking news when the day's mass send is already used (A11.1): publish it at once without
    # notifying followers, or wait for the next mass send.
    breaking_when_mass_used: Literal["publish", "wait"] = "publish"
    weekend_day_types: list[DayType] = Field(default_factory=lambda: [DayType.REST])
    weekend_categories: list[Category] = Field(
        default_factory=lambda: [Category.LIGHT, Category.ENTERTAINMENT, Category.INSPIRATIONAL]
    )  # A10.3: a warning, not a block

    @field_validator("windows")
    @classmethod
    def _no_overlap(cls, windows):
        missing = [day_type.value for day_type in DayType if day_type not in windows]
        if missing:
            raise PydanticCustomError(
                "windows_missing",
                "push windows must say something for every day type; missing: {missing}",
                {"missing": ", ".join(missing)},
            )
        for day_type, day_windows in windows.items():
            ordered = sorted(day_windows or [], key=lambda w: w.start)
            for earlier, later in itertools.pairwise(ordered):
                if later.start < earlier.end:
                    raise PydanticCustomError(
                        "windows_overlap",
                        "windows overlap on {day_type}: {earlier} and {later}",
                        {"day_type": day_type.value, "earlier": str(earlier), "later": str(later)},
                    )
        return windows


class AssessmentRule(Section):
    """The annual-assessment suggestion (A22): the meeting decides, the software suggests."""

    shortfall_share_change: Annotated[int, Field(ge=-100, le=0)] = -10  # percentage points
    surplus_ratio: Annotated[float, Field(ge=1, le=10)] = 1.5  # pushes ≥ ratio × quota count as "more"
    surplus_share_change: Annotated[int, Field(ge=0, le=100)] = 10


class Quotas(Section):
    """What each department provides (A8)."""

    min_per_week: Annotated[int, Field(ge=0, le=50)] = 1
    min_per_semester: Annotated[int, Field(ge=0, le=500)] = 20
    assessment: AssessmentRule = AssessmentRule()


class Prize(Section):
    name: Literal["first", "second", "third"]
    points: Annotated[int, Field(ge=0, le=1000)]
    winners: Annotated[int, Field(ge=0, le=100)]


def _default_prizes():
    return [
        Prize(name="first", points=60, winners=1),
        Prize(name="second", points=40, winners=2),
        Prize(name="third", points=20, winners=3),
    ]


class Rewards(Section):
    """Points, prizes and certificates (A17, A18); department submissions earn nothing (A19)."""

    points_per_accepted: Annotated[int, Field(ge=0, le=100)] = 1
    points_cap: Annotated[int, Field(ge=0, le=1000)] = 20
    prizes: list[Prize] = Field(default_factory=_default_prizes)
    # Ranking for prizes: published count, then accepted count (issue #3); not tunable.
    ranking: Literal["published_then_accepted"] = "published_then_accepted"
    staff_certificates: Annotated[int, Field(ge=0, le=100)] = 3

    @field_validator("prizes")
    @classmethod
    def _prizes(cls, prizes):
        names = [prize.name for prize in prizes]
        if names != ["first", "second", "third"][: len(names)]:
            raise PydanticCustomError("prizes_order", "prizes must be first, second, third in that order")
        points = [prize.points for prize in prizes]
        if points != sorted(points, reverse=True):
            raise PydanticCustomError("prizes_points", "semester prizes must be in descending order of points")
        return prizes


class Discipline(Section):
    """Errors in department material per department per semester (A20)."""

    counted_kinds: list[ErrorKind] = Field(default_factory=lambda: [ErrorKind.CONTENT_MISMATCH, ErrorKind.TYPO])
    warning_at: Annotated[int, Field(ge=1, le=1000)] = 5
    escalation_at: Annotated[int, Field(ge=1, le=1000)] = 8

    @model_validator(mode="after")
    def _ordered(self):
        if self.escalation_at <= self.warning_at:
            raise PydanticCustomError(
                "escalation_order",
                "escalation threshold ({escalation}) must be greater than warning threshold ({warning})",
                {"escalation": self.escalation_at, "warning": self.warning_at},
            )
        return self


class Credentials(Section):
    max_holders: Annotated[int, Field(ge=1, le=10)] = 3  # A6.6.1


class Content(Section):
    """Checks on an article before it is published (A6.3, A10.1)."""

    title_recommended_max: Annotated[int, Field(ge=1, le=64)] = 30  # a warning
    repost_requires_source: bool = True  # A6.3.3
    credits_required: bool = True  # A6.3.2


class Records(Section):
    """How long follower activity records are kept for the authorities (A14)."""

    # Two years: long enough to answer a request about an incident after the fact (the Cybersecurity
    # Law's six-month log minimum, with room for a slow inquiry), short enough not to keep openids forever.
    retention_days: Annotated[int, Field(ge=30, le=3650)] = 730


# Words of illegal or harmful content often seen in comment spam: a starting list the office extends.
DEFAULT_FLAG_WORDS = ("赌博", "博彩", "色情", "代考", "办证", "诈骗", "翻墙", "枪支")
FlagWord = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]


class Comments(Section):
    """Words that flag a follower's comment for the office's attention (A13)."""

    flag_words: Annotated[list[FlagWord], Field(max_length=500)] = Field(
        default_factory=lambda: list(DEFAULT_FLAG_WORDS)
    )


ReportKeyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]


class Cases(Section):
    """Reports (举报) and system errors as cases (A6.5): how long each may stay open before it is escalated."""

    report_deadline_hours: Annotated[int, Field(ge=1, le=720)] = 48  # A6.5.2: handled promptly
    error_deadline_hours: Annotated[int, Field(ge=1, le=720)] = 24  # A6.5.1
    # A follower's message starting with one of these opens a report (A6.5.2).
    report_keywords: Annotated[list[ReportKeyword], Field(min_length=1, max_length=20)] = Field(
        default_factory=lambda: ["举报"]
    )


class Contributions(Section):
    """The public contribution portal (A6.1, A6.2.5): how long a contributor's private status link keeps working."""

    # Counted from the final decision (published, or review ended): long enough to come back for the link to the
    # published article, short enough that a forwarded or leaked link does not open the material for good.
    status_link_days: Annotated[int, Field(ge=1, le=3650)] = 180


class Review(Section):
    """How long material may wait at one review stage before it is flagged (A6.1, A6.2): no silent stalls."""

    # Working days of the calendar (A11.1: official calendar, overrides, vacations), so a Friday's material is not
    # late on Sunday. Two: a stage reached on one day has the rest of it and the next whole working day.
    stalled_after_working_days: Annotated[int, Field(ge=1, le=30)] = 2


# The declared vocabulary of condition rules: fact fields of a push slot and their types.
SLOT_FIELDS = {
    "day_type": DayType,
    "weekday": int,  # 1 = Monday … 7 = Sunday
    "minute_of_day": int,  # 0 … 1439, Asia/Shanghai
    "breaking": bool,
    "time_sensitive": bool,
    "category": Category,
    "lead_hours": float,  # from reaching office review; -1 when unknown
}
SLOT_RANGES = {"weekday": (1, 7), "minute_of_day": (0, 24 * 60 - 1)}
OPERATORS = {
    int: ("eq", "ne", "lt", "le", "gt", "ge"),
    float: ("eq", "ne", "lt", "le", "gt", "ge"),
    bool: ("eq",),
    DayType: ("eq", "ne"),
    Category: ("eq", "ne"),
}


class Condition(Section):
    field: Literal[tuple(SLOT_FIELDS)]
    op: Literal["eq", "ne", "lt", "le", "gt", "ge"]
    value: bool | int | float | str

    @model_validator(mode="after")
    def _typed(self):
        kind = SLOT_FIELDS[self.field]
        if self.op not in OPERATORS[kind]:
            raise PydanticCustomError(
                "operator_mismatch", "operator {op} does not apply to {field}", {"op": self.op, "field": self.field}
            )
        try:
            coerced = _coerce(kind, self.value)
        except (TypeError, ValueError) as error:
            raise PydanticCustomError(
                "condition_value",
                "{field} needs a {kind} value: {error}",
                {"field": self.field, "kind": getattr(kind, "__name__", str(kind)), "error": str(error)},
            ) from None
        low, high = SLOT_RANGES.get(self.field, (coerced, coerced))
        if not low <= coerced <= high:  # a weekday 1–7, a minute of the day 0–1439: any other never matches
            raise PydanticCustomError(
                "condition_value",
                "{field} needs a value from {low} to {high}",
                {"field": self.field, "low": low, "high": high},
            )
        object.__setattr__(self, "value", coerced)
        return self


def _coerce(kind, value):
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number")
        return kind(value)
    return kind(value).value


class ConditionRule(Section):
    """An administrator's own rule: when every condition holds, then this verdict."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    when: Annotated[list[Condition], Field(min_length=1, max_length=8)]
    then: Literal["block", "warn"]
    message: Annotated[str, Field(min_length=1, max_length=200)]


SCOPE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,49}$"


def is_scope(value):
    """Whether `value` names a scope: 1–50 lowercase letters, digits, "_" or "-", not starting with "_" or "-"."""
    return isinstance(value, str) and re.fullmatch(SCOPE_PATTERN, value) is not None


class PolicyDocument(Section):
    """The whole policy of one scope (an account or an institution)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    scope: Annotated[str, Field(pattern=SCOPE_PATTERN)] = "default"
    schedule: Schedule = Schedule()
    quotas: Quotas = Quotas()
    rewards: Rewards = Rewards()
    discipline: Discipline = Discipline()
    credentials: Credentials = Credentials()
    content: Content = Content()
    records: Records = Records()  # absent from documents stored before it: the default applies
    comments: Comments = Comments()  # likewise
    cases: Cases = Cases()  # likewise
    contributions: Contributions = Contributions()  # likewise
    review: Review = Review()  # likewise
    conditions: Annotated[list[ConditionRule], Field(max_length=100)] = Field(default_factory=list)

    @field_validator("conditions")
    @classmethod
    def _unique_ids(cls, conditions):
        ids = [rule.id for rule in conditions]
        duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
        if duplicates:
            raise PydanticCustomError(
                "rule_ids_unique", "condition rule ids must be unique: {ids}", {"ids": ", ".join(duplicates)}
            )
        return conditions

    def as_data(self):
        """Plain JSON-ready data (times as HH:MM), the form stored and hashed."""
        return self.model_dump(mode="json")


def default_document(scope="default"):
    """The regulation's own numbers (POLICY.md)."""
    return PolicyDocument(scope=scope)
