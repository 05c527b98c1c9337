"""Hostile and broken files through every door, and an import killed halfway.

Each file must get a clear message — never an error page — and leave the database
exactly as it was (row counts and checksum)."""

import html
import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import make_project
from tracker.ops.backup import fingerprint
from tracker.spreadsheets.formats import read_dataset

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "tests" / "files"
pytestmark = pytest.mark.django_db

HEADER = ["reference", "region", "title_ru", "title_en", "sector", "first_cycle"]


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods(rows):
    dataset = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        dataset.append(row)
    return dataset.export("ods")


def with_entity_bomb(content, member):
    bomb = b'<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data = bomb + (data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data)
            target.writestr(item, data)
    return out.getvalue()


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * 150_000_000)
    return out.getvalue()


def html_page(rows):
    """What a web site's "Export to Excel" button often sends: an HTML table named .xlsx."""
    cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<html><head><meta charset='utf-8'></head><body><table>{cells}</table></body></html>".encode()


def text(rows, encoding="utf-8"):
    return "".join(",".join(row) + "\n" for row in rows).encode(encoding)


# Rows that import cleanly (known region, known cycle), so that each file below fails
# only for what is wrong with the file itself.
GOOD_ROW = ["AMU-100", "RU-AMU", "Мост", "Bridge", "transport", "II"]
NOT_A_SPREADSHEET = "is not a valid spreadsheet file (damaged or not XLSX/ODS)"
UNKNOWN_ENCODING = (
    "could not be recognised with confidence. The tracker reads UTF-8 (with or without BOM), "
    "UTF-16 with BOM, Windows-1251 and Windows-1252 (Latin-1)"
)

CORPUS = {  # name: (content, what the message must say)
    "truncated.xlsx": (xlsx([HEADER, GOOD_ROW])[:400], NOT_A_SPREADSHEET),
    "csv-named.xlsx": (text([HEADER, GOOD_ROW]), NOT_A_SPREADSHEET),
    "html-page.xlsx": (html_page([HEADER, GOOD_ROW]), NOT_A_SPREADSHEET),
    "random.ods": (os.urandom(5000), NOT_A_SPREADSHEET),
    "random.csv": (os.urandom(5000).replace(b"\0", b"\1"), UNKNOWN_ENCODING),
    "entity-bomb.xlsx": (with_entity_bomb(xlsx([HEADER, GOOD_ROW]), "xl/worksheets/sheet1.xml"), "declares XML entities"),
    "entity-bomb.ods": (with_entity_bomb(ods([HEADER, GOOD_ROW]), "content.xml"), "declares XML entities"),
    "zip-bomb.xlsx": (zip_bomb(), "refused as a possible zip bomb"),
    # KOI8-R, as old Unix systems and mail programs write Russian: read as Windows-1251
    # it would be stored as “нПУФ”, so it is refused.
    "koi8-r.csv": (text([HEADER, GOOD_ROW], "koi8_r"), UNKNOWN_ENCODING),
    "nul.csv": (b"reference,region\x00\nAMU-100,RU-AMU\n", "contains NUL bytes"),
    "huge-cell.csv": (text([HEADER, ["AMU-100", "RU-AMU", "Я" * 100_000, "Bridge", "transport", "II"]]), "Ensure this value has at most 500 characters (it has 100000)."),
    # Formulas keep no cached value in a file written by openpyxl, so they arrive blank.
    "formula.xlsx": (xlsx([HEADER, ["=1+1", "RU-AMU", "=HYPERLINK(\"http://x\")", "x", "transport", "II"]]), "may not be left empty."),
    "duplicated-headers.csv": (b"reference,reference,region\nAMU-100,AMU-101,RU-AMU\n", "column “reference”: column appears more than once"),
    "missing-columns.csv": ("title_ru,sector\nМост,transport\n".encode(), "column “reference”: required column is missing"),
    "unknown-region.csv": (text([HEADER, ["AMU-100", "Атлантида", "Мост", "Bridge", "transport", "II"]]), "Unknown region “Атлантида”"),
    "wrong-extension.pdf": (b"%PDF-1.4 not a spreadsheet", "is not a file the tracker reads"),
    "empty.csv": (b"", "has no header row"),
}
ADMIN_SAYS_INSTEAD = {"empty.csv": "The submitted file is empty."}  # Django's upload field speaks first


def error_texts(page):
    """The text of the error lists a person sees: the form's and the rows'."""
    lists = re.findall(r'<ul class="(?:errorlist|validation-error-list)[^"]*"[^>]*>(.*?)</ul>', page, re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in lists]


@pytest.fixture
def state(cycles, region):
    make_project(region, cycles[0], reference="AMU-001")
    return fingerprint()


