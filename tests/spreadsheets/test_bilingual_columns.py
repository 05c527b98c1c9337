"""Bilingual evidence summaries and status-change basis and public notes through the
spreadsheet import (row by row and the bulk path)."""

import pytest

from tests.factories import make_project, make_source
from tracker.models import Evidence, Project, StatusChange
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.spreadsheets.resources import EvidenceResource, StatusChangeResource

S = Project.Status
B = StatusChange.Basis
pytestmark = pytest.mark.django_db

EVIDENCE_HEADER = "reference,project,cycle,date,date_precision,kind,summary,summary_ru,source,attribution,attribution_ru"


@pytest.fixture
def project(cycles, region):
    make_source("Rating III")
    return make_project(region, cycles[0], reference="AMU-010")


def load(*named):
    """Import [(dataset name, CSV text)] together, all or nothing."""
    return import_datasets([(name, read_dataset(text.encode(), f"{name}.csv")) for name, text in named])


def evidence_csv(*rows):
    return EVIDENCE_HEADER + "\n" + "\n".join(rows) + "\n"


def test_summary_ru_basis_and_public_notes_round_trip(project):
    evidence = evidence_csv(
        'AMU-010-E1,AMU-010,III,2025-09-01,month,follow_up,"No news, again.",Новостей снова нет.,Rating III,,',
        "AMU-010-E2,AMU-010,III,2026-02-01,month,setback,,Стройка заморожена.,Rating III,according to the governor,по данным губернатора",
    )
    changes = (
        "project,cycle,status,effective_on,evidence,basis,public_note_ru,public_note_en,note\n"
        "AMU-010,III,stalled,2025-09-01,AMU-010-E1,inferred,Выведено из молчания.,Inferred from silence.,checked twice\n"
    )
    report = load(("evidence", evidence), ("status_changes", changes))
    assert report.ok, report.problems
    first, second = Evidence.objects.filter(project=project).order_by("reference")
    assert (first.summary, first.summary_ru) == ("No news, again.", "Новостей снова нет.")
    assert (second.summary, second.summary_ru) == ("", "Стройка заморожена.")
    assert (second.attribution, second.attribution_ru) == ("according to the governor", "по данным губернатора")
    change = project.status_changes.get(is_initial=False)
    assert (change.basis, change.public_note_ru, change.public_note_en, change.note) == (
        B.INFERRED, "Выведено из молчания.", "Inferred from silence.", "checked twice",
    )
    project.refresh_from_db()
    assert (project.status_path, project.basis_path) == ("aas", "ssi")

    # export, then import the export again: nothing new, nothing changed
    exported_evidence = EvidenceResource().export()
    exported_changes = StatusChangeResource().export()
    assert {"summary", "summary_ru"} <= set(exported_evidence.headers)
    assert {"basis", "public_note_ru", "public_note_en"} <= set(exported_changes.headers)
    by_reference = {row["reference"]: row for row in exported_evidence.dict}
    assert by_reference["AMU-010-E2"]["summary_ru"] == "Стройка заморожена."
    assert by_reference["AMU-010-E2"]["attribution_ru"] == "по данным губернатора"
    (exported_change,) = [row for row in exported_changes.dict if row["status"] == "stalled"]
    assert (exported_change["basis"], exported_change["public_note_ru"], exported_change["public_note_en"]) == (
        "inferred", "Выведено из молчания.", "Inferred from silence.",
    )
    again = import_datasets(
        [
            ("evidence", read_dataset(exported_evidence.csv.encode(), "evidence.csv")),
            ("status_changes", read_dataset(exported_changes.csv.encode(), "status_changes.csv")),
        ]
    )
    assert again.ok, again.problems
    assert again.counts["evidence"].get("new", 0) == 0
    assert again.counts["status_changes"].get("new", 0) == 0
    assert Evidence.objects.count() == 2 and StatusChange.objects.count() == 2
    assert StatusChange.objects.get(pk=change.pk).basis == B.INFERRED


def test_a_file_without_the_basis_column_gets_the_rule(project, cycles):
    evidence = evidence_csv("AMU-010-E1,AMU-010,II,2024-05-01,month,result,Opened.,,Rating III,,")
    changes = (
        "project,cycle,status,effective_on,evidence\n"
        "AMU-010,II,launched,2024-05-01,AMU-010-E1\n"  # cites evidence: stated
        "AMU-010,III,dropped,,\n"  # cites nothing: the editors' judgement
    )
    report = load(("evidence", evidence), ("status_changes", changes))
    assert report.ok, report.problems
    bases = dict(project.status_changes.filter(is_initial=False).values_list("status", "basis"))
    assert bases == {S.LAUNCHED: B.STATED, S.DROPPED: B.JUDGEMENT}
    project.refresh_from_db()
    assert project.basis_path == "ssj"


