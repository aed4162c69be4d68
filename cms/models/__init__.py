"""The editorial domain, split by concept and re-exported here."""

from cms.models.articles import ArticleIndexPage, ArticlePage, Category, ProviderKind
from cms.models.calendar import CalendarOverride, DayType, Semester, Vacation, YearArrangement
from cms.models.cases import Case, CaseEvent
from cms.models.contributions import Contribution
from cms.models.departments import Department, Person, PersonKind
from cms.models.menu_changes import MenuChangeApplication, MenuChangeOpinion
from cms.models.platform import PlatformSettings
from cms.models.ratelimits import RateLimitCounter
from cms.models.review import (
    ERROR_REASONS,
    DepartmentHeadTask,
    OfficeReviewTask,
    OfficeReviewTaskState,
    ReviewError,
    ReviewRouting,
    SendBack,
    SendBackReason,
    StalledReminder,
    Submission,
    SupervisingLeaderTask,
)
from cms.models.rewards import DisciplineNotice, PointAward

__all__ = [
    "ERROR_REASONS",
    "ArticleIndexPage",
    "ArticlePage",
    "CalendarOverride",
    "Case",
    "CaseEvent",
    "Category",
    "Contribution",
    "DayType",
    "Department",
    "DepartmentHeadTask",
    "DisciplineNotice",
    "MenuChangeApplication",
    "MenuChangeOpinion",
    "OfficeReviewTask",
    "OfficeReviewTaskState",
    "Person",
    "PersonKind",
    "PlatformSettings",
    "PointAward",
    "ProviderKind",
    "RateLimitCounter",
    "ReviewError",
    "ReviewRouting",
    "Semester",
    "SendBack",
    "SendBackReason",
    "StalledReminder",
    "Submission",
    "SupervisingLeaderTask",
    "Vacation",
    "YearArrangement",
]
