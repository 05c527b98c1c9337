"""Edition III regenerated from the seed data and checked against the record, region by
region: the score line against the ratings, every cycle-III follow-up and setback of an
earlier project in italics in its region's row, and a line for every project unfinished
at the start of III (README "The edition")."""

import io

import docx
import pytest
from django.core.management import call_command

from ratings.models import Cycle, Rating
from tracker.edition import document
from tracker.edition.content import sentence
from tracker.models import Evidence, Project
from tracker.status.unresolved import status_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition_three():
    call_command("loadseeds", "--no-releases", stdout=io.StringIO())
    cycle = Cycle.objects.get(number=3)
    rows = {}
    doc = docx.Document(io.BytesIO(document(cycle, "docx", "ru")))
    for table in doc.tables:
        for row in table.rows[1:]:
            heading, earlier, current = row.cells
            italic = [run.text for p in current.paragraphs for run in p.runs if run.style.name == "Edition Follow-up"]
            rows[heading.text] = {"current": current.text, "italic": italic, "earlier": earlier.text}
    return cycle, rows


def test_edition_three_matches_the_record_region_by_region(edition_three):
    cycle, rows = edition_three
    previous = dict(Rating.objects.filter(cycle__number=2).values_list("region_id", "score"))
    by_region = {}
    for rating in Rating.objects.filter(cycle=cycle).select_related("region"):
        heading = f"{rating.region.name_ru} {rating.score} ({previous.get(rating.region_id, '–')})"
        assert heading in rows, heading
        by_region[rating.region_id] = rows[heading]
    assert len(by_region) == 83
    crimea = [heading for heading in rows if heading.startswith("Республика Крым")]
    assert crimea == ["Республика Крым"]  # the closing section, without a score
    by_region.update({Project.objects.filter(region__name_ru="Республика Крым").first().region_id: rows["Республика Крым"]})

    follow_ups = Evidence.objects.filter(
        cycle=cycle, project__first_cycle__number__lt=3, kind__in=["follow_up", "setback"],
    ).select_related("project")
    assert follow_ups.count() > 50
    for evidence in follow_ups:
        assert sentence(evidence.summary_ru) in by_region[evidence.project.region_id]["italic"], evidence.reference

    unfinished = status_projects().unfinished_at_start_of(cycle).select_related("region")
    assert unfinished.count() > 200
    for project in unfinished:
        row = by_region[project.region_id]
        lines = [sentence(text) for text in Evidence.objects.filter(project=project, cycle=cycle).values_list("summary_ru", flat=True)]
        silence = f"Новостей о проекте «{project.title_ru}»"
        assert any(line in row["current"] for line in lines) or silence in row["current"], project.reference
