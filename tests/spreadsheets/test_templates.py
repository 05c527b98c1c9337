"""Blank templates: their example row is recognised and never imported, in every dataset,
on both import paths; filling the template in below the example changes nothing else."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from ratings.models import Cycle, Rating, Region
from tracker.models import Evidence, Organization, Participation, Project, Source, StatusChange
from tracker.spreadsheets.formats import BY_EXTENSION, read_dataset
from tracker.spreadsheets.importer import import_datasets
from tracker.spreadsheets.resources import DATASETS
from tracker.spreadsheets.resources.base import is_example

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
MODELS = (StatusChange, Evidence, Participation, Project, Rating, Region, Cycle, Organization, Source)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("loadseeds", "--no-releases", stdout=io.StringIO())
        yield
        for model in MODELS:
            model.objects.all().delete()


pytestmark = pytest.mark.django_db


def everything():
    return {name: DATASETS[name]().export().dict for name in DATASETS}


def filled_template(name, extension, rows=3):
    """The template as the admin gives it, with rows of the dataset typed in below the
    example (copied from an export, so that importing them changes nothing)."""
    resource = DATASETS[name]()
    template = resource.template_dataset()
    exported = resource.export()
    for row in list(exported)[:rows]:
        template.append(row)
    content = BY_EXTENSION[extension]().export_data(template)
    return content.encode("utf-8") if isinstance(content, str) else content


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
@pytest.mark.parametrize("name", list(DATASETS))
def test_a_template_filled_in_below_its_example_writes_nothing_of_the_example(seeded, name, extension):
    example_key = DATASETS[name]().template_dataset()[0][0]
    assert is_example(example_key)
    before = everything()
    dataset = read_dataset(filled_template(name, extension), f"{name}-template.{extension}", dataset=name)
    report = import_datasets([(name, dataset)])
    assert report.ok, report.problems
    assert report.counts[name]["new"] == 0 and report.counts[name]["update"] == 0, report.counts
    assert any("row 2" in note and "example" in note for note in report.notes), report.notes
    assert everything() == before


def test_the_example_is_left_out_on_the_bulk_path_too(seeded):
    resource = DATASETS["projects"]()
    template = resource.template_dataset()
    width = len(template.headers)
    for n in range(250):
        row = dict(zip(template.headers, [""] * width))
        row.update(reference=f"TPL-{n:03d}", region="RU-AMU", title_ru=f"Проект {n}", sector="transport", first_cycle="III")
        template.append([row[h] for h in template.headers])
    content = BY_EXTENSION["csv"]().export_data(template).encode()
    report = import_datasets([("projects", read_dataset(content, "projects-template.csv", dataset="projects"))])
    assert report.ok, report.problems[:3]
    assert report.counts["projects"]["new"] == 250
    assert not Project.objects.filter(reference__startswith="ПРИМЕР").exists()
    assert Project.objects.get(reference="AMU-001").title_ru == "Амурский газохимический комплекс"


def test_the_projects_example_is_not_a_real_reference(seeded):
    example = DATASETS["projects"]().template_dataset().dict[0]
    assert not Project.objects.filter(reference=example["reference"]).exists()
    assert example["reference"].startswith("ПРИМЕР")


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_admin_template_marks_its_example(seeded, editor_client, extension):
    response = editor_client.get(reverse("admin:tracker_project_template", args=[extension]))
    dataset = read_dataset(response.content, f"t.{extension}")
    assert is_example(dataset.dict[0]["reference"])


def test_a_real_key_that_happens_to_start_like_the_word_is_imported(seeded):
    text = "name,kind\nПримерный завод,company\n"
    report = import_datasets([("organizations", read_dataset(text.encode(), "o.csv"))])
    assert report.ok and report.counts["organizations"]["new"] == 1 and not report.notes
