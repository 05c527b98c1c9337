"""The candidate pool: the projects whose words share most with a news item's, fetched
through the database's full-text index — SQLite's FTS5 table of lemmas and stems
(tracker/models/search.py), PostgreSQL's GIN indexes over `to_tsvector('russian', …)` —
so that a search over 100,000 projects reads only the projects that share a word."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

from tracker.models import Evidence, Participation, Project
from tracker.models.search import ALL, CONFIG

#: Projects fetched by words, overall and again within the regions the text names.
POOL = 40
#: A word held by more than this share of the projects is left out of the pool query
#: (SQLite; it still counts in the ranking), unless the item has no rarer word.
COMMON_SHARE = 0.02
VOCABULARY = "tracker_search_vocab"


def _rare(using, keys):
    """The keys without the commonest ones, by the index's own counts of projects."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT max(rowid) FROM {ALL}")
        size = cursor.fetchone()[0] or 0
        cursor.execute(f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({', '.join(['%s'] * len(keys))})", keys)
        counts = dict(cursor.fetchall())
    limit = max(200, COMMON_SHARE * size)
    rare = [key for key in keys if counts.get(key, 0) <= limit]
    return rare or sorted(keys, key=lambda key: counts.get(key, 0))[:3]


def _sqlite(using, keys, before, regions, columns=""):
    expression = " OR ".join(f'"{key}"' for key in keys)
    if columns:
        expression = f"{columns} : ({expression})"
    where, params = [f"{ALL} MATCH %s"], [expression]
    if before is not None:
        where.append("p.first_number < %s")
        params.append(before)
    if regions:
        where.append(f"p.region_id IN ({', '.join(['%s'] * len(regions))})")
        params += list(regions)
    sql = (
        f"SELECT p.id FROM {ALL} s JOIN tracker_project p ON p.id = s.rowid WHERE {' AND '.join(where)}"
        f" ORDER BY s.rank LIMIT {POOL}"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _postgres(using, words, before, regions):
    query = None
    for word in words:
        one = SearchQuery(word, config=CONFIG, search_type="plain")
        query = one if query is None else query | one
    projects = Project.objects.using(using)
    if before is not None:
        projects = projects.filter(first_number__lt=before)
    if regions:
        projects = projects.filter(region_id__in=regions)
    titles = SearchVector("title_ru", "title_en", "reference", "location", config=CONFIG)
    evidence = Evidence.objects.annotate(document=SearchVector("summary_ru", "summary", config=CONFIG))
    if before is not None:
        evidence = evidence.filter(cycle__number__lt=before)
    partners = Participation.objects.annotate(
        document=SearchVector("organization__name", "organization__name_en", config=CONFIG)
    )
    projects = projects.annotate(document=titles).filter(
        Q(document=query)
        | Q(pk__in=evidence.filter(document=query).values("project_id"))
        | Q(pk__in=partners.filter(document=query).values("project_id"))
    )
    ranked = projects.annotate(rank=SearchRank(titles, query)).order_by("-rank", "pk")
    return list(ranked.values_list("pk", flat=True)[:POOL])


def pool(keys, words, *, before=None, regions=(), using="default"):
    """Ids of the projects sharing words with the item: the best POOL overall and the best
    POOL within `regions`. With `before` (a cycle number), only projects first reported
    before it; on SQLite the replay also asks the titles and partners alone, whose words
    no later cycle changed, so that later evidence cannot push a project out."""
    if not keys:
        return []
    if connections[using].vendor == "sqlite":
        keys = _rare(using, keys)
        ids = _sqlite(using, keys, before, ())
        if regions:
            ids += _sqlite(using, keys, before, regions)
        if before is not None:
            ids += _sqlite(using, keys, before, regions, columns="{titles partners}")
    else:
        ids = _postgres(using, words, before, ())
        if regions:
            ids += _postgres(using, words, before, regions)
    return list(dict.fromkeys(ids))
