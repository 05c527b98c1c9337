"""Spreadsheet resources (README "Spreadsheets")."""

from .base import TrackerResource
from .datasets import (
    CycleResource,
    EvidenceResource,
    OrganizationResource,
    ParticipationResource,
    ProjectResource,
    RatingResource,
    RegionResource,
    SourceResource,
    StatusChangeResource,
)

# The order in which a whole dataset is imported: each refers only to those before it.
DATASETS = {
    "regions": RegionResource,
    "cycles": CycleResource,
    "ratings": RatingResource,
    "organizations": OrganizationResource,
    "sources": SourceResource,
    "projects": ProjectResource,
    "participants": ParticipationResource,
    "evidence": EvidenceResource,
    "status_changes": StatusChangeResource,
}

__all__ = ["DATASETS", "TrackerResource", *(resource.__name__ for resource in DATASETS.values())]
