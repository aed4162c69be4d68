"""The facts the engine classifies, one at a time, and the verdicts it may return.

All counting happens before a fact is built (in the database or in Python):
the engine only classifies. Every fact is validated and typed here before it
reaches the engine, because durable-rules compares a string with a number
lexically ("10" < 5) and answers nothing for a missing field.
"""

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .document import Category, DayType


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: ClassVar[str]


class SlotFact(Fact):
    """A proposed push instant (A11, A16, A10.3, condition rules)."""

    kind: ClassVar[str] = "slot"
    day_type: DayType
    weekday: Annotated[int, Field(ge=1, le=7)]
    minute_of_day: Annotated[int, Field(ge=0, le=1439)]
    breaking: bool = False
    time_sensitive: bool = False
    category: Category | None = None
    lead_hours: Annotated[float, Field(ge=-1)] = -1  # -1: not known (no office arrival yet)


class DepartmentErrorsFact(Fact):
    """Errors counted against one department so far this semester (A20)."""

    kind: ClassVar[str] = "department_errors"
    errors: Annotated[int, Field(ge=0)]


class DepartmentWeekFact(Fact):
    kind: ClassVar[str] = "department_week"
    count: Annotated[int, Field(ge=0)]


class DepartmentSemesterFact(Fact):
    kind: ClassVar[str] = "department_semester"
    count: Annotated[int, Field(ge=0)]


class StudentPointsFact(Fact):
    """Accepted own-name submissions of one student this semester (A17.1)."""

    kind: ClassVar[str] = "student_points"
    accepted: Annotated[int, Field(ge=0)]


class WorkingDayFact(Fact):
    """One calendar day and the pushes it had (A11.1)."""

    kind: ClassVar[str] = "day_coverage"
    day_type: DayType
    pushes: Annotated[int, Field(ge=0)]


FACT_TYPES = {
    cls.kind: cls
    for cls in (
        SlotFact,
        DepartmentErrorsFact,
        DepartmentWeekFact,
        DepartmentSemesterFact,
        StudentPointsFact,
        WorkingDayFact,
    )
}

# Verdicts, by fact kind. "rule:<id>:block" / "rule:<id>:warn" come from condition rules.
VERDICTS = {
    "slot": ("slot:in_window", "slot:breaking_exempt", "slot:lead_short", "slot:weekend_category"),
    "department_errors": ("discipline:warning", "discipline:escalation"),
    "department_week": ("quota:week_met",),
    "department_semester": ("quota:semester_met",),
    "student_points": ("points:capped",),
    "day_coverage": ("coverage:required", "coverage:met"),
}


def fact_from(kind, data):
    """Validate `data` as a fact of `kind`; raises pydantic.ValidationError or KeyError."""
    return FACT_TYPES[kind].model_validate(data)
