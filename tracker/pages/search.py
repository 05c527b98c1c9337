"""Search over titles, evidence summaries and partner names, in Russian and English.

PostgreSQL: full-text search with the `russian` configuration (Russian words are
stemmed; Latin-script words go through the English stemmer), backed by GIN indexes
(migration tracker 0009). SQLite: substring matching that folds Cyrillic case too (see
tracker/ops/sqlite.py), with every word required.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from tracker.models import Evidence, Participation

CONFIG = "russian"


def search_projects(queryset, text, up_to=None):
    """`queryset` narrowed to projects matching `text`; evidence counts only up to cycle
    `up_to` (None: all), so drafts are never found by the public."""
    text = (text or "").strip()
    if not text:
        return queryset
    seen = Evidence.objects.filter(cycle__number__lte=up_to) if up_to is not None else Evidence.objects.all()
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        titles = SearchVector("title_ru", "title_en", "reference", config=CONFIG)
        evidence = seen.annotate(document=SearchVector("summary_ru", "summary", config=CONFIG)).filter(
            project=OuterRef("pk"), document=query
        )
        partners = Participation.objects.annotate(
            document=SearchVector("organization__name", "organization__name_en", config=CONFIG)
        ).filter(project=OuterRef("pk"), document=query)
        return queryset.annotate(document=titles).filter(
            Q(document=query) | Exists(evidence) | Exists(partners)
        )
    for word in text.split():
        queryset = queryset.filter(
            Q(reference__icontains=word)
            | Q(title_ru__icontains=word)
            | Q(title_en__icontains=word)
            | Q(location__icontains=word)
            | Exists(
                seen.filter(project=OuterRef("pk")).filter(
                    Q(summary_ru__icontains=word) | Q(summary__icontains=word)
                )
            )
            | Exists(
                Participation.objects.filter(project=OuterRef("pk")).filter(
                    Q(organization__name__icontains=word) | Q(organization__name_en__icontains=word)
                )
            )
        )
    return queryset
