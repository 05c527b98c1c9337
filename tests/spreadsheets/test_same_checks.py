"""The same checks on every path: a bad value gets the same message from a one-row file
(row by row, through `full_clean`) as from a 500-row file (the bulk path), from the
admin's forms, and from the database itself; and a page never links an address that is
not a web page's."""

import csv
import io
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ratings.models import Region
from tests.factories import add_evidence, make_project, make_source
from tracker.models import Evidence, Project, Source
from tracker.ops.backup import fingerprint
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.spreadsheets.resources import DATASETS

pytestmark = pytest.mark.django_db

#: The bad row of the long file: row 137 as a spreadsheet counts (the header is row 1).
BAD_ROW = 137


def source(n):
    return {"title": f"Source {n}", "url": f"https://example.com/{n}", "kind": "media"}


def project(n):
    return {"reference": f"AMU-{n:03d}", "region": "RU-AMU", "title_ru": f"Проект {n}", "sector": "energy", "first_cycle": "III", "amount": "1500", "currency": "RUB"}


def region(n):
    return {"iso_code": f"RU-{n:03d}", "slug": f"region-{n}", "name_ru": f"Регион {n}", "name_en": f"Region {n}"}


LONG = "Д" * 501
BAD = {
    "javascript: URL": ("sources", source, {"url": "javascript:alert(1)"}, [("url", "Enter a valid URL.")]),
    "data: URL": ("sources", source, {"url": "data:text/html,<script>alert(1)</script>"}, [("url", "Enter a valid URL.")]),
    "ftp: URL": ("sources", source, {"url": "ftp://example.com/report.pdf"}, [("url", "Enter a valid URL.")]),
    "not a URL": ("sources", source, {"url": "not a url"}, [("url", "Enter a valid URL.")]),
    "amount 1e30": ("projects", project, {"amount": "1e30"}, [("amount", "Ensure that there are no more than 20 digits in total.")]),
    "negative amount": ("projects", project, {"amount": "-5"}, [("amount", "Ensure this value is greater than or equal to 0.")]),
    "amount in tenths of a kopeck": ("projects", project, {"amount": "1.234"}, [("amount", "Ensure that there are no more than 2 decimal places.")]),
    "slug with a space and a slash": ("regions", region, {"slug": "amur oblast/x"}, [("slug", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.")]),
    "overlong title": ("projects", project, {"title_ru": LONG}, [("title_ru", "Ensure this value has at most 500 characters (it has 501).")]),
    "date that does not exist": (
        "sources", source, {"published_on": "2025-02-30", "published_precision": "day"},
        [("published_on", "“2025-02-30” is not a date; write 2025-06-01 or 01.06.2025."), ("published_precision", "Give a precision exactly when a date is given.")],
    ),
    "blank kind": ("sources", source, {"kind": ""}, [("kind", "“Kind” may not be left empty.")]),
    "no region": ("projects", project, {"region": ""}, [("region", "“Region” may not be left empty.")]),
    "no first cycle": ("projects", project, {"first_cycle": ""}, [("first_cycle", "“First reported in cycle” may not be left empty.")]),
}


def csv_file(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(key for row in rows for key in row)))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def paths(monkeypatch):
    """Which path each import took: the bulk path, and rows sent through the row path."""
    taken = SimpleNamespace(bulk=0, rows=0)
    for resource in DATASETS.values():
        bulk_import, import_row = resource.bulk_import, resource.import_row

        def bulk(self, *args, _original=bulk_import, **kwargs):
            taken.bulk += 1
            return _original(self, *args, **kwargs)

        def row(self, *args, _original=import_row, **kwargs):
            taken.rows += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(resource, "bulk_import", bulk)
        monkeypatch.setattr(resource, "import_row", row)
    return taken


def problems_of(name, rows):
    report = import_datasets([(name, read_dataset(csv_file(rows), f"{name}.csv"))])
    return [(p.row, p.column, p.message) for p in report.problems]


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_a_bad_value_gets_the_same_message_from_a_short_file_and_a_long_one(cycles, region, paths, case):
    name, good, bad, expected = case
    before = fingerprint()

    short = problems_of(name, [{**good(0), **bad}])
    assert (paths.bulk, paths.rows) == (0, 1)
    rows = [good(n) for n in range(500)]
    rows[BAD_ROW - 2] = {**rows[BAD_ROW - 2], **bad}
    long = problems_of(name, rows)
    assert paths.bulk == 1 and paths.rows == 1  # the long file was checked on the bulk path

    assert short == [(2, column, message) for column, message in expected]
    assert long == [(BAD_ROW, column, message) for column, message in expected]
    assert fingerprint() == before  # nothing written


CHANGES = {
    **{case: BAD[case] for case in ("javascript: URL", "amount 1e30", "slug with a space and a slash", "overlong title")},
    "kind cleared": ("sources", source, {"kind": "(clear)"}, [("kind", "“Kind” may not be left empty.")]),
}


@pytest.mark.parametrize("case", CHANGES.values(), ids=CHANGES.keys())
def test_a_bad_value_in_rows_that_change_records_gets_the_same_message_too(cycles, region, paths, case):
    name, good, bad, expected = case
    assert problems_of(name, [good(n) for n in range(500)]) == []
    before, paths.rows = fingerprint(), 0

    short = problems_of(name, [{**good(0), **bad}])
    rows = [good(n) for n in range(500)]
    rows[BAD_ROW - 2] = {**rows[BAD_ROW - 2], **bad}
    long = problems_of(name, rows)
    assert paths.rows == 1  # the long file was checked on the bulk path

    assert short == [(2, column, message) for column, message in expected]
    assert long == [(BAD_ROW, column, message) for column, message in expected]
    assert fingerprint() == before


def test_the_database_refuses_what_the_fields_refuse_whatever_the_door(cycles, region):
    for bad in ({"slug": "amur oblast/x"}, {"slug": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Region.objects.filter(pk=region.pk).update(**bad)
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://example.com/x"):
        with pytest.raises(IntegrityError), transaction.atomic():
            make_source(url=url)
    stored = make_project(region, cycles[2], amount=1500, currency="RUB")
    with pytest.raises(DatabaseError), transaction.atomic():  # PostgreSQL: numeric overflow
        Project.objects.filter(pk=stored.pk).update(amount=10**18)


def admin_source(client, url):
    return client.post(
        reverse("admin:tracker_source_add"),
        {"title": "Report", "url": url, "kind": "media", "language": "ru", "publisher": "", "note": ""},
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/report.pdf"])
def test_the_admin_refuses_a_source_url_that_is_not_a_web_address(editor_client, url):
    page = admin_source(editor_client, url)
    assert page.status_code == 200
    assert "url" in page.context["adminform"].form.errors
    assert not Source.objects.exists()
    assert admin_source(editor_client, "https://example.com/report").status_code == 302
    assert Source.objects.get().url == "https://example.com/report"


def timeline_with(cycles, url):
    # Built in memory: the database refuses such an address today, but one stored before
    # the check existed must not be linked either.
    item = Evidence(project=Project(reference="AMU-001"), cycle=cycles[2], kind="result", summary="Opened.")
    item.source = Source(title="The report", url=url, kind="media")
    return render_to_string("tracker/_timeline.html", {"timeline": [("evidence", item)]})


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", " javascript:alert(1)", "ftp://example.com/x"])
def test_a_page_names_a_source_without_linking_an_address_that_is_not_a_web_page(cycles, url):
    html = timeline_with(cycles, url)
    assert "The report" in html
    assert "href" not in html
    assert '<a href="https://example.com/report"' in timeline_with(cycles, "https://example.com/report")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite could store such values")
def test_values_stored_before_the_checks_are_repaired_and_every_page_answers(client, cycles, region):
    stored = make_project(region, cycles[2], reference="AMU-001", amount=1500, currency="RUB")
    report = make_source("The report")
    add_evidence(stored, cycles[2], source=report)
    with connection.cursor() as cursor:  # what the bulk path used to store
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        cursor.execute("UPDATE ratings_region SET slug = 'amur oblast/x' WHERE id = %s", [region.pk])
        cursor.execute("UPDATE tracker_project SET amount = 1e30 WHERE id = %s", [stored.pk])
        cursor.execute("UPDATE tracker_source SET url = 'javascript:alert(1)' WHERE id = %s", [report.pk])
        cursor.execute("PRAGMA ignore_check_constraints = OFF")

    editor = SimpleNamespace(connection=connection)
    import_module("ratings.migrations.0006_region_slug_format").repair_slugs(django_apps, editor)
    repair = import_module("tracker.migrations.0023_web_urls_and_bounded_amounts")
    repair.remove_other_urls(django_apps, editor)
    repair.remove_amounts_out_of_range(django_apps, editor)

    region.refresh_from_db()
    assert region.slug == "amur-oblastx" and "amur oblast/x" in region.note
    assert Project.objects.filter(pk=stored.pk, amount=None, currency="", note__contains="e+30").exists()
    assert Source.objects.filter(pk=report.pk, url="", note__contains="javascript:alert(1)").exists()
    for url in ("/", "/projects/", "/projects/AMU-001/", "/regions/", region.get_absolute_url(), "/unresolved/"):
        assert client.get(url).status_code == 200, url
