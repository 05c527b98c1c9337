"""Releases (tracker/ops/releases.py, tracker/models/releases.py, tracker/pages/releases.py):
what a published cycle's release holds, that its files never change and are served only
when they still match their checksums, the public pages that list them, and errata."""

import csv
import datetime
import hashlib
import io
import logging
import re
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.context import acting
from ratings.models import Cycle, Rating, Region
from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project, make_rating, make_region, make_source
from tracker.models import Evidence, Organization, Participation, Project, Release, Source, StatusChange
from tracker.ops import releases
from tracker.spreadsheets.formats import CSV
from tracker.spreadsheets.resources import DATASETS
from tracker.status import history, letters

S = Project.Status
pytestmark = pytest.mark.django_db

#: Every editors' note of the world below carries this mark; no release file may.
SECRET = "EDNOTE-7Q"


def note(what):
    return f"{SECRET} {what}: заметка редакции, не для публикации"


@pytest.fixture
def media(settings, tmp_path):
    """This test's own release folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("boss", password="boss-pass-123")


@pytest.fixture
def world(cycles, media, editor):
    """Cycles I–III published and released; cycle IV recorded and published. Every
    record that has an editors' note has one."""
    one, two, three = cycles
    for cycle in cycles:
        cycle.note = note(f"cycle {cycle.numeral}")
        cycle.public_note_en = f"Public remark on edition {cycle.numeral}."
        history.save_cycle(cycle)
    amur = make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur", note=note("region"))
    primorye = make_region("Primorsky Krai", iso_code="RU-PRI", name_ru="Приморский край", slug="primorye", note=note("region 2"))
    make_rating(amur, one, 8, note=note("rating I"))
    make_rating(amur, two, 9, note=note("rating II"), public_note_en="Trade grew.")
    make_rating(amur, three, 9, note=note("rating III"))
    make_rating(primorye, three, 6, note=note("rating PRI III"))
    source = make_source("Рейтинг, третий выпуск", url="https://example.org/rating", publisher="Agency", note=note("source"))
    heihe = make_organization("Heihe Company", name_en="Heihe Co.", country="CN", note=note("organisation"))

    bridge = make_project(
        amur, one, reference="AMU-901", title_ru="Мост через Амур", title_en="Amur bridge", sector="transport",
        amount=100, currency="USD", announced_on=datetime.date(2019, 4, 1), announced_precision="month",
        location="Благовещенск", note=note("project"), public_note_en="A landmark.",
    )
    add_partner(bridge, heihe)
    opened = add_evidence(
        bridge, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2023, 7, 1), source=source,
        summary="The bridge opened.", summary_ru="Мост открыт.", reference="AMU-901-E1", locator="p. 12",
    )
    history.append_status_change(
        bridge, S.LAUNCHED, two, evidence=opened, effective_on=datetime.date(2023, 7, 1),
        note=note("status change"), public_note_en="Opened to traffic.", public_note_ru="Открыт для движения.",
    )
    terminal = make_project(amur, two, reference="AMU-102", title_ru="Зерновой терминал", title_en="Grain terminal", note=note("project 2"))
    add_partner(terminal, heihe, role=Participation.Role.CONTRACTOR)
    add_evidence(terminal, two, kind=Evidence.Kind.EFFORT, source=source, summary="Agreement signed.", reference="AMU-102-E1")
    add_evidence(terminal, three, kind=Evidence.Kind.EFFORT, source=source, summary="Works discussed.", reference="AMU-102-E2")
    plant = make_project(amur, three, reference="AMU-103", title_ru="Соевый завод", title_en="Soy plant", sector="agriculture")
    add_evidence(plant, three, kind=Evidence.Kind.EFFORT, source=source, summary="Plans announced.", reference="AMU-103-E1")
    quarry = make_project(primorye, two, reference="PRI-201", title_ru="Карьер", title_en="Quarry", sector="mining")
    add_evidence(quarry, two, kind=Evidence.Kind.EFFORT, source=source, summary="Licence sought.", reference="PRI-201-E1")
    history.append_status_change(quarry, S.STALLED, three, basis=StatusChange.Basis.INFERRED, note=note("stall"))
    earlier = releases.release_published()
    assert [r.cycle.numeral for r in earlier] == ["I", "II", "III"]

    four = make_cycle(4, note=note("cycle IV"))
    with acting(editor, "admin"):
        new = make_project(amur, four, reference="AMU-140", title_ru="Завод Квазиморф", title_en="Quasimorph works", note=note("new project"))
        add_partner(new, make_organization("Fengtaixing Holdings", country="CN", note=note("organisation 2")))
        add_evidence(new, four, kind=Evidence.Kind.EFFORT, source=source, summary="Investors signed.", reference="AMU-140-E1")
        add_evidence(plant, four, kind=Evidence.Kind.EFFORT, source=source, summary="Consultations resumed.", reference="AMU-103-E2")
        shipped = add_evidence(
            terminal, four, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2026, 9, 1), source=source,
            summary="Shipments began.", reference="AMU-102-E3",
        )
        history.append_status_change(terminal, S.LAUNCHED, four, evidence=shipped, note=note("launch"))
        closed = add_evidence(quarry, four, kind=Evidence.Kind.SETBACK, source=source, summary="The investor withdrew.", reference="PRI-201-E2")
        history.append_status_change(quarry, S.DROPPED, four, evidence=closed)
        make_rating(amur, four, 7, note=note("rating IV"))
        make_rating(primorye, four, 6)
    release = releases.publish(four, editor, on=datetime.date(2027, 6, 1))
    return {"release": release, "four": four, "amur": amur, "primorye": primorye, "source": source, "editor": editor}