def test_a_blank_basis_cell_gets_the_rule(project):
    evidence = evidence_csv("AMU-010-E1,AMU-010,II,2024-05-01,month,follow_up,No news.,,Rating III,,")
    changes = (
        "project,cycle,status,effective_on,evidence,basis\n"
        "AMU-010,II,stalled,2024-05-01,AMU-010-E1,\n"  # blank, cites evidence: stated
        "AMU-010,III,dropped,,,\n"  # blank, cites nothing: judgement
    )
    report = load(("evidence", evidence), ("status_changes", changes))
    assert report.ok, report.problems
    bases = dict(project.status_changes.filter(is_initial=False).values_list("status", "basis"))
    assert bases == {S.STALLED: B.STATED, S.DROPPED: B.JUDGEMENT}


def test_basis_may_be_given_by_its_label_in_either_language(project):
    changes = (
        "project,cycle,status,basis\n"
        "AMU-010,II,stalled,inferred from silence\n"
        "AMU-010,III,dropped,по источнику\n"
    )
    report = load(("status_changes", changes))
    assert report.ok, report.problems
    bases = dict(project.status_changes.filter(is_initial=False).values_list("status", "basis"))
    assert bases == {S.STALLED: B.INFERRED, S.DROPPED: B.STATED}


def test_an_invalid_basis_names_the_row_and_column_and_writes_nothing(project):
    changes = (
        "project,cycle,status,basis\n"
        "AMU-010,II,stalled,inferred\n"
        "AMU-010,III,dropped,rumour\n"
    )
    report = load(("status_changes", changes))
    assert not report.ok
    (problem,) = report.problems
    assert (problem.dataset, problem.row, problem.column) == ("status_changes", 3, "basis")
    assert "rumour" in problem.message
    assert "row 3" in str(problem) and "basis" in str(problem)
    assert project.status_changes.count() == 1  # only the initial change: the good row was rolled back
    project.refresh_from_db()
    assert (project.status_path, project.basis_path) == ("aaa", "sss")


@pytest.fixture(params=["row by row", "bulk"])
def path(request, monkeypatch):
    if request.param == "bulk":
        monkeypatch.setattr(EvidenceResource, "bulk_min_rows", 1)  # take the bulk path with a short file
    return request.param


def test_evidence_without_any_summary_is_refused_on_both_paths(project, path, monkeypatch):
    taken = []
    original = EvidenceResource.bulk_import
    monkeypatch.setattr(EvidenceResource, "bulk_import", lambda self, *a, **k: taken.append(1) or original(self, *a, **k))
    evidence = evidence_csv(
        "AMU-010-E1,AMU-010,III,2025-09-01,month,effort,Talks.,Переговоры.,Rating III,,",
        "AMU-010-E2,AMU-010,III,2025-10-01,month,effort,,,Rating III,,",
        "AMU-010-E3,AMU-010,III,2025-11-01,month,effort,   ,,Rating III,,",
    )
    report = load(("evidence", evidence))
    assert bool(taken) == (path == "bulk")
    assert not report.ok
    rows = sorted({problem.row for problem in report.problems})
    assert rows == [3, 4], report.problems
    for problem in report.problems:
        assert "summary" in problem.column, problem
        assert "Give the summary in Russian, in English or both." in problem.message
    assert not Evidence.objects.exists()


def test_evidence_with_only_one_summary_imports_on_both_paths(project, path):
    evidence = evidence_csv(
        "AMU-010-E1,AMU-010,III,2025-09-01,month,effort,Talks.,,Rating III,,",
        "AMU-010-E2,AMU-010,III,2025-10-01,month,effort,,Переговоры.,Rating III,,",
    )
    report = load(("evidence", evidence))
    assert report.ok, report.problems
    assert set(Evidence.objects.values_list("reference", "summary", "summary_ru")) == {
        ("AMU-010-E1", "Talks.", ""), ("AMU-010-E2", "", "Переговоры."),
    }



def test_russian_only_rows_without_a_reference_are_not_merged(project, path):
    """Rows without a reference are matched by what they say; two different Russian-only
    reports of one kind in one cycle are two pieces of evidence."""
    evidence = evidence_csv(
        ",AMU-010,III,2025-09-01,month,effort,,Переговоры начались.,Rating III,,",
        ",AMU-010,III,2025-10-01,month,effort,,Площадка выбрана.,Rating III,,",
    )
    report = load(("evidence", evidence))
    assert report.ok, report.problems
    assert sorted(Evidence.objects.values_list("summary_ru", flat=True)) == ["Переговоры начались.", "Площадка выбрана."]


def test_a_row_without_reference_or_russian_column_still_matches_its_evidence(project):
    """A file made before the Russian column (row by row: rows are matched by their text)."""
    header = "reference,project,cycle,date,date_precision,kind,summary,source\n"
    row = ",AMU-010,III,2025-09-01,month,effort,Talks began.,Rating III\n"
    assert load(("evidence", header + row)).ok
    Evidence.objects.update(summary_ru="Переговоры начались.")  # translated since
    report = load(("evidence", header + row))
    assert report.ok, report.problems
    assert report.counts["evidence"].get("new", 0) == 0
    assert list(Evidence.objects.values_list("summary", "summary_ru")) == [("Talks began.", "Переговоры начались.")]
