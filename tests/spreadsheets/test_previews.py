"""Import previews leave nothing behind: the uploaded file waits in the database cache for
a short, configurable time, goes as soon as the import is confirmed, cancelled or
refused, and never reaches a backup."""

import datetime
import sqlite3
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tracker.models import Organization
from tracker.ops.backup import backup

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "name;name_en;country;kind\nХэйлунцзян;Heilongjiang;CN;government\n".encode()
PREVIEW_PREFIX = "%django-import-export-%"


def preview(client, content=ORGANIZATIONS, name="организации мая.csv"):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.post(
        reverse("admin:tracker_organization_import"),
        {"format": "1", "import_file": SimpleUploadedFile(name, content), "resource": "0"},
    )


def stored_previews():
    """(key, expires) of the files waiting in the cache table."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, expires FROM tracker_cache WHERE cache_key LIKE %s", [PREVIEW_PREFIX])
        return cursor.fetchall()


def expire_every_preview():
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(timezone.now() - datetime.timedelta(hours=1)), PREVIEW_PREFIX],
        )


def confirm(client, response, **extra):
    return client.post(
        reverse("admin:tracker_organization_process_import"), {**response.context["confirm_form"].initial, **extra}
    )


def test_a_preview_waits_only_as_long_as_the_setting_says(editor_client, settings):
    settings.TRACKER_IMPORT_PREVIEW_SECONDS = 600
    response = preview(editor_client)
    assert "Heilongjiang" in response.content.decode()
    ((_key, expires),) = stored_previews()
    expires = expires if isinstance(expires, datetime.datetime) else datetime.datetime.fromisoformat(expires)
    waits = expires.replace(tzinfo=datetime.timezone.utc) - timezone.now()
    assert datetime.timedelta(minutes=9) < waits <= datetime.timedelta(minutes=10)


def test_a_new_preview_deletes_the_previews_that_expired_and_nothing_else(editor_client):
    preview(editor_client)
    preview(editor_client, name="second.csv")
    expire_every_preview()
    cache.set("still-wanted", "yes", 600)
    preview(editor_client, name="third.csv")
    assert len(stored_previews()) == 1
    assert cache.get("still-wanted") == "yes"


def test_cancelling_imports_nothing_deletes_the_file_and_says_so(editor_client):
    response = preview(editor_client)
    assert 'name="cancel"' in response.content.decode()
    cancelled = confirm(editor_client, response, cancel="Cancel")
    assert cancelled.status_code == 302
    assert not Organization.objects.exists()
    assert stored_previews() == []
    page = editor_client.get(cancelled.url).content.decode()
    assert "The import of “организации мая.csv” was cancelled." in page


@pytest.mark.parametrize(
    "content",
    [
        "name;name_en;country;kind\nХэйлунцзян;Heilongjiang;CN;no such kind\n".encode(),  # a row refused
        b"PK\x03\x04 not a workbook",  # a file refused
    ],
    ids=["a row refused", "a file refused"],
)
def test_a_file_that_cannot_be_confirmed_is_deleted_at_once(editor_client, content):
    response = preview(editor_client, content, name="broken.csv" if b"PK" not in content else "broken.xlsx")
    assert response.status_code == 200 and not response.context.get("confirm_form")
    assert stored_previews() == []


def test_an_expired_preview_gets_a_message_naming_the_file_not_a_500(editor_client, settings):
    settings.TRACKER_IMPORT_PREVIEW_SECONDS = 900
    response = preview(editor_client)
    cache.delete_many([key.split(":", 2)[-1] for key, _expires in stored_previews()])
    refused = confirm(editor_client, response)
    assert refused.status_code == 302
    page = editor_client.get(refused.url).content.decode()
    assert "“организации мая.csv” waited more than 15 minutes for its confirmation" in page
    assert not Organization.objects.exists()



@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_no_waiting_preview(tmp_path):
    key = "django-import-export-" + "0" * 32
    cache.set(key, b"an editor's spreadsheet", 600)
    try:
        backup(tmp_path / "tracker.backup")
    finally:
        cache.delete(key)
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "tracker.backup") as copy:
            assert copy.execute("SELECT COUNT(*) FROM tracker_cache").fetchone() == (0,)
    else:
        listing = subprocess.run(["pg_restore", "--list", tmp_path / "tracker.backup"], capture_output=True, text=True).stdout
        assert " TABLE public tracker_cache " in listing and "TABLE DATA public tracker_cache" not in listing
