"""Stored status paths against the status history they are derived from.

Pages read statuses from `Project.status_path`; the definition (docs/domain.md, "Status history") reads the
history. Whatever editors do — append, delete, correct the first cycle, add or renumber
cycles, import — both must give the same answer for every project and cycle."""

import datetime
import random

import pytest
from django.core.management import call_command
from django.db import transaction

from ratings.models import Cycle
from tests.factories import make_cycle, make_project, make_region
from tracker.ops import synthetic
from tracker.status import letters as paths
from tracker.models import Evidence, Project, StatusChange
from tracker.status.unresolved import history_status_at_end_of
from tracker.status import history
from tracker.status.unresolved import status_projects

pytestmark = pytest.mark.django_db
STATUSES = [s.value for s in Project.Status]


def by_history(cycle):
    """{reference: status at the end of `cycle`} read from the history (None before the first)."""
    qs = Project.objects.annotate(h=history_status_at_end_of(cycle)).values_list(
        "reference", "h", "first_cycle__number"
    )
    return {ref: (h if first <= cycle.number else None) for ref, h, first in qs}


def assert_paths_match_history():
    cycles = list(Cycle.objects.order_by("number"))
    previous = None
    for cycle in cycles:
        end = by_history(cycle)
        stored = dict(status_projects().with_status_at_end(cycle).values_list("reference", "status_at_end"))
        assert stored == end, f"cycle {cycle.numeral}"
        if previous is not None:
            firsts = dict(Project.objects.values_list("reference", "first_cycle__number"))
            earlier = {r for r in end if firsts[r] < cycle.number and previous.get(r) in Project.UNFINISHED}
            expected_unresolved = {r for r in earlier if end[r] in Project.UNFINISHED}
            expected_resolved = earlier - expected_unresolved
            assert set(status_projects().unresolved_in(cycle).values_list("reference", flat=True)) == expected_unresolved
            assert set(status_projects().resolved_in(cycle).values_list("reference", flat=True)) == expected_resolved
            assert set(status_projects().unfinished_at_start_of(cycle).values_list("reference", flat=True)) == earlier
        previous = end
    for project in Project.objects.select_related("first_cycle"):
        assert project.first_number == project.first_cycle.number
        assert project.status == paths.current_status(project.status_path)
        assert len(project.status_path) == cycles[-1].number


def random_day(rng, cycle):
    if cycle.period_start is None or cycle.period_end is None or rng.random() < 0.4:
        return None
    span = (cycle.period_end - cycle.period_start).days
    return cycle.period_start + datetime.timedelta(days=rng.randint(0, span))


def test_random_histories_give_the_same_answers_from_paths_and_history():
    rng = random.Random(7)
    region = make_region()
    cycles = [make_cycle(n) for n in (1, 2, 3)]
    projects = [make_project(region, rng.choice(cycles), reference=f"RND-{i:03d}") for i in range(40)]
    for _round in range(120):
        project = rng.choice(projects)
        cycle = rng.choice([c for c in cycles if c.number >= project.first_cycle.number])
        history.append_status_change(project, rng.choice(STATUSES), cycle, effective_on=random_day(rng, cycle))
    assert_paths_match_history()

    # A new cycle: paths grow by one letter, the statuses carry over.
    cycles.append(make_cycle(4))
    assert_paths_match_history()
    for project in rng.sample(projects, 15):
        history.append_status_change(project, rng.choice(STATUSES), cycles[-1])
    assert_paths_match_history()

    # Deleting changes (superusers only in the admin) and correcting the first cycle.
    for change in rng.sample(list(StatusChange.objects.filter(is_initial=False)), 10):
        history.delete_status_change(change)
    moved = projects[0]
    moved.refresh_from_db()
    moved.first_cycle = cycles[0]
    history.save_project(moved)
    assert_paths_match_history()


def test_renumbering_a_cycle_rewrites_the_paths():
    region = make_region()
    one, two = make_cycle(1), make_cycle(2, period_start=None, period_end=None, published_on=None)
    project = make_project(region, one, reference="REN-001")
    history.append_status_change(project, Project.Status.LAUNCHED, two)
    two.number = 5
    history.save_cycle(two)
    project.refresh_from_db()
    assert project.status_path == "aaaal"
    assert_paths_match_history()


