"""What the projects list shows of a search: the matched words marked, and for a project
found by its evidence, the summary that matched (the index itself: tracker/models/search.py)."""

import copy

from django.core.paginator import Paginator
from django.db.models import Case, When
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import get_language

from tracker.models import Evidence, words
from tracker.models.search import BROAD, without_parallel_workers

#: The order of a search by relevance: equally relevant projects by id.
RELEVANCE = ("search_rank", "pk")

#: Characters of a matched summary shown under the title.
SNIPPET = 180


def attach_snippets(projects, query, up_to):
    """Set `project.snippet` on each of `projects` whose title holds none of the search's
    words: the first evidence summary (of the cycles up to `up_to`, in the reader's language
    where there is one) that holds one of them, else None."""
    wanted = words.key_set(query)
    russian = (get_language() or "ru").startswith("ru")
    pending = {}
    for project in projects:
        project.snippet = None
        if not wanted & set(words.index_text(project.title).split()):
            pending[project.pk] = project
    if not pending:
        return projects
    rows = Evidence.objects.filter(project_id__in=pending).order_by("-cycle__number", "pk")
    if up_to is not None:
        rows = rows.filter(cycle__number__lte=up_to)
    for project_id, summary_ru, summary in rows.values_list("project_id", "summary_ru", "summary"):
        project = pending.get(project_id)
        if project is None:
            continue
        for text in (summary_ru, summary) if russian else (summary, summary_ru):
            if text and wanted & set(words.index_text(text).split()):
                project.snippet = Truncator(text).chars(SNIPPET)
                del pending[project_id]
                break
    return projects


def counted(queryset, most=None):
    """How many rows `queryset` holds, up to `most` when given (the database stops there);
    a search is counted without parallel workers."""
    with without_parallel_workers(queryset):
        return queryset.count() if most is None else queryset.order_by()[:most].count()


class SearchPaginator(Paginator):
    """Pages of any list. A search (a queryset with `search_rank`) is counted without
    parallel workers on PostgreSQL (tracker/models/search.py `without_parallel_workers`);
    one that finds more than BROAD projects is counted up to BROAD + 1 only — `more` is
    then True and the count BROAD, the pages those of its first BROAD results — unless
    the paginator is `exact`, and in order of relevance it is listed as BroadResults."""

    exact = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.more = False

    @cached_property
    def count(self):
        found = self.object_list
        if not hasattr(found, "query") or "search_rank" not in found.query.annotations:
            return super().count
        count = counted(found, None if self.exact else BROAD + 1)
        if count > BROAD and list(found.query.order_by) == list(RELEVANCE):
            self.object_list = BroadResults(found)
        if count > BROAD and not self.exact:
            self.more, count = True, BROAD
        return count


class ExactSearchPaginator(SearchPaginator):
    """A SearchPaginator that counts every result (the API's: programs page through all)."""

    exact = True


class BroadResults:
    """The results of a search that found more than BROAD projects, in order of relevance
    read broadly: first those whose head — titles, reference, location, partners' names —
    holds the words (the alias `search_head`), ranked, unless they too are more than
    BROAD; then the others in the order they were entered. Ranking every match would read
    the words of most projects for each page (88,000 of 100,000: 75 ms on PostgreSQL,
    130 on SQLite) and tell them apart by little more than their length; here each page
    reads two indexes and stops at its last row. A slice is a queryset of its rows in
    this order."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.heads = queryset.filter(search_head=True)
        self.rest = queryset.filter(search_head=False)

    @cached_property
    def heads_counted(self):
        """How many heads hold the words, counted up to BROAD + 1."""
        return counted(self.heads, BROAD + 1)

    def __getitem__(self, part):
        start, stop = part.start or 0, part.stop
        heads, ranked = self.heads_counted, self.heads_counted <= BROAD
        if not ranked and stop > heads:
            heads = self.heads.count()
        ids = []
        if start < heads:
            order = RELEVANCE if ranked else ("search_entry",)
            ids += self.heads.order_by(*order).values_list("pk", flat=True)[start : min(stop, heads)]
        if stop > heads:
            ids += self.rest.order_by("search_entry").values_list("pk", flat=True)[max(start - heads, 0) : stop - heads]
        return self.rows(ids)

    def rows(self, ids):
        """The projects `ids` in that order, read by id alone (a search's filter again would
        read its matches again), joined and prefetched as the search's queryset is."""
        rows = self.queryset.model._default_manager.filter(pk__in=ids)
        rows.query.select_related = copy.deepcopy(self.queryset.query.select_related)
        rows = rows.prefetch_related(*self.queryset._prefetch_related_lookups)
        return rows.order_by(Case(*(When(pk=pk, then=place) for place, pk in enumerate(ids)))) if ids else rows.none()