def stored(media, item):
    return (media / item["path"]).read_bytes()


def text_of(data):
    """A release CSV file's text (its byte-order mark is checked on its own, below)."""
    return data.decode("utf-8").lstrip("\ufeff")


def header_of(release, name):
    return next(csv.reader(io.StringIO(text_of(release.read_verified(f"{name}.csv")))))


def plain(html):
    """Page text without its tags, spaces collapsed."""
    html = re.sub(r"</?(dt|dd|li|p|h\d|td|th|tr|ul|dl|section|div)\b[^>]*>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def errata_of(page):
    return plain(page.split('id="errata-heading"')[1].split("</section>")[0])


def names_of(release):
    return [item["name"] for item in release.files]


# -- what a release holds ------------------------------------------------------------------


def test_a_release_has_every_dataset_in_both_formats_and_its_texts(world, media):
    release = world["release"]
    expected = [f"{name}.{ext}" for name in DATASETS for ext in ("csv", "xlsx")]
    expected += ["DATA_DICTIONARY.md", "README.md", "SHA256SUMS", "release-IV.zip"]
    assert sorted(names_of(release)) == sorted(expected)
    assert release.archive["name"] == "release-IV.zip" == release.files[-1]["name"]
    for item in release.files:
        data = stored(media, item)
        assert item["size"] == len(data), item["name"]
        assert item["sha256"] == hashlib.sha256(data).hexdigest(), item["name"]
    for name in DATASETS:  # the XLSX holds the same rows as the CSV
        rows = list(csv.reader(io.StringIO(text_of(release.read_verified(f"{name}.csv")))))
        sheet = openpyxl.load_workbook(io.BytesIO(release.read_verified(f"{name}.xlsx")), read_only=True).worksheets[0]
        cells = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert cells[0] == rows[0], name
        assert len(cells) == len(rows), name


def test_the_csv_files_are_utf8_with_one_byte_order_mark(world):
    """Excel needs the mark to read UTF-8; the importer (and Python's utf-8-sig) strips
    one, so a second one would become part of the first column's name."""
    for name in DATASETS:
        data = world["release"].read_verified(f"{name}.csv")
        assert data.startswith(b"\xef\xbb\xbf"), name
        assert not data[3:].startswith(b"\xef\xbb\xbf"), name
        first = data.decode("utf-8-sig").split("\r\n", 1)[0].split(",")[0]
        assert first in DATASETS[name]().get_export_headers(), (name, first)


def csv_tables(release):
    return {
        name: list(csv.DictReader(io.StringIO(text_of(release.read_verified(f"{name}.csv")))))
        for name in DATASETS
    }


def test_the_datasets_hold_the_record_up_to_the_cycle_with_statuses_at_its_end(world):
    tables = csv_tables(world["release"])
    assert [r["cycle"] if "cycle" in r else r["number"] for r in tables["cycles"]] == ["I", "II", "III", "IV"]
    assert {r["reference"]: r["status"] for r in tables["projects"]} == {
        "AMU-901": "launched", "AMU-102": "launched", "AMU-103": "announced", "PRI-201": "dropped", "AMU-140": "announced",
    }
    assert len(tables["evidence"]) == Evidence.objects.count() == 9
    assert len(tables["status_changes"]) == StatusChange.objects.count() == 9
    assert len(tables["ratings"]) == 6
    assert len(tables["participants"]) == 3
    # The earlier release holds its own cycle's record only, with the statuses it had then.
    three = Release.objects.get(cycle__number=3)
    earlier = csv_tables(three)
    assert {r["reference"]: r["status"] for r in earlier["projects"]} == {
        "AMU-901": "launched", "AMU-102": "announced", "AMU-103": "announced", "PRI-201": "stalled",
    }
    assert len(earlier["evidence"]) == 5 and len(earlier["ratings"]) == 4


def test_the_data_dictionary_describes_every_column_in_both_languages(world):
    release = world["release"]
    dictionary = release.read_verified("DATA_DICTIONARY.md").decode()
    assert dictionary.startswith("# Словарь данных / Data dictionary")
    tables = csv_tables(release)
    sections = re.split(r"^## ", dictionary, flags=re.M)[1:]
    by_name = {re.match(r"`(\w+)`", s).group(1): s for s in sections}
    assert set(by_name) == set(DATASETS)
    for name, rows in tables.items():
        header = header_of(release, name)
        section = by_name[name]
        assert section.startswith(f"`{name}` ({len(rows)})"), name
        described = {}
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 4 and cells[0].startswith("`"):
                described[cells[0].strip("`")] = cells
        assert list(described) == header, name  # every exported column, in file order, nothing more
        for column, (_col, ru, en, _values) in described.items():
            assert ru and en, (name, column)
            assert re.search("[а-яё]", ru, re.I) or ru == en == "URL", (name, column, ru)  # in Russian
            assert re.match(r"[^а-яё]*[a-z]", en, re.I), (name, column, en)  # in English


def test_the_readme_says_what_the_release_is_and_how_to_cite_it(world):
    release = world["release"]
    readme = release.read_verified("README.md").decode()
    assert readme.startswith("# Выпуск IV / Release IV")
    assert "- Опубликован / published: 2027-06-01" in readme
    assert "- Проектов / projects: 5 (announced 2, stalled 0, launched 2, dropped 1" in readme
    assert "Свидетельств / evidence rows: 9; изменений статуса / status changes: 9" in readme
    assert "new projects 1, resolved 2, unresolved 1, regions rated 2" in readme
    assert "Трекер исполнения проектов регионов России с Китаем. Выпуск IV (цикл IV), опубликован: 01.06.2027;" in readme
    assert "Follow-up tracker of Russian regions' projects with China. Release IV (cycle IV), published: 2027-06-01;" in readme
    bibtex = re.search(r"```bibtex\n(.*?)\n```", readme, re.S).group(1)
    assert bibtex.startswith("@misc{followup_tracker_iv,\n")
    assert "  title = {Follow-up tracker, release IV},\n" in bibtex and "  year = {2027},\n" in bibtex
    assert bibtex.count("{") == bibtex.count("}") and bibtex.endswith("}")


def test_the_checksums_match_every_file_and_the_zip_holds_them_all(world, media):
    release = world["release"]
    contents = {item["name"]: stored(media, item) for item in release.files}
    sums = {}
    for line in contents["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    listed = [n for n in names_of(release) if n not in ("SHA256SUMS", "release-IV.zip")]
    assert sorted(sums) == sorted(listed)
    for name, digest in sums.items():
        assert hashlib.sha256(contents[name]).hexdigest() == digest, name
    with zipfile.ZipFile(io.BytesIO(contents["release-IV.zip"])) as bundle:
        assert bundle.testzip() is None
        assert sorted(bundle.namelist()) == sorted(f"release-IV/{n}" for n in names_of(release)[:-1])
        for name in names_of(release)[:-1]:
            assert bundle.read(f"release-IV/{name}") == contents[name], name


def texts_of(name, data):
    """Every text a release file holds: the file itself, or each part of a ZIP (an XLSX is one)."""
    if name.endswith((".zip", ".xlsx")):
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            return [t for part in bundle.namelist() for t in texts_of(part, bundle.read(part))]
    return [data.decode("utf-8-sig")]


def test_no_editors_note_is_in_any_release_file(world, media):
    # The notes are there to be leaked: the database holds them.
    for model in (Project, StatusChange, Rating, Region, Organization, Source, Cycle):
        assert model.objects.filter(note__contains=SECRET).exists(), model
    checked = 0
    for release in Release.objects.all():
        for item in release.files:
            for text in texts_of(item["name"], stored(media, item)):
                assert SECRET not in text, (release.cycle.numeral, item["name"])
                assert "заметка редакции" not in text, (release.cycle.numeral, item["name"])
                checked += 1
        for name in DATASETS:
            assert "note" not in header_of(release, name), name
    assert checked > 4 * 20
    # …while the public notes are part of the record.
    release = world["release"]
    assert "Opened to traffic." in release.read_verified("status_changes.csv").decode("utf-8-sig")
    assert "A landmark." in release.read_verified("projects.csv").decode("utf-8-sig")
    assert "Trade grew." in release.read_verified("ratings.csv").decode("utf-8-sig")


def record_of():
    """What re-importing must give back: counts and every project's status history."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (Cycle, Region, Rating, Organization, Source, Project, Participation, Evidence, StatusChange)
        },
        "paths": {p.reference: (p.status_path, p.basis_path, p.status, p.first_cycle.number) for p in Project.objects.select_related("first_cycle")},
        "changes": sorted(
            (c.project.reference, c.cycle.number, c.status, str(c.effective_on), c.basis, c.is_initial, c.evidence.reference if c.evidence else "")
            for c in StatusChange.objects.select_related("project", "cycle", "evidence")
        ),
        "evidence": sorted(
            (e.reference, e.project.reference, e.cycle.number, e.kind, str(e.occurred_on), e.summary)
            for e in Evidence.objects.select_related("project", "cycle")
        ),
        "published": list(Cycle.objects.order_by("number").values_list("number", "is_published", "published_on")),
    }


def empty_the_database():
    """Every record gone, children first (a plain flush is refused on PostgreSQL while the
    test's transaction has read these tables)."""
    for model in (Release, StatusChange, Evidence, Participation, Project, Rating, Cycle, Region, Organization, Source):
        model.objects.all().delete()


def test_the_release_csv_files_reimport_into_an_empty_database(world, tmp_path):
    release = world["release"]
    folder = tmp_path / "release-IV"
    folder.mkdir()
    for name in DATASETS:
        (folder / f"{name}.csv").write_bytes(release.read_verified(f"{name}.csv"))
    before = record_of()
    snapshot, counts = release.snapshot, release.counts

    empty_the_database()
    assert not Project.objects.exists() and not Cycle.objects.exists() and not Release.objects.exists()

    call_command("loadseeds", dir=str(folder), no_releases=True, stdout=io.StringIO())

    after = record_of()
    assert after["counts"] == before["counts"]
    assert after["paths"] == before["paths"]
    assert after["changes"] == before["changes"]
    assert after["evidence"] == before["evidence"]
    assert after["published"] == before["published"]
    assert not Release.objects.exists()  # --no-releases
    # …and the release's own figures: projects, evidence, status changes, statuses at the end of IV.
    assert Project.objects.count() == counts["projects"] == 5
    assert Evidence.objects.count() == counts["evidence_total"]
    assert StatusChange.objects.count() == counts["status_changes_total"]
    at_end = {p.reference: letters.STATUSES[letters.letter_at(p.status_path, 4)] for p in Project.objects.all()}
    assert at_end == snapshot["statuses"]
    statuses = {s: list(at_end.values()).count(s) for s in S.values}
    assert statuses == counts["statuses"]
    # The re-imported database writes the same rows again (in the order they were imported).
    again = releases.datasets(Cycle.objects.get(number=4))
    for name, dataset in again.items():
        rows = list(csv.reader(io.StringIO(text_of(releases._as_bytes(CSV().export_data(dataset))))))
        published = list(csv.reader(io.StringIO(text_of(release.read_verified(f"{name}.csv")))))
        assert rows[0] == published[0], name
        assert sorted(rows[1:]) == sorted(published[1:]), name


# -- release files never change -------------------------------------------------------------


def test_a_release_is_never_saved_again(world):
    release = world["release"]
    release.counts = {"projects": 999}
    with pytest.raises(ValidationError, match="A release never changes once published."):
        release.save()
    stored_counts = Release.objects.get(pk=release.pk).counts
    assert stored_counts["projects"] == 5
    fresh = Release.objects.get(pk=release.pk)
    with pytest.raises(ValidationError):
        fresh.save()


def test_a_second_release_of_a_cycle_is_refused_and_leaves_no_files(world, media):
    before = sorted(p.name for p in (media / "releases" / "IV").iterdir())
    with acting(None, "seed"), pytest.raises(IntegrityError), transaction.atomic():
        releases.make_release(world["four"])
    assert Release.objects.filter(cycle=world["four"]).count() == 1
    assert sorted(p.name for p in (media / "releases" / "IV").iterdir()) == before
    assert releases.release_published() == []  # every published cycle has its release


def test_an_untampered_file_downloads_with_its_published_bytes(world, media, client):
    release = world["release"]
    for name in ("projects.csv", "projects.xlsx", "README.md", "SHA256SUMS", "release-IV.zip"):
        response = client.get(reverse("tracker:release_file", args=["IV", name]))
        assert response.status_code == 200, name
        assert response.content == stored(media, release.file(name)), name
        assert hashlib.sha256(response.content).hexdigest() == release.file(name)["sha256"], name
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert client.get("/releases/IV/files/projects.csv")["Content-Type"].startswith("text/csv")
    assert client.get("/releases/IV/files/nothing.csv").status_code == 404
    assert client.get("/releases/V/files/projects.csv").status_code == 404
    assert client.get("/releases/XLII-not-a-numeral/files/projects.csv").status_code == 404


@pytest.mark.parametrize("name", ["projects.csv", "release-IV.zip", "README.md"])
def test_a_tampered_file_is_not_served(world, media, client, caplog, name):
    release = world["release"]
    path = media / release.file(name)["path"]
    original = path.read_bytes()
    path.write_bytes(original.replace(b"AMU", b"XXX") if b"AMU" in original else original + b" ")

    with caplog.at_level(logging.ERROR, logger="tracker.pages.releases"):
        response = client.get(reverse("tracker:release_file", args=["IV", name]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 503
    assert path.read_bytes() not in response.content
    assert f"The file “{name}” of release IV does not match its published checksum" in response.content.decode()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.name == "tracker.pages.releases"]
    assert len(errors) == 1 and name in errors[0].getMessage() and "IV" in errors[0].getMessage()
    with pytest.raises(Exception) as mismatch:
        release.read_verified(name)
    assert type(mismatch.value).__name__ == "ChecksumMismatch"
    # the other files are still served
    assert client.get(reverse("tracker:release_file", args=["IV", "cycles.csv"])).status_code == 200
    path.write_bytes(original)
    assert client.get(reverse("tracker:release_file", args=["IV", name])).status_code == 200


def test_a_file_gone_from_the_storage_is_reported_not_served(world, media, client, caplog):
    (media / world["release"].file("evidence.xlsx")["path"]).unlink()
    with caplog.at_level(logging.ERROR, logger="tracker.pages.releases"):
        response = client.get(reverse("tracker:release_file", args=["IV", "evidence.xlsx"]))
    assert response.status_code == 503
    assert any("evidence.xlsx" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    assert client.get(reverse("tracker:release_file", args=["IV", "evidence.csv"])).status_code == 200


def test_an_unpublished_cycle_has_no_release_page(world, client):
    make_cycle(5)
    assert client.get("/releases/V/").status_code == 404
    assert client.get("/releases/nonsense/").status_code == 404
    assert "/releases/V/" not in client.get("/releases/").content.decode()


# -- the public pages -----------------------------------------------------------------------


def test_the_release_list_shows_every_release_with_its_figures_and_archive(world, client):
    page = client.get("/releases/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = re.findall(r"<tr>\s*<td[^>]*><a href=\"/releases/(\w+)/\">.*?</tr>", page, re.S)
    assert rows == ["IV", "III", "II", "I"]
    expected = {"IV": ("2027-06-01", 5), "III": ("2026-06-01", 4), "II": ("2025-06-01", 3), "I": ("2023-06-01", 1)}
    for numeral, (day, projects) in expected.items():
        row = re.search(rf'<tr>\s*<td[^>]*><a href="/releases/{numeral}/">.*?</tr>', page, re.S).group(0)
        assert re.search(rf"<td[^>]*>{day}</td>", row), numeral
        assert re.search(rf'<td class="num"[^>]*>{projects}</td>', row), numeral
        assert f'<a href="/releases/{numeral}/files/release-{numeral}.zip">release-{numeral}.zip</a>' in row, numeral


def test_the_release_page_shows_figures_checksums_links_and_changes(world, client):
    release = world["release"]
    page = client.get("/releases/IV/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Release IV</h1>" in page
    facts = plain(page.split('<dl class="facts">')[1].split("</dl>")[0])
    assert "Published 2027-06-01" in facts
    assert "Projects 5 (announced 2, stalled 0, launched 2, dropped 1)" in facts
    assert "Evidence rows 9" in facts
    assert "Status changes 9" in facts
    assert "Regions rated 2" in facts
    for item in release.files:
        assert f'<a href="/releases/IV/files/{item["name"]}">{item["name"]}</a>' in page, item["name"]
        assert f"<code>{item['sha256']}</code>" in page, item["name"]
    changes_html = page.split('<section aria-labelledby="changes-heading">')[1].split("</section>")[0]
    changes = plain(changes_html)
    assert changes.startswith("Changes since release III 1 new project")
    assert "1 new project: AMU-140" in changes and 'href="/projects/AMU-140/"' in changes_html
    assert "announced → launched: 1" in changes
    assert "stalled → dropped: 1" in changes
    assert "Projects resolved (2) AMU-102, PRI-201" in changes
    assert 'href="/projects/AMU-102/"' in changes_html and 'href="/projects/PRI-201/"' in changes_html
    assert "Regions whose score changed" in changes
    assert re.search(r"(Амурская область|Amur Oblast): 9 → 7", changes)
    assert "Приморский" not in changes and "Primorsky" not in changes  # 6 → 6: unchanged
    assert "Corrections to the previous release" not in changes
    assert errata_of(page).endswith("None.")
    assert release.changes == {
        "since": "III",
        "new_projects": ["AMU-140"],
        "moves": [["announced", "launched", 1], ["stalled", "dropped", 1]],
        "resolved": ["AMU-102", "PRI-201"],
        "scores": [["RU-AMU", 9, 7]],
        "corrections": [],
    }


def test_the_first_release_lists_everything_as_new(world, client):
    page = client.get("/releases/I/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The first release" in page
    assert "1 new project: AMU-901" in plain(page)
    second = Release.objects.get(cycle__number=2)
    assert second.changes["new_projects"] == ["AMU-102", "PRI-201"]
    assert second.changes["moves"] == [["announced", "launched", 1]]
    assert second.changes["resolved"] == ["AMU-901"]
    assert second.changes["scores"] == [["RU-AMU", 8, 9]]


# -- errata ---------------------------------------------------------------------------------


def test_a_correction_after_publication_is_an_erratum_and_carried_into_the_next_release(world, superuser, editor, client):
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    shipped = Evidence.objects.get(reference="AMU-102-E3")
    with acting(editor, "admin"), pytest.raises(ValidationError):  # the cycle is locked for editors
        shipped.summary = "An editor's late change."
        shipped.save()
    assert Release.objects.get(cycle__number=4).errata() == []

    with acting(superuser, "admin"):
        shipped = Evidence.objects.get(reference="AMU-102-E3")
        shipped.summary = "Shipments began in October."
        shipped.save()
    # Work on the next cycle is not a correction of this release.
    five = make_cycle(5, period_start=datetime.date(2027, 6, 1), period_end=datetime.date(2028, 5, 31))
    with acting(editor, "admin"):
        add_evidence(Project.objects.get(reference="AMU-103"), five, source=world["source"], summary="Construction began.", reference="AMU-103-E3")
        make_rating(world["amur"], five, 8)

    errata = Release.objects.get(cycle__number=4).errata()
    assert [(e.action, e.object_repr) for e in errata] == [("update", "AMU-102 IV: result")]
    page = client.get("/releases/IV/", **en).content.decode().split('id="errata-heading"')[1]
    assert re.search(r"<li><time datetime=\"[^\"]+\">\d{4}-\d\d-\d\d</time> — changed: AMU-102 IV: result</li>", page)
    assert "AMU-103" not in page
    # An earlier release whose cycles the correction does not touch has no erratum.
    assert errata_of(client.get("/releases/III/", **en).content.decode()).endswith("None.")
    # The release file still holds what was published.
    assert "Shipments began." in Release.objects.get(cycle__number=4).read_verified("evidence.csv").decode("utf-8-sig")
    assert "October" not in Release.objects.get(cycle__number=4).read_verified("evidence.csv").decode("utf-8-sig")

    fifth = releases.publish(five, editor, on=datetime.date(2028, 6, 1))
    assert [c[1:] for c in fifth.changes["corrections"]] == [["update", "AMU-102 IV: result"]]
    page = client.get("/releases/V/", **en).content.decode()
    corrections = plain(page.split("Corrections to the previous release (its errata)")[1].split("</ul>")[0])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d — changed: AMU-102 IV: result", corrections), corrections
    assert "October" in fifth.read_verified("evidence.csv").decode("utf-8-sig")


def test_a_correction_to_an_older_cycle_is_an_erratum_of_every_release_holding_it(world, superuser, client):
    rating = Rating.objects.get(region=world["amur"], cycle__number=3)
    with acting(superuser, "admin"):
        rating.score = 8
        rating.save()
    for numeral, expected in (("III", True), ("IV", True), ("II", False), ("I", False)):
        page = client.get(f"/releases/{numeral}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        errata = page.split('id="errata-heading"')[1]
        assert ("changed: " in errata) is expected, numeral
    assert [e.model for e in Release.objects.get(cycle__number=3).errata()] == ["ratings.Rating"]


def test_a_correction_through_the_admin_is_an_erratum(world, superuser_client, client):
    evidence = Evidence.objects.get(reference="AMU-901-E1")
    url = reverse("admin:tracker_evidence_change", args=[evidence.pk])
    form = superuser_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200
    data = {
        field.html_name: field.value() if field.value() is not None else ""
        for field in form.context["adminform"].form
    }
    data["summary"] = "The bridge opened to lorries."
    response = superuser_client.post(url, {k: v for k, v in data.items() if v is not False}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    errata = Release.objects.get(cycle__number=2).errata()
    assert [(e.action, e.source, e.object_repr) for e in errata] == [("update", "admin", "AMU-901 II: result")]
    for numeral in ("II", "III", "IV"):
        page = client.get(f"/releases/{numeral}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "changed: AMU-901 II: result" in page.split('id="errata-heading"')[1], numeral
    assert errata_of(client.get("/releases/I/", HTTP_ACCEPT_LANGUAGE="en").content.decode()).endswith("None.")



def test_a_release_leaves_out_partners_and_sources_only_later_cycles_use(world):
    five = make_cycle(5)
    draft = make_project(world["amur"], five, reference="AMU-150", title_ru="Черновой проект")
    add_partner(draft, make_organization("Zetaworks Draft Partner", country="CN"))
    add_evidence(draft, five, kind=Evidence.Kind.EFFORT, source=make_source("Draft-only source"), summary="Talks.")
    tables = releases.datasets(world["four"])
    names = {row[tables["organizations"].headers.index("name")] for row in tables["organizations"]}
    titles = {row[tables["sources"].headers.index("title")] for row in tables["sources"]}
    assert names == {"Heihe Company", "Fengtaixing Holdings"}
    assert titles == {"Рейтинг, третий выпуск"}
