"""The seed dataset, loaded through the same import path as any spreadsheet."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from ratings.models import Cycle, Rating, Region
from tracker.models import Evidence, Project, StatusChange
from tracker.status.unresolved import status_projects

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loadseeds", stdout=io.StringIO())
        yield
        from tracker.models import Release

        for model in (Release, StatusChange, Evidence, Project, Rating, Region, Cycle):
            model.objects.all().delete()
        from tracker.models import Organization, Source

        Organization.objects.all().delete()
        Source.objects.all().delete()


pytestmark = pytest.mark.django_db


def test_83_regions_carry_both_their_third_and_second_edition_scores(seeded):
    third, second = Cycle.objects.by_numeral("III"), Cycle.objects.by_numeral("II")
    rated = Region.objects.filter(ratings__cycle=third)
    assert rated.count() == 83
    assert Rating.objects.filter(cycle=second, region__in=rated).count() == 83


def test_scores_as_printed(seeded):
    scores = {
        (r.region.name_ru, r.cycle.numeral): r.score
        for r in Rating.objects.select_related("region", "cycle")
    }
    assert scores[("Амурская область", "III")] == 9
    assert scores[("Тульская область", "III")] == 8 and scores[("Тульская область", "II")] == 9
    assert scores[("Оренбургская область", "III")] == 5 and scores[("Оренбургская область", "II")] == 4
    assert scores[("Чечня", "II")] == 1


def test_crimea_is_recorded_without_a_score(seeded):
    crimea = Region.objects.get(iso_code="UA-43")
    assert not crimea.ratings.exists()
    assert crimea.projects.exists()


def test_cycles_cover_the_periods_of_the_design(seeded):
    periods = {c.numeral: (c.period_start and c.period_start.isoformat(), c.period_end.isoformat()) for c in Cycle.objects.all()}
    assert periods == {
        "I": (None, "2023-05-31"),
        "II": ("2023-06-01", "2025-05-31"),
        "III": ("2025-06-01", "2026-05-31"),
    }


def test_every_project_has_a_region_an_initial_change_and_evidence(seeded):
    assert Project.objects.count() >= 300
    assert not Project.objects.filter(evidence__isnull=True).exists()
    assert StatusChange.objects.filter(is_initial=True).count() == Project.objects.count()
    initial_cycles = StatusChange.objects.filter(is_initial=True).values_list("project__first_cycle", "cycle")
    assert all(first == cycle for first, cycle in initial_cycles)


def test_every_evidence_row_has_a_source_and_every_change_its_evidence(seeded):
    assert not Evidence.objects.filter(source__isnull=True).exists()
    assert not StatusChange.objects.filter(is_initial=False, evidence__isnull=True).exists()


def test_forum_projects_followed_up_by_the_rating_are_one_project_with_both_sources(seeded):
    bridge = Project.objects.get(reference="YEV-901")
    sources = set(bridge.evidence.values_list("source__kind", flat=True))
    assert sources == {"media", "rating_report"}
    assert bridge.first_cycle.numeral == "I"


def test_contradicting_claims_are_recorded_not_resolved(seeded):
    drones = Project.objects.get(reference="UD-901")
    kinds = set(drones.evidence.values_list("kind", flat=True))
    assert "contradiction" in kinds
    assert drones.evidence.filter(attribution__icontains="Reuters").exists()


def test_unresolved_report_for_cycle_three_names_what_the_edition_calls_unrealised(seeded):
    third = Cycle.objects.by_numeral("III")
    unresolved = set(status_projects().unresolved_in(third).values_list("reference", flat=True))
    assert len(unresolved) > 50
    # «Завод по переработки сои совместно с Jinzhou Tianli находится пока в стадии намерений»
    soy = Project.objects.get(region__iso_code="RU-YEV", participants__name__icontains="Jinzhou Tianli")
    assert soy.reference in unresolved
    # «Не был реализован конвейер по экспорту угля через Амур»
    conveyor = Project.objects.get(region__iso_code="RU-AMU", title_ru__icontains="конвейер")
    assert conveyor.status in (Project.Status.DROPPED, Project.Status.STALLED)
    assert conveyor.evidence.filter(cycle=third, kind__in=["setback", "follow_up"]).exists()


def test_loading_twice_changes_nothing(seeded):
    out = io.StringIO()
    call_command("loadseeds", stdout=out)
    for line in out.getvalue().splitlines():
        assert " new     0  updated     0" in line, line


def test_seed_files_are_utf8_csv_in_the_import_format():
    from tracker.spreadsheets.resources import DATASETS

    for name, resource in DATASETS.items():
        path = SEEDS / f"{name}.csv"
        header = next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert set(header) <= set(resource().get_export_headers()), name


def test_every_evidence_row_has_a_russian_and_an_english_summary(seeded):
    import re

    for reference, summary, summary_ru in Evidence.objects.values_list("reference", "summary", "summary_ru"):
        assert summary.strip(), reference
        assert re.search("[а-яё]", summary_ru, re.IGNORECASE), reference


def test_every_status_change_says_how_we_know_in_both_languages(seeded):
    assert not StatusChange.objects.exclude(basis__in=StatusChange.Basis.values).exists()
    later = StatusChange.objects.filter(is_initial=False)
    assert not later.filter(public_note_ru="").exists()
    assert not later.filter(public_note_en="").exists()
    assert set(later.values_list("basis", flat=True)) == set(StatusChange.Basis.values)


def test_every_project_has_evidence_in_its_first_cycle(seeded):
    from django.db.models import Exists, F, OuterRef

    backed = Evidence.objects.filter(project=OuterRef("pk"), cycle=OuterRef("first_cycle"))
    assert list(Project.objects.filter(~Exists(backed)).values_list("reference", flat=True)) == []
    assert not StatusChange.objects.filter(cycle__number__lt=F("project__first_cycle__number")).exists()


def test_vanished_from_the_agenda_is_stalled_not_dropped(seeded):
    third = Cycle.objects.by_numeral("III")
    for evidence in Evidence.objects.filter(cycle=third, summary_ru__icontains="исчез").select_related("project"):
        assert evidence.project.status != Project.Status.DROPPED, evidence.reference
    # «…исчез из повестки» (Jewish AO: the new road bridge, the graphene cluster)
    for reference in ("YEV-002", "YEV-004"):
        assert Project.objects.get(reference=reference).status == Project.Status.STALLED, reference


def test_launched_projects_stay_launched_on_slowness_and_silence(seeded):
    # «…медленнее, чем ожидалось» (Primorye gaming zone); «реконструкция идет медленными темпами»
    for reference in ("PRI-019", "YEV-007"):
        project = Project.objects.get(reference=reference)
        assert project.status == Project.Status.LAUNCHED, reference
    launched_then_stalled = [
        change
        for change in StatusChange.objects.filter(status=Project.Status.STALLED, is_initial=False).select_related("project")
        if "l" in change.project.status_path[: change.cycle.number - 1]
    ]
    for change in launched_then_stalled:  # only where the source says work stopped
        assert change.basis in (StatusChange.Basis.STATED, StatusChange.Basis.JUDGEMENT), change.project.reference


def test_the_denied_drones_claim_is_disputed_and_the_crimea_claim_comes_from_intelligence(seeded, client):
    from tracker.models import Source

    response = client.get("/projects/UD-901/")
    assert "оспаривается" in response.content.decode()
    crimea = Source.objects.get(title__startswith="Russia Turns to Chinese Companies")
    assert crimea.kind == Source.Kind.INTELLIGENCE_CLAIM


def test_no_public_page_shows_an_editors_note(seeded, client):
    from tracker.models import Organization, Source

    notes = set()
    for model in (Project, StatusChange, Rating, Region, Organization, Source, Cycle):
        notes |= {n.strip() for n in model.objects.exclude(note="").values_list("note", flat=True)}
    notes = {n for n in notes if len(n) >= 40}  # shorter ones are quotes a public text may share
    assert notes
    pages = ["/", "/projects/", "/unresolved/", "/regions/", "/map/"]
    pages += [r.get_absolute_url() for r in Region.objects.all()]
    pages += [f"/projects/{ref}/" for ref in Project.objects.values_list("reference", flat=True)]
    pages += [o.get_absolute_url() for o in Organization.objects.all()[:60]]
    import html

    for url in pages:
        body = html.unescape(client.get(url).content.decode())
        leaked = [n for n in notes if n in body]
        assert not leaked, (url, leaked[:1])