def test_projects_imported_in_bulk_get_their_paths(tmp_path):
    from tracker.spreadsheets.importer import import_datasets, read_dataset

    region = make_region(iso_code="RU-AMU")
    make_cycle(1), make_cycle(2), make_cycle(3)
    rows = ["reference,region,title_ru,sector,first_cycle"] + [
        f"BLK-{i:03d},RU-AMU,Проект {i},energy,{'II' if i % 2 else 'III'}" for i in range(250)
    ]
    report = import_datasets([("projects", read_dataset("\n".join(rows).encode(), "projects.csv"))])
    assert report.ok, report.problems[:3]
    assert Project.objects.filter(region=region).count() == 250
    assert set(Project.objects.values_list("status_path", flat=True)) == {"-aa", "--a"}
    assert_paths_match_history()


def snapshot():
    return (
        list(Project.objects.order_by("reference").values_list("reference", "status_path", "amount", "first_cycle__number")),
        list(Evidence.objects.order_by("reference").values_list("reference", "kind", "occurred_on", "cycle__number")),
        list(StatusChange.objects.order_by("project__reference", "pk").values_list("project__reference", "status", "effective_on")),
    )


class Undo(Exception):
    pass


def generated(projects, seed):
    try:
        with transaction.atomic():
            synthetic.generate(projects, seed=seed)
            result = snapshot()
            raise Undo
    except Undo:
        return result


def test_synthetic_data_is_deterministic_and_consistent():
    first, again, other = generated(150, 3), generated(150, 3), generated(150, 4)
    assert first == again
    assert first != other
    counts = synthetic.generate(300, seed=1)
    assert Cycle.objects.count() == 10
    assert counts.projects == 300
    assert 7 <= counts.evidence / counts.projects <= 13
    assert all(n > 0 for n in counts.statuses.values()), counts.statuses
    assert_paths_match_history()
    call_command("sync_status_paths", "--check")


def test_sync_command_repairs_a_stale_path(capsys):
    region = make_region()
    one = make_cycle(1)
    make_cycle(2)
    project = make_project(region, one, reference="STL-001")
    Project.objects.filter(pk=project.pk).update(status_path="ll")
    with pytest.raises(SystemExit):
        call_command("sync_status_paths", "--check")
    call_command("sync_status_paths")
    project.refresh_from_db()
    assert project.status_path == "aa"
    call_command("sync_status_paths", "--check")


def test_page_figures_match_the_report_figures():
    """attach_follow_up (pages) and with_follow_up (exports, the command line, the
    worklist) give the same follow-up figures."""
    from tracker.status.unresolved import attach_follow_up

    synthetic.generate(400, seed=11)
    for number in (3, 6, 10):
        cycle = Cycle.objects.get(number=number)
        report = list(status_projects().unresolved_report(cycle))
        assert report, number
        again = attach_follow_up(list(status_projects(Project.objects.filter(pk__in=[p.pk for p in report])).with_cycle_statuses(cycle)), cycle)
        names = ["age", "last_evidence_on", "silent", "silent_cycles", "last_progress_on", "suggested_status", "status_at_end"]
        expected = {p.pk: tuple(getattr(p, n) for n in names) for p in report}
        found = {p.pk: tuple(getattr(p, n) for n in names) for p in again}
        assert found == expected


def test_cycles_imported_in_bulk_lengthen_the_paths():
    import tablib

    from tracker.spreadsheets.resources import CycleResource

    region = make_region()
    project = make_project(region, make_cycle(1), reference="BLK-001")
    dataset = tablib.Dataset(headers=["number", "title"])
    for number in range(2, 6):
        dataset.append([number, f"Edition {number}"])
    resource = CycleResource()
    resource.bulk_min_rows = 1  # take the bulk path with a short file
    result = resource.import_data(dataset, use_transactions=True)
    assert not result.has_errors() and not result.has_validation_errors()
    project.refresh_from_db()
    assert project.status_path == "aaaaa"
    assert_paths_match_history()


def test_deleting_the_last_cycle_in_the_admin_shortens_the_paths(superuser_client):
    from django.urls import reverse

    region = make_region()
    one, two = make_cycle(1), make_cycle(2)
    make_cycle(3, period_start=None, period_end=None, published_on=None, is_published=False)
    project = make_project(region, one, reference="DEL-001")
    history.append_status_change(project, Project.Status.LAUNCHED, two)
    three = Cycle.objects.get(number=3)
    response = superuser_client.post(reverse("admin:ratings_cycle_delete", args=[three.pk]), {"post": "yes"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status_path == "al"
    assert_paths_match_history()
