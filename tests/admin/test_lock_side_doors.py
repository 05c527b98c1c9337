"""The cycle lock has no side doors: whatever way an editor tries to change a published
cycle's record — the cycle itself, a project's first cycle, a new project, an inline
deletion — is refused with the lock's message and changes nothing (docs/domain.md
"Published cycles and the lock"). Superusers keep their power to correct."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.context import acting
from ratings.models import Cycle
from tests.factories import add_evidence, make_cycle, make_project, make_source
from tracker.models import Evidence, Project, StatusChange
from tracker.ops.backup import fingerprint
from tracker.spreadsheets.importer import import_datasets, read_dataset
from tracker.spreadsheets.resources import CycleResource, ProjectResource

pytestmark = pytest.mark.django_db

LOCK = "Cycle III is published and locked: only a superuser can change its records."
CYCLES = "number,title,period_start,period_end,is_published\n"
PROJECTS = "reference,region,title_ru,sector,first_cycle\n"


@pytest.fixture
def world(cycles, region):
    """Cycles I–III published, IV open; a project first reported in each of III and IV."""
    source = make_source("Rating III")
    drafted = make_project(region, make_cycle(4), reference="AMU-001")
    printed = make_project(region, cycles[2], reference="AMU-002")
    evidence = add_evidence(printed, cycles[2], summary="Printed in the third edition.", source=source)
    return SimpleNamespace(published=cycles[2], open=Cycle.objects.get(number=4), drafted=drafted, printed=printed, evidence=evidence)


@pytest.fixture
def english_client(editor_client):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return editor_client


def import_as(user, name, text):
    """Import a file as `user` (the actor, as the admin's import and commands set it)."""
    with acting(user, "import"):
        return import_datasets([(name, read_dataset(text.encode(), f"{name}.csv"))])


def cycle_fillers(count):
    """Rows that leave the open cycle as it is (a status path holds at most 100 cycles)."""
    return "IV,Edition 4,2026-06-01,2027-05-31,false\n" * count


def project_fillers(count):
    return "".join(f"FIL-{n:04d},RU-AMU,Проект {n},transport,IV\n" for n in range(count))


def only_problem(report):
    (problem,) = report.problems
    return problem.row, problem.column, problem.message


def form_data(page):
    """What the admin page posts back when nothing is changed: every field of the form
    and of its inline rows, with the formsets' management data."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None and value is not False:
                data[form.add_prefix(name)] = "on" if value is True else value
    return data


def stored(cycle):
    return Cycle.objects.values("title", "period_start", "period_end", "is_published", "published_on").get(pk=cycle.pk)


# -- the cycle's own record: unpublishing, period, title --------------------------------


def test_a_published_cycle_opens_read_only_for_editors_and_a_forged_post_is_refused(english_client, world):
    url = reverse("admin:ratings_cycle_change", args=[world.published.pk])
    page = english_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and LOCK in html and 'name="title"' not in html
    before = stored(world.published)
    response = english_client.post(url, {"number": 3, "title": "Renamed", "period_start": "2025-07-01", "period_end": "2026-05-31"})
    assert response.status_code == 403
    assert stored(world.published) == before


def test_editors_cannot_delete_a_published_cycle(english_client, world):
    response = english_client.post(reverse("admin:ratings_cycle_delete", args=[world.published.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Cycle.objects.filter(pk=world.published.pk).exists()


@pytest.mark.parametrize(
    "row",
    [
        "III,Edition 3,2025-06-01,2026-05-31,false\n",  # unpublish
        "III,Renamed,2025-06-01,2026-05-31,true\n",  # title
        "III,Edition 3,2025-07-01,2026-05-31,true\n",  # period
    ],
    ids=["unpublish", "title", "period"],
)
@pytest.mark.parametrize("fillers", [0, 199], ids=["1-row file", "200-row file"])
def test_an_editors_cycles_file_cannot_change_a_published_cycle(editor, world, row, fillers, monkeypatch):
    taken = []
    monkeypatch.setattr(CycleResource, "bulk_import", lambda *a, **k: taken.append(1))
    before, state = fingerprint(), stored(world.published)
    report = import_as(editor, "cycles", CYCLES + row + cycle_fillers(fillers))
    assert only_problem(report) == (2, "", LOCK)
    assert not taken  # people's cycle files go row by row, through the cycle's own lock
    assert stored(world.published) == state and fingerprint() == before


def test_an_editors_cycles_file_through_the_admin_shows_the_lock(english_client, world):
    upload = SimpleUploadedFile("cycles.csv", (CYCLES + "III,Renamed,2025-06-01,2026-05-31,true\n").encode())
    preview = english_client.post(reverse("admin:ratings_cycle_import"), {"format": "0", "import_file": upload, "resource": "0"})
    assert LOCK in preview.content.decode()
    assert Cycle.objects.get(pk=world.published.pk).title == "Edition 3"


def test_superusers_correct_a_published_cycle_but_nobody_unpublishes_it(superuser_client, world):
    superuser_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("admin:ratings_cycle_change", args=[world.published.pk])
    data = {**form_data(superuser_client.get(url)), "title": "Edition 3 (corrected)"}
    assert superuser_client.post(url, data).status_code == 302
    assert Cycle.objects.get(pk=world.published.pk).title == "Edition 3 (corrected)"
    cycle = Cycle.objects.get(pk=world.published.pk)
    cycle.is_published = False
    with acting(User.objects.get(username="boss"), "admin"), pytest.raises(ValidationError, match="stays published"):
        cycle.save()
    assert Cycle.objects.get(pk=world.published.pk).is_published


# -- a project's first cycle, and new projects -----------------------------------------


@pytest.mark.parametrize("move", ["into", "out of"])
def test_an_editor_cannot_move_a_project_into_or_out_of_a_published_cycle_in_the_admin(english_client, world, move):
    project, target = (world.drafted, world.published) if move == "into" else (world.printed, world.open)
    url = reverse("admin:tracker_project_change", args=[project.pk])
    data = {**form_data(english_client.get(url)), "first_cycle": target.pk}
    page = english_client.post(url, data)
    assert page.status_code == 200 and LOCK in page.content.decode()
    initial = StatusChange.objects.get(project=project, is_initial=True)
    assert Project.objects.get(pk=project.pk).first_cycle_id == initial.cycle_id == project.first_cycle_id


@pytest.mark.parametrize("move", ["into", "out of"])
@pytest.mark.parametrize("fillers", [0, 199], ids=["1-row file", "200-row file"])
def test_an_editors_projects_file_cannot_move_a_project_into_or_out_of_a_published_cycle(editor, world, move, fillers, monkeypatch):
    taken = []
    original = ProjectResource.bulk_import
    monkeypatch.setattr(ProjectResource, "bulk_import", lambda self, *a, **k: taken.append(1) or original(self, *a, **k))
    row = "AMU-001,RU-AMU,Проект,transport,III\n" if move == "into" else "AMU-002,RU-AMU,Проект,transport,IV\n"
    before = fingerprint()
    report = import_as(editor, "projects", PROJECTS + row + project_fillers(fillers))
    assert only_problem(report) == (2, "first_cycle", LOCK)
    assert bool(taken) == bool(fillers)  # the 200-row file took the bulk path
    assert fingerprint() == before


def test_an_editor_cannot_add_a_project_first_reported_in_a_published_cycle_in_the_admin(english_client, world):
    url = reverse("admin:tracker_project_add")
    data = {
        **form_data(english_client.get(url)),
        "reference": "AMU-003", "title_ru": "Мост", "region": world.drafted.region_id, "sector": "transport",
        "first_cycle": world.published.pk,
    }
    page = english_client.post(url, data)
    assert page.status_code == 200 and LOCK in page.content.decode()
    assert not Project.objects.filter(reference="AMU-003").exists()
    data["first_cycle"] = world.open.pk  # the open cycle takes new projects
    assert english_client.post(url, data).status_code == 302
    assert Project.objects.get(reference="AMU-003").status_changes.get().cycle == world.open


@pytest.mark.parametrize("fillers", [0, 199], ids=["1-row file", "200-row file"])
def test_an_editors_projects_file_cannot_add_a_project_first_reported_in_a_published_cycle(editor, world, fillers):
    before = fingerprint()
    report = import_as(editor, "projects", PROJECTS + "AMU-003,RU-AMU,Мост,transport,III\n" + project_fillers(fillers))
    assert only_problem(report) == (2, "first_cycle", LOCK)
    assert fingerprint() == before


def test_editors_still_edit_a_published_projects_description(english_client, world):
    url = reverse("admin:tracker_project_change", args=[world.printed.pk])
    data = {**form_data(english_client.get(url)), "title_en": "Bridge"}
    assert english_client.post(url, data).status_code == 302
    assert Project.objects.get(pk=world.printed.pk).title_en == "Bridge"


def test_the_system_and_superusers_may_still_correct_a_first_cycle(world):
    boss = User.objects.create_superuser("root", password="root-pass-123")
    project = world.printed
    with acting(boss, "import"):
        assert import_datasets([("projects", read_dataset((PROJECTS + "AMU-002,RU-AMU,Проект,transport,IV\n").encode(), "p.csv"))]).ok
    assert StatusChange.objects.get(project=project, is_initial=True).cycle == world.open


# -- locked evidence on a project's page ------------------------------------------------


@pytest.mark.parametrize("moved", [False, True], ids=["as it is", "moved to the open cycle"])
def test_deleting_locked_evidence_from_the_project_page_gives_the_lock_message(english_client, world, moved):
    url = reverse("admin:tracker_project_change", args=[world.printed.pk])
    data = form_data(english_client.get(url))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == world.evidence.pk)[: -len("-id")]
    data[f"{prefix}-DELETE"] = "on"
    if moved:
        data[f"{prefix}-cycle"] = world.open.pk
    page = english_client.post(url, data)
    assert page.status_code == 200 and LOCK in page.content.decode()
    assert Evidence.objects.get(pk=world.evidence.pk).cycle == world.published
