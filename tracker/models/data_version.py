"""The data version: a counter raised once by every transaction that writes the tracker's
or the ratings' data. The researchers' page cache (tracker/pages/cache.py) keys pages by it.

The counter is raised *after* the writing transaction commits, in a short statement of its
own, so two long writes in parallel never wait for each other on this row: a page rendered
between the commit and the raise is newer than its key, never older.
"""

from django.db import connection, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row: the data version."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        default_permissions = ()

    def __str__(self):
        return str(self.value)


def data_version():
    return DataVersion.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def raise_now():
    """Raise the data version at once (in the caller's transaction, if any)."""
    if not DataVersion.objects.filter(pk=1).update(value=F("value") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"value": 1})


def _raised():
    """Marks (as an on-commit callback) a transaction that raised the version already."""


def bump():
    """Note that the current transaction changed data: the version is raised once, after
    it commits (at once outside a transaction). On SQLite it is raised inside the
    transaction instead, committed with the data: the writer holds the whole file anyway,
    and a raise after the commit would queue behind the next writer and could fail with
    "database is locked" after the data was saved."""
    if not connection.in_atomic_block:
        raise_now()
    elif not any(callback[1] in (raise_now, _raised) for callback in connection.run_on_commit):
        if connection.vendor == "sqlite":
            raise_now()
            transaction.on_commit(_raised)
        else:
            transaction.on_commit(raise_now)
