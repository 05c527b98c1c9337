"""Uploads for import: kept in memory while they arrive, and in the cache, briefly,
between the preview and the confirmation; never on disk."""

import re

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.files.uploadhandler import MemoryFileUploadHandler, StopUpload
from django.db import connections, router
from django.utils import timezone
from import_export.tmp_storages import CacheStorage

_PREVIEW_NAME = re.compile(r"[0-9a-f]{32}")  # CacheStorage names a file with uuid4().hex


class CappedMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps uploads in memory and stops reading one that passes the import limit.

    The import form then reports the file as too big (see ImportFileField)."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Always in memory, whatever the size: the cap below bounds it.
        self.activated = True

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.TRACKER_IMPORT_MAX_BYTES + 1024 * 1024:
            self.request.upload_too_big = True
            raise StopUpload(connection_reset=False)
        return super().receive_data_chunk(raw_data, start)


class PreviewStorage(CacheStorage):
    """Where an uploaded file waits between its preview and the confirmation: the default
    cache (the database), for TRACKER_IMPORT_PREVIEW_SECONDS instead of django-import-export's
    day. Each new preview first deletes the previews that have expired, since the database
    cache only culls when it is full; the admin removes the file as soon as the import is
    confirmed, cancelled or refused (tracker/spreadsheets/admin.py)."""

    @property
    def CACHE_LIFETIME(self):
        return settings.TRACKER_IMPORT_PREVIEW_SECONDS

    def save(self, data):
        purge_expired_cache_entries()
        super().save(data)

    @classmethod
    def named(cls, name):
        """The storage of a preview named in a confirmation form, or None for a name that
        is not one of ours."""
        return cls(name=name, read_mode="rb") if _PREVIEW_NAME.fullmatch(name or "") else None


def purge_expired_cache_entries():
    """Delete the default cache's expired rows, when it is the database cache."""
    cache = settings.CACHES[DEFAULT_CACHE_ALIAS]
    if cache["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
        return  # other caches drop expired entries themselves
    database = router.db_for_write(caches[DEFAULT_CACHE_ALIAS].cache_model_class)
    connection = connections[database]
    table, expires = connection.ops.quote_name(cache["LOCATION"]), connection.ops.quote_name("expires")
    now = timezone.now().replace(microsecond=0)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [connection.ops.adapt_datetimefield_value(now)])
