"""Researchers' pages cached whole, for visitors who are not signed in.

A page is stored under the data version (tracker/models/data_version.py): a counter that
every transaction writing the tracker's or the ratings' tables raises once, right after
it commits (model saves and deletes, connected below; bulk imports, status-path rewrites,
synthetic data and restores call `bump` themselves). A cached page is therefore never
older than the data: once a write commits, every later request asks for a new version
and renders afresh. Reading the version is
one single-row query; the pages themselves live in each server process's memory
(CACHES["pages"]). Entries also expire after TRACKER_PAGE_CACHE_SECONDS as a backstop
for changes made behind the application's back (raw SQL).
"""

import functools
import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

from tracker.models.data_version import bump, data_version

from .limits import busy_client, render_slot

APPS = {"tracker", "ratings"}


def _on_change(sender, **kwargs):
    if sender._meta.app_label in APPS and sender._meta.model_name != "dataversion":
        bump()


def connect():
    """Raise the data version on every model save and delete (called by the app config)."""
    post_save.connect(_on_change, dispatch_uid="tracker_pagecache_save")
    post_delete.connect(_on_change, dispatch_uid="tracker_pagecache_delete")


def cacheable(request):
    return (
        settings.TRACKER_PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and "export" not in request.GET
        and not request.user.is_authenticated
    )


def render_afresh(view, request, *args, **kwargs):
    """The view's answer, rendered in one of the client's render slots (limits.py)."""
    with render_slot(request) as free:
        if not free:
            return busy_client(request)
        response = view(request, *args, **kwargs)
        if response.streaming:  # written after the slot is given back: bounded by the row cap
            return response
        if hasattr(response, "render"):
            response.render()
        return response


def cached_page(view):
    """Serve the view's 200 responses from the page cache while the data is unchanged."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            return render_afresh(view, request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{data_version()}:{get_language()}:{path}"
        store = caches["pages"]
        hit = store.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = render_afresh(view, request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            store.set(key, (response.content, response["Content-Type"]), settings.TRACKER_PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
