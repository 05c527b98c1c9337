"""The tracker's records, one module per family (docs/domain.md "Data model")."""

from .common import DatePrecision, EditConflict, format_date
from .data_version import DataVersion
from .evidence import Evidence
from .news import NewsItem
from .organizations import Organization
from .projects import FollowUp, Participation, Project
from .releases import ChecksumMismatch, Release
from .search import SearchRow
from .sources import Source
from .status_changes import StatusChange

__all__ = [
    "FollowUp",
    "DataVersion",
    "DatePrecision",
    "EditConflict",
    "Evidence",
    "NewsItem",
    "Organization",
    "Participation",
    "Project",
    "Release",
    "SearchRow",
    "ChecksumMismatch",
    "Source",
    "StatusChange",
    "format_date",
]
