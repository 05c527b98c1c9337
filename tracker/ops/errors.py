"""Database errors a person can be told about instead of shown an error page.

- *Busy*: on SQLite one writer at a time holds the file; a writer that waited longer than
  the busy timeout (SQLITE_TIMEOUT) gets "database is locked". Nothing of its
  transaction was written, so trying again later is safe.
- *Write conflict*: on PostgreSQL two transactions that change the same rows at the same
  moment can end in a deadlock or a serialization failure, or one of them in a unique
  violation; the loser is rolled back whole.
"""

import sys

from django.db import IntegrityError, OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

#: SQLite's words for a lock wait that ran out (the second one on shared-cache memory
#: databases, as the test suite uses).
BUSY_TEXTS = ("database is locked", "database table is locked")
#: PostgreSQL's serialization_failure and deadlock_detected.
CONFLICT_SQLSTATES = {"40001", "40P01"}
#: Seconds a client is asked to wait before trying again.
RETRY_AFTER = 30


def is_busy(error):
    """Whether `error` is SQLite giving up on waiting for another writer."""
    return isinstance(error, OperationalError) and any(text in str(error) for text in BUSY_TEXTS)


def is_write_conflict(error):
    """Whether `error` is a transaction losing a race for the same rows to another."""
    if isinstance(error, IntegrityError):
        return True
    cause = getattr(error, "__cause__", None)
    return isinstance(error, OperationalError) and getattr(cause, "sqlstate", None) in CONFLICT_SQLSTATES


def busy_message():
    return _(
        "The database is busy with another change (a large import, perhaps). Nothing of yours "
        "was saved: try again in a minute."
    )


def server_error(request):
    """The 500 handler (config/urls.py): a write that found the database busy — in a view
    or in a middleware — is answered 503 with Retry-After and the busy message in the
    reader's language; anything else gets Django's own 500 page. Django has already
    logged the exception with its traceback."""
    error = sys.exc_info()[1]
    if not is_busy(error):
        return defaults.server_error(request)
    response = render(request, "busy.html", {"message": busy_message()}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response
