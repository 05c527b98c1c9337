"""The admin's project search reads the same index as the researchers' pages (every cycle,
drafts included: tracker/models/search.py), and still finds a reference by its beginning."""

from django.db.models import Q

from tracker.models.search import matching


class ProjectSearch:
    """ModelAdmin mixin: the search box finds projects by their words, or a reference by a part."""

    search_fields = ["reference"]  # shows the box; the search itself is below
    search_help_text = None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        found = matching(queryset.model.objects.all(), term).values("pk")
        return queryset.filter(Q(pk__in=found) | Q(reference__icontains=term)), False
