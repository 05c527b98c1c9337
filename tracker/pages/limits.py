"""What one public request may cost: bounded inputs and a time budget for its queries.

Every researchers' page runs its database work under a deadline
(TRACKER_PUBLIC_QUERY_SECONDS, 1.5 s by default) on both databases: on PostgreSQL each
statement gets a `statement_timeout` of the time left, on SQLite a progress handler
interrupts the statement that runs past it; a query started after the deadline is not
sent at all. A request that runs out answers 503 with a message in the reader's language
instead of holding a worker. Inputs that drive the cost are bounded before any query:
the query string's length and number of parameters (400), the search's length and
number of words (a message next to the search box).
"""

import contextlib
import hashlib
import os
import tempfile
import time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from django.conf import settings
from django.core.exceptions import ValidationError
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.clients import client_address

#: A search of more words than this is refused with a message (each word is one more
#: condition over titles, partners and evidence).
SEARCH_MAX_WORDS = 8
SEARCH_MAX_LENGTH = 200


class OutOfTime(DatabaseError):
    """A public request's queries ran past its budget."""


def _sqlite_interrupt(deadline):
    def handler():
        return 1 if time.monotonic() > deadline else 0

    return handler


@contextlib.contextmanager
def query_budget(seconds=None):
    """Run the block's queries under a deadline `seconds` from now (default
    TRACKER_PUBLIC_QUERY_SECONDS); a query past it raises OutOfTime."""
    seconds = settings.TRACKER_PUBLIC_QUERY_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + seconds
    vendor = connection.vendor
    state = {"set_ms": None}

    def wrapper(execute, sql, params, many, context):
        left = deadline - time.monotonic()
        if left <= 0:
            raise OutOfTime("query budget spent")
        if vendor == "postgresql":
            ms = max(int(left * 1000), 1)
            if state["set_ms"] is None or state["set_ms"] - ms > 50:
                with context["connection"].connection.cursor() as raw:
                    raw.execute(f"SET statement_timeout = {ms}")
                state["set_ms"] = ms
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            if time.monotonic() > deadline or _is_timeout(error):
                raise OutOfTime(str(error)) from error
            raise

    connection.ensure_connection()
    if vendor == "sqlite":
        connection.connection.set_progress_handler(_sqlite_interrupt(deadline), 2000)
    try:
        with connection.execute_wrapper(wrapper):
            yield
    except OutOfTime:
        raise
    except DatabaseError as error:  # also raised while rows are fetched, outside the wrapper
        if time.monotonic() > deadline or _is_timeout(error):
            raise OutOfTime(str(error)) from error
        raise
    finally:
        _lift(vendor, state)


def _lift(vendor, state):
    if connection.connection is None:
        return
    if vendor == "sqlite":
        connection.connection.set_progress_handler(None, 0)
    elif vendor == "postgresql" and state["set_ms"] is not None:
        # In a transaction a cancelled statement aborted, the SET is undone with it.
        with contextlib.suppress(Exception):
            with connection.connection.cursor() as raw:
                raw.execute("RESET statement_timeout")


def _is_timeout(error):
    cause = getattr(error, "__cause__", None)
    text = str(error).lower()
    return "interrupted" in text or "statement timeout" in text or type(cause).__name__ == "QueryCanceled"


def out_of_time(request):
    """The 503 a public request gets when its budget runs out."""
    response = render(
        request,
        "tracker/limit.html",
        {
            "title": _("This request took too long"),
            "message": _(
                "Answering it would take more than %(seconds)s seconds. Narrow the search or the "
                "filters and try again; the whole record can be downloaded from the releases page."
            ) % {"seconds": settings.TRACKER_PUBLIC_QUERY_SECONDS},
        },
        status=503,
    )
    response["Retry-After"] = "10"
    return response


def too_large(request):
    """The 400 for a query string longer or with more parameters than a page has use for;
    None when the request is within bounds."""
    query = request.META.get("QUERY_STRING", "")
    count = len(request.GET)
    if len(query) <= settings.TRACKER_MAX_QUERY_BYTES and count <= settings.TRACKER_MAX_QUERY_PARAMETERS:
        return None
    return render(
        request,
        "tracker/limit.html",
        {
            "title": _("This address is too long"),
            "message": ngettext(
                "A page takes at most %(count)d parameter and %(bytes)s characters after “?”.",
                "A page takes at most %(count)d parameters and %(bytes)s characters after “?”.",
                settings.TRACKER_MAX_QUERY_PARAMETERS,
            ) % {"count": settings.TRACKER_MAX_QUERY_PARAMETERS, "bytes": settings.TRACKER_MAX_QUERY_BYTES},
        },
        status=400,
    )


def too_many_rows(request, count):
    """The 400 for a download of more rows than TRACKER_PUBLIC_EXPORT_MAX_ROWS."""
    limit = settings.TRACKER_PUBLIC_EXPORT_MAX_ROWS
    return render(
        request,
        "tracker/limit.html",
        {
            "title": _("Too many rows to download"),
            "message": ngettext(
                "These filters select %(count)s row; a download holds at most %(limit)s. Narrow the "
                "filters, or download the whole record from the releases page.",
                "These filters select %(count)s rows; a download holds at most %(limit)s. Narrow the "
                "filters, or download the whole record from the releases page.",
                count,
            ) % {"count": intcomma(count), "limit": intcomma(limit)},
        },
        status=400,
    )


def check_search_words(value):
    """The search box's validator: at most SEARCH_MAX_WORDS words."""
    words = len(value.split())
    if words > SEARCH_MAX_WORDS:
        raise ValidationError(
            ngettext(
                "Search for at most %(limit)d word (this search has %(words)d).",
                "Search for at most %(limit)d words (this search has %(words)d).",
                SEARCH_MAX_WORDS,
            ) % {"limit": SEARCH_MAX_WORDS, "words": words},
            code="too_many_words",
        )


def refuse_nul(get_response):
    """Middleware: a NUL character in the address (path or query string, %00 included) is
    refused with 400 on every page, admin too — no text column of either database can
    hold one, and PostgreSQL refuses the query outright."""

    def middleware(request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address contains a NUL character (%00), which no page accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware


def _slot_folder():
    folder = settings.TRACKER_RENDER_SLOT_DIR or os.path.join(
        tempfile.gettempdir(), "tracker-render-slots-" + hashlib.sha256(str(settings.BASE_DIR).encode()).hexdigest()[:12]
    )
    os.makedirs(folder, exist_ok=True)
    return folder


@contextlib.contextmanager
def render_slot(request):
    """Hold one of the client's TRACKER_RENDERS_PER_CLIENT render slots while a page is
    rendered afresh (a page served from the cache needs none): file locks shared by every
    server process on the machine, so one client cannot keep more than that many workers
    busy, however many requests it sends. Yields False when every slot is taken. Where
    file locks do not exist (Windows), there is no limit."""
    if fcntl is None or settings.TRACKER_RENDERS_PER_CLIENT == 0:
        yield True
        return
    client = hashlib.sha256(client_address(request).encode()).hexdigest()[:16]
    folder = _slot_folder()
    for number in range(settings.TRACKER_RENDERS_PER_CLIENT):
        handle = open(os.path.join(folder, f"{client}-{number}"), "a")  # noqa: SIM115 (held while rendering)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    yield False


def busy_client(request):
    """The 429 for a client whose render slots are all taken: plain text, as cheap to send
    as an answer can be, since a client that gets it tends to ask again at once."""
    response = HttpResponse(
        _("Another request from your address is still being answered. Wait for it to finish, then try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "2"
    return response
