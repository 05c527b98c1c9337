"""What the projects list shows of a search: the matched words marked, and for a project
found by its evidence, the summary that matched (the index itself: tracker/models/search.py)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import get_language

from tracker.models import Evidence, words
from tracker.models.search import BROAD, broadly_ordered, without_parallel_workers

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


class SearchPaginator(Paginator):
    """Pages of any list; a search's count is made without parallel workers on
    PostgreSQL (tracker/models/search.py `without_parallel_workers`), and a search in
    order of relevance that found more than BROAD projects is broadly_ordered()."""

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query"):
            return super().count
        with without_parallel_workers(self.object_list):
            count = super().count
        if count > BROAD and list(self.object_list.query.order_by) == list(RELEVANCE):
            self.object_list = broadly_ordered(self.object_list)
        return count
