"""Hostile and broken files through every door, and an import killed halfway.

Each file must get a clear message — never an error page — and leave the database
exactly as it was (row counts and checksum)."""

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

ROOT = Path(__file__).resolve().parents[2]
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


GOOD_ROW = ["AMU-100", "RU-AMU", "Мост", "Bridge", "transport", "II"]

CORPUS = {
    "truncated.xlsx": xlsx([HEADER, GOOD_ROW])[:400],
    "csv-named.xlsx": b"reference,region\nAMU-100,RU-AMU\n",
    "random.ods": os.urandom(5000),
    "random.csv": os.urandom(5000).replace(b"\0", b"\1"),
    "entity-bomb.xlsx": with_entity_bomb(xlsx([HEADER, GOOD_ROW]), "xl/worksheets/sheet1.xml"),
    "entity-bomb.ods": with_entity_bomb(ods([HEADER, GOOD_ROW]), "content.xml"),
    "zip-bomb.xlsx": zip_bomb(),
    "windows-1252.csv": ("\n".join([",".join(HEADER), "AMU-100,RU-AMU,Café crème,Café,transport,IX"]) + "\n").encode("cp1252"),
    "nul.csv": b"reference,region\x00\nAMU-100,RU-AMU\n",
    "huge-cell.csv": (",".join(HEADER) + "\n" + "AMU-100,RU-AMU," + "Я" * 100_000 + ",Bridge,transport,II\n").encode(),
    "formula.xlsx": xlsx([HEADER, ["=1+1", "RU-AMU", "=HYPERLINK(\"http://x\")", "x", "transport", "II"]]),
    "html-title.csv": (",".join(HEADER) + "\nAMU-100,RU-AMU,<script>alert(1)</script>,x,transport,IX\n").encode(),
    "duplicated-headers.csv": b"reference,reference,region\nAMU-100,AMU-101,RU-AMU\n",
    "missing-columns.csv": b"title_ru,sector\n\xd0\x9c\xd0\xbe\xd1\x81\xd1\x82,transport\n",
    "unknown-region.csv": (",".join(HEADER) + "\nAMU-100,Атлантида,Мост,Bridge,transport,II\n").encode(),
    "wrong-extension.pdf": b"%PDF-1.4 not a spreadsheet",
    "empty.csv": b"",
}


@pytest.fixture
def state(cycles, region):
    make_project(region, cycles[0], reference="AMU-001")
    return fingerprint()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_through_the_admin_gets_a_message_and_changes_nothing(editor_client, state, name, settings):
    settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES = 50_000_000
    response = editor_client.post(
        reverse("admin:tracker_project_import"),
        {"format": "1", "import_file": SimpleUploadedFile(name, CORPUS[name]), "resource": "0"},
    )
    assert response.status_code == 200, name
    html = response.content.decode()
    assert "errornote" in html or "errorlist" in html or "import-error" in html or "validation-error" in html, name
    if "confirm_form" in (response.context or {}):
        confirm = response.context["confirm_form"]
        assert confirm is None, name
    assert fingerprint() == state, name


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_file_from_the_command_line_exits_with_a_message_and_changes_nothing(tmp_path, state, name, settings):
    settings.TRACKER_IMPORT_MAX_UNPACKED_BYTES = 50_000_000
    path = tmp_path / name
    path.write_bytes(CORPUS[name])
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("importdata", "projects", str(path), stdout=io.StringIO(), stderr=err)
    message = str(failure.value) + err.getvalue()
    assert message.strip() and "Traceback" not in message, name
    assert fingerprint() == state, name


def test_html_in_titles_is_shown_as_text_in_the_admin(editor_client, cycles, region):
    project = make_project(region, cycles[0], reference="AMU-002", title_ru="<b>bold</b><script>x()</script>")
    for url in [reverse("admin:tracker_project_changelist"), reverse("admin:tracker_project_change", args=[project.pk])]:
        html = editor_client.get(url).content.decode()
        assert "<script>x()</script>" not in html


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
    rows = "".join(f"AMU-{i:05d},RU-AMU,Проект {i},Project {i},transport,II\n" for i in range(1, 60001))
    big.write_text(",".join(HEADER) + "\n" + rows, encoding="utf-8")

    process = subprocess.Popen(
        [*manage, "importdata", "projects", str(big)], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # Kill it while it works through the rows (the progress bar says how far it got);
    # everything it does happens in one transaction, written at the end.
    seen, deadline = b"", time.time() + 120
    while time.time() < deadline and not re.search(rb"\b([2-9]\d{4})/60000", seen):
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    assert re.search(rb"/60000", seen), seen[-500:]
    process.send_signal(signal.SIGKILL)
    process.wait()

    count = subprocess.run(
        [*manage, "shell", "-c", "from tracker.models import Project; print(Project.objects.count())"],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )
    assert count.stdout.strip().splitlines()[-1] == "0", count.stderr
    again = subprocess.run([*manage, "importdata", "projects", str(big)], env=env, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
