"""Files too wide or too long get a message naming the file and the limit, within
seconds, through the admin and the command line alike, before the expensive parse."""

import functools
import io
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tracker.models import Project
from tracker.spreadsheets.formats import SpreadsheetError, read_dataset
from tracker.spreadsheets.writers import write_ods, write_xlsx

pytestmark = pytest.mark.django_db


def wide_csv(columns, repeat=False):
    names = ["reference"] * columns if repeat else [f"c{i}" for i in range(columns)]
    return (",".join(names) + "\n").encode()


@functools.cache
def xlsx_of(rows):
    out = io.BytesIO()
    write_xlsx(["reference"], ([f"AMU-{n}"] for n in range(rows)), out)
    return out.getvalue()


def refused(content, filename):
    """The reader's message, and how long it took to give it."""
    start = time.perf_counter()
    with pytest.raises(SpreadsheetError) as error:
        read_dataset(content, filename)
    return str(error.value), time.perf_counter() - start


def test_a_header_of_fifty_thousand_columns_is_refused_as_too_wide():
    message, seconds = refused(wide_csv(50_000, repeat=True), "wide.csv")
    assert message == "“wide.csv” has 50000 columns; the tracker reads at most 500."
    assert seconds < 5


def test_a_csv_of_a_million_columns_is_refused_as_too_wide():
    message, seconds = refused(wide_csv(1_000_000), "million.csv")
    assert "“million.csv” has 1000000 columns" in message
    assert seconds < 10


def test_a_json_row_of_two_hundred_thousand_keys_is_refused_as_too_wide():
    content = json.dumps([{f"k{i}": i for i in range(200_000)}]).encode()
    message, _seconds = refused(content, "keys.json")
    assert "“keys.json” has 200000 columns" in message


def test_a_json_list_longer_than_the_row_limit_is_refused(settings):
    settings.TRACKER_IMPORT_MAX_ROWS = 1000
    assert len(read_dataset(json.dumps([{"reference": n} for n in range(1000)]).encode(), "full.json")) == 1000
    message, _seconds = refused(json.dumps([{"reference": n} for n in range(1001)]).encode(), "long.json")
    assert message == "“long.json” has more than 1000 rows; import it in parts of at most 1000 rows."


def test_an_xlsx_of_seven_hundred_thousand_rows_is_refused_before_it_is_parsed():
    message, seconds = refused(xlsx_of(700_000), "long.xlsx")
    assert message == "“long.xlsx” has more than 200000 rows; import it in parts of at most 200000 rows."
    assert seconds < 5


@pytest.mark.parametrize("fmt", ["csv", "ods", "xlsx"])
def test_csv_ods_and_xlsx_longer_than_the_row_limit_are_refused(settings, fmt):
    settings.TRACKER_IMPORT_MAX_ROWS = 1000
    assert len(read_dataset(xlsx_of(1000), "full.xlsx")) == 1000
    if fmt == "xlsx":
        content = xlsx_of(1001)
    elif fmt == "csv":
        content = ("reference\n" + "".join(f"AMU-{n}\n" for n in range(1001))).encode()
    else:
        out = io.BytesIO()
        write_ods(["reference"], ([f"AMU-{n}"] for n in range(1001)), out)
        content = out.getvalue()
    message, _seconds = refused(content, f"long.{fmt}")
    assert f"“long.{fmt}” has more than 1000 rows" in message


def test_empty_columns_at_the_right_do_not_count_against_the_limit(settings):
    settings.TRACKER_IMPORT_MAX_COLUMNS = 3
    dataset = read_dataset(b"reference,title_ru" + b"," * 50 + b"\nAMU-1,Most\n", "trailing.csv")
    assert dataset.headers == ["reference", "title_ru"]


CASES = {
    "wide.csv": (lambda: wide_csv(50_000, repeat=True), "has 50000 columns"),
    "long.xlsx": (lambda: xlsx_of(700_000), "has more than 200000 rows"),
}


@pytest.mark.parametrize("name", CASES)
def test_the_admin_import_gives_the_message_on_the_form(editor_client, name):
    make, message = CASES[name]
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = editor_client.post(
        reverse("admin:tracker_project_import"),
        {"format": "0", "import_file": SimpleUploadedFile(name, make()), "resource": "0"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["import_file"])
    assert f"“{name}” {message}" in errors
    assert not Project.objects.exists()


@pytest.mark.parametrize("name", CASES)
def test_importdata_exits_with_the_message(tmp_path, name):
    make, message = CASES[name]
    (tmp_path / name).write_bytes(make())
    with pytest.raises(CommandError, match=f"“{name}” {message}"):
        call_command("importdata", "projects", str(tmp_path / name), "--language", "en", stdout=io.StringIO(), stderr=io.StringIO())