def test_the_corpus_rows_themselves_import(cycles, region):
    """The good row really is good: what the corpus files get refused for is the file."""
    from tracker.spreadsheets.importer import import_datasets

    assert import_datasets([("projects", read_dataset(text([HEADER, GOOD_ROW]), "good.csv"))], dry_run=True).ok


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_through_the_admin_gets_a_message_and_changes_nothing(editor_client, state, name, settings):
    settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES = 50_000_000
    content, message = CORPUS[name]
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = editor_client.post(
        reverse("admin:tracker_project_import"),
        {"format": "1", "import_file": SimpleUploadedFile(name, content), "resource": "0"},
    )
    assert response.status_code == 200, name
    errors = error_texts(response.content.decode())
    assert any(ADMIN_SAYS_INSTEAD.get(name, message) in error for error in errors), (name, errors)
    assert (response.context or {}).get("confirm_form") is None, name
    assert fingerprint() == state, name


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_from_the_command_line_exits_with_a_message_and_changes_nothing(tmp_path, state, name, settings):
    settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES = 50_000_000
    content, message = CORPUS[name]
    path = tmp_path / name
    path.write_bytes(content)
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("importdata", "projects", str(path), "--language", "en", stdout=io.StringIO(), stderr=err)
    said = str(failure.value) + err.getvalue()
    assert message in said and "Traceback" not in said, (name, said[:500])
    assert fingerprint() == state, name


@pytest.mark.parametrize("door", ["admin", "command line"])
def test_a_windows_1252_file_with_good_rows_imports_without_mojibake(editor_client, cycles, region, tmp_path, door):
    """Once read as Windows-1251 and stored as “Cafй crиme”; now read as what it is."""
    from ratings.models import Cycle
    from tracker.models import Project

    name = "western_cp1252.csv"
    content = (FILES / name).read_bytes()
    if door == "admin":
        Cycle.objects.filter(number__gte=2).update(is_published=False)  # the file's cycle II a draft, open to editors
        editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        preview = editor_client.post(
            reverse("admin:tracker_project_import"),
            {"format": "1", "import_file": SimpleUploadedFile(name, content), "resource": "0"},
        )
        page = html.unescape(preview.content.decode())
        assert "Café crème" in page and "Zürich tram" in page and "Cafй" not in page  # what the editor confirms
        confirm = editor_client.post(reverse("admin:tracker_project_process_import"), preview.context["confirm_form"].initial)
        assert confirm.status_code == 302
    else:
        (tmp_path / name).write_bytes(content)
        call_command("importdata", "projects", str(tmp_path / name), stdout=io.StringIO(), stderr=io.StringIO())
    assert Project.objects.values_list("reference", "title_ru", "title_en").get() == ("AMU-100", "Café crème", "Zürich tram")


def test_html_in_a_csv_title_is_stored_as_the_text_it_is(cycles, region, tmp_path):
    from tracker.models import Project

    path = tmp_path / "html-title.csv"
    path.write_bytes(text([HEADER, ["AMU-100", "RU-AMU", "<script>alert(1)</script>", "x", "transport", "II"]]))
    call_command("importdata", "projects", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Project.objects.get(reference="AMU-100").title_ru == "<script>alert(1)</script>"


def test_html_in_titles_is_shown_as_text_in_the_admin(editor_client, cycles, region):
    project = make_project(region, cycles[0], reference="AMU-002", title_ru="<b>bold</b><script>x()</script>")
    for url in [reverse("admin:tracker_project_changelist"), reverse("admin:tracker_project_change", args=[project.pk])]:
        page = editor_client.get(url).content.decode()
        assert "<script>x()</script>" not in page


def test_an_import_killed_halfway_leaves_nothing_and_the_database_keeps_working(tmp_path):
    database = tmp_path / "crash.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SQLITE_PATH"] = str(database)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "loadseeds", "--dir", str(tmp_path / "none")], env=env, check=True, cwd=ROOT, capture_output=True)
    seed = tmp_path / "cycles.csv"
    seed.write_text("number,title,period_start,period_end\nII,Second,2023-06-01,2025-05-31\n", encoding="utf-8")
    region = tmp_path / "regions.csv"
    region.write_text("iso_code,slug,name_ru,name_en\nRU-AMU,amur,Амурская область,Amur\n", encoding="utf-8")
    subprocess.run([*manage, "importdata", "cycles", str(seed), "regions", str(region)], env=env, check=True, cwd=ROOT, capture_output=True)
    big = tmp_path / "projects.csv"
    rows = "".join(f"AMU-{i:05d},RU-AMU,Проект {i},Project {i},transport,II\n" for i in range(1, 20001))
    big.write_text(",".join(HEADER) + "\n" + rows, encoding="utf-8")

    process = subprocess.Popen(
        [*manage, "importdata", "projects", str(big)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # Kill it while it works through the rows (the progress bar says how far it got);
    # everything it does happens in one transaction, written at the end.
    seen, deadline = b"", time.time() + 120
    while time.time() < deadline and not re.search(rb"\b([7-9]\d{3}|1\d{4})/20000", seen):
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    assert re.search(rb"/20000", seen), seen[-500:]
    process.send_signal(signal.SIGKILL)
    process.wait()

    count = subprocess.run(
        [*manage, "shell", "-c", "from tracker.models import Project; print(Project.objects.count())"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )
    assert count.stdout.strip().splitlines()[-1] == "0", count.stderr
    again = subprocess.run([*manage, "importdata", "projects", str(big)], env=env, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
