"""The editorial domain, split by concept and re-exported here."""

from .articles import ArticleIndexPage, ArticlePage, Category, ProviderKind
from .calendar import CalendarOverride, DayType, Semester, Vacation
from .cases import Case, CaseEvent
from .contributions import Contribution
from .credentials import CredentialHolder, CredentialRotation
from .departments import Department, Person, PersonKind
from .menu_changes import MenuChangeApplication, MenuChangeOpinion
from .platform import PlatformSettings
from .ratelimits import RateLimitCounter
from .review import (
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
from .rewards import DisciplineNotice, PointAward

__all__ = [
    "ERROR_REASONS",
    "ArticleIndexPage",
    "ArticlePage",
    "CalendarOverride",
    "Case",
    "CaseEvent",
    "Category",
    "Contribution",
    "CredentialHolder",
    "CredentialRotation",
    "DayType",
    "Department",
    "DisciplineNotice",
    "DepartmentHeadTask",
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
]
