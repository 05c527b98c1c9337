"""What every API view shares: the published record (an anonymous visitor's Audience,
whoever asks), the researchers' request limits (the query string's size, the time budget
of the queries), the 429, and the pages."""

from django.conf import settings
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from ratings.models import Cycle
from tracker.pages import limits
from tracker.pages.audience import Audience, published_up_to
from tracker.pages.search import ExactSearchPaginator

from .errors import refusal
from .throttling import TooManyRequests

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200


def public_audience():
    """The Audience of an anonymous visitor (tracker/pages/audience.py `audience_of`): the
    published cycles, no drafts — for editors too."""
    highest = Cycle.objects.order_by("-number").values_list("number", flat=True).first() or 0
    published = published_up_to()
    return Audience(up_to=published, drafts=False, editor=False, highest=highest, published=published)


class QueryTooLarge(exceptions.APIException):
    status_code = 400
    default_code = "query_too_large"

    def __init__(self):
        count, size = settings.TRACKER_MAX_QUERY_PARAMETERS, settings.TRACKER_MAX_QUERY_BYTES
        super().__init__(
            ngettext(
                "A request takes at most %(count)d parameter and %(bytes)s characters after “?”.",
                "A request takes at most %(count)d parameters and %(bytes)s characters after “?”.",
                count,
            ) % {"count": count, "bytes": size}
        )


def out_of_time():
    """The 503 of a request whose queries ran past TRACKER_PUBLIC_QUERY_SECONDS."""
    message = _(
        "Answering this request would take more than %(seconds)s seconds. Narrow the filters or ask for "
        "smaller pages and try again; the whole record can be downloaded from the releases."
    ) % {"seconds": settings.TRACKER_PUBLIC_QUERY_SECONDS}
    return refusal(message, 503, {"Retry-After": "10"})


class PublicRecord:
    """Mixed into every API view, before REST framework's classes."""

    #: OPTIONS answers 405 like any other method but GET and HEAD.
    metadata_class = None
    #: The 404 of an unknown key, with %(key)s for it.
    missing = gettext_lazy("There is no such record: “%(key)s”.")

    def dispatch(self, request, *args, **kwargs):
        try:
            with limits.query_budget():
                return super().dispatch(request, *args, **kwargs)
        except limits.OutOfTime:
            return out_of_time()

    def initial(self, request, *args, **kwargs):
        if limits.too_large(request._request) is not None:
            raise QueryTooLarge()
        super().initial(request, *args, **kwargs)
        # The researchers' filters read the reader's Audience from the request.
        request._request._tracker_audience = self.audience

    def throttled(self, request, wait):
        raise TooManyRequests(wait)

    @cached_property
    def audience(self):
        return public_audience()

    def not_found(self, key):
        return exceptions.NotFound(self.missing % {"key": str(key)[:40]})

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise self.not_found(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)) from None


class Pagination(PageNumberPagination):
    """`?page=` from 1 and `?page_size=` up to MAX_PAGE_SIZE; a page size that is not a
    whole number from 1 up is refused (400), not quietly replaced."""

    django_paginator_class = ExactSearchPaginator
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_query_description = gettext_lazy("The page to read, from 1 (the first, by default).")
    page_size_query_description = gettext_lazy("Results per page, from 1 to 200 (50 by default).")
    invalid_page_message = gettext_lazy("There is no page “{page_number}” of these results ({message}).")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param, "").strip()
        if not raw:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [_("Give a whole number from 1 to %(most)d.") % {"most": self.max_page_size}]}
            )
        return min(int(raw), self.max_page_size)
