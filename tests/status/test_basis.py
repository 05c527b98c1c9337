"""How a status is known (stated, inferred from silence, editors' judgement) and the
basis path that runs beside the status path, letter for letter."""

import datetime
import io

import pytest
from django.core.management import call_command

from tests.factories import add_evidence, make_cycle, make_project
from tracker.models import Evidence, Project, StatusChange
from tracker.status import history
from tracker.status.marks import attach_marks, basis_from_path, with_basis
from tracker.status.unresolved import history_status_at_end_of, status_projects

S = Project.Status
B = StatusChange.Basis
pytestmark = pytest.mark.django_db


def paths_of(project):
    project.refresh_from_db()
    return project.status_path, project.basis_path


def assert_check_command_passes():
    out = io.StringIO()
    call_command("sync_status_paths", "--check", stdout=out)  # SystemExit(1) when out of step
    assert "0 project(s) out of step." in out.getvalue()


# -- the default rule ---------------------------------------------------------------------


def test_a_change_citing_evidence_is_stated_and_one_without_is_judgement(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    evidence = add_evidence(project, two, kind=Evidence.Kind.SETBACK, summary="Frozen.")
    cited = history.append_status_change(project, S.STALLED, two, evidence=evidence)
    uncited = history.append_status_change(project, S.LAUNCHED, three)
    assert (cited.basis, uncited.basis) == (B.STATED, B.JUDGEMENT)
    assert StatusChange.objects.get(pk=uncited.pk).basis == B.JUDGEMENT  # stored, not only on the instance
    assert project.basis_path == "ssj"  # the instance passed in is kept in step
    assert paths_of(project) == ("asl", "ssj")
    assert project.basis == B.JUDGEMENT


def test_the_initial_change_is_stated(cycles, region):
    project = make_project(region, cycles[1])
    initial = project.status_changes.get()
    assert initial.is_initial and initial.basis == B.STATED
    assert paths_of(project) == ("-aa", "-ss")
    assert project.basis == B.STATED


def test_an_explicit_basis_is_kept_whatever_the_evidence(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    follow_up = add_evidence(project, two, kind=Evidence.Kind.FOLLOW_UP, summary="No news.")
    inferred = history.append_status_change(project, S.STALLED, two, evidence=follow_up, basis=B.INFERRED)
    stated = history.append_status_change(project, S.DROPPED, three, basis=B.STATED)
    assert [c.basis for c in StatusChange.objects.filter(pk__in=[inferred.pk, stated.pk]).order_by("pk")] == [
        B.INFERRED, B.STATED,
    ]
    assert paths_of(project) == ("asd", "sis")


# -- the basis path follows the history ----------------------------------------------------


def test_basis_path_has_a_dash_before_the_first_cycle_and_repeats_until_the_next_change(cycles, region):
    two, three = cycles[1], cycles[2]
    project = make_project(region, two)
    history.append_status_change(project, S.STALLED, three, basis=B.INFERRED)
    assert paths_of(project) == ("-as", "-si")
    assert basis_from_path(project.basis_path, 1) is None
    assert basis_from_path(project.basis_path, 2) == B.STATED
    assert basis_from_path(project.basis_path, 3) == B.INFERRED


def test_within_a_cycle_the_basis_is_that_of_the_change_that_sets_the_status(cycles, region):
    """Latest by effective date, not by record: the basis letter comes from the same change
    as the status letter."""
    one, three = cycles[0], cycles[2]
    project = make_project(region, one)
    history.append_status_change(project, S.STALLED, three, effective_on=datetime.date(2026, 3, 1), basis=B.INFERRED)
    # recorded later, but effective earlier: it does not set the end-of-cycle status
    history.append_status_change(project, S.LAUNCHED, three, effective_on=datetime.date(2025, 7, 1), basis=B.JUDGEMENT)
    assert paths_of(project) == ("aas", "ssi")
    # an undated change counts from the start of the cycle: still not the latest
    history.append_status_change(project, S.DROPPED, three, basis=B.JUDGEMENT)
    assert paths_of(project) == ("aas", "ssi")
    assert_check_command_passes()


def test_deleting_a_change_brings_the_basis_back(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    history.append_status_change(project, S.STALLED, two, basis=B.INFERRED)
    judged = history.append_status_change(project, S.LAUNCHED, three)
    assert paths_of(project) == ("asl", "sij")
    history.delete_status_change(judged)
    assert paths_of(project) == ("ass", "sii")
    assert project.basis == B.INFERRED
    assert_check_command_passes()


def test_correcting_the_first_cycle_moves_the_dashes_and_the_initial_stated_letter(cycles, region):
    one, two, three = cycles
    project = make_project(region, two)
    history.append_status_change(project, S.STALLED, three, basis=B.INFERRED)
    assert paths_of(project) == ("-as", "-si")
    project.first_cycle = one
    history.save_project(project)
    assert (project.status_path, project.basis_path) == ("aas", "ssi")  # the instance too
    assert paths_of(project) == ("aas", "ssi")
    assert project.status_changes.get(is_initial=True).cycle == one
    assert_check_command_passes()


def test_adding_a_cycle_lengthens_the_basis_path_with_its_last_letter(cycles, region):
    one, two, three = cycles
    inferred = make_project(region, one)
    history.append_status_change(inferred, S.STALLED, three, basis=B.INFERRED)
    judged = make_project(region, two)
    history.append_status_change(judged, S.DROPPED, two)
    make_cycle(4)
    assert paths_of(inferred) == ("aass", "ssii")
    assert paths_of(judged) == ("-ddd", "-jjj")
    assert_check_command_passes()


def test_projects_imported_in_bulk_get_a_stated_basis_path(cycles, region):
    from tracker.spreadsheets.importer import import_datasets, read_dataset

    rows = ["reference,region,title_ru,sector,first_cycle"] + [
        f"BAS-{i:03d},RU-AMU,Проект {i},energy,{'II' if i % 2 else 'III'}" for i in range(210)
    ]  # over the bulk threshold
    report = import_datasets([("projects", read_dataset("\n".join(rows).encode(), "projects.csv"))])
    assert report.ok, report.problems[:3]
    assert set(Project.objects.values_list("status_path", "basis_path")) == {("-aa", "-ss"), ("--a", "--s")}
    assert_check_command_passes()


def test_the_check_command_compares_the_basis_path_too(cycles, region):
    project = make_project(region, cycles[0])
    history.append_status_change(project, S.STALLED, cycles[2], basis=B.INFERRED)
    Project.objects.filter(pk=project.pk).update(basis_path="sss")  # status path still right
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("sync_status_paths", "--check", stdout=out)
    assert exit_info.value.code == 1
    assert project.reference in out.getvalue()
    call_command("sync_status_paths", stdout=io.StringIO())
    assert paths_of(project) == ("aas", "ssi")
    assert_check_command_passes()


# -- silence in the sources ----------------------------------------------------------------


def test_no_news_after_a_launch_changes_nothing_without_a_status_change(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    opened = add_evidence(project, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2024, 5, 1), summary="Opened.")
    history.append_status_change(project, S.LAUNCHED, two, evidence=opened)
    before = paths_of(project)
    assert before == ("all", "sss")
    add_evidence(project, three, kind=Evidence.Kind.FOLLOW_UP, summary="No news of the plant.")
    assert paths_of(project) == before
    assert project.status == S.LAUNCHED
    at_end = status_projects().with_status_at_end(three).get(pk=project.pk)
    assert at_end.status_at_end == S.LAUNCHED
    assert Project.objects.annotate(h=history_status_at_end_of(three)).get(pk=project.pk).h == S.LAUNCHED
    assert not status_projects().unresolved_in(three).filter(pk=project.pk).exists()
    (marked,) = attach_marks([project], three.number)
    assert (marked.basis_now, marked.news_since) == (B.STATED, None)
    assert_check_command_passes()


def test_vanished_from_the_agenda_recorded_as_stalled_and_stated(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    vanished = add_evidence(
        project, three, kind=Evidence.Kind.FOLLOW_UP, occurred_on=datetime.date(2026, 2, 1),
        summary="The project vanished from the regional agenda.", summary_ru="Проект исчез из повестки.",
    )
    history.append_status_change(project, S.STALLED, three, evidence=vanished, basis=B.STATED)
    assert paths_of(project) == ("aas", "sss")
    assert status_projects().with_status_at_end(three).get(pk=project.pk).status_at_end == S.STALLED
    assert basis_from_path(project.basis_path, three.number) == B.STATED
    assert with_basis(Project.objects.all(), B.STATED, three.number).filter(pk=project.pk).exists()
    assert not with_basis(Project.objects.all(), B.INFERRED, three.number).filter(pk=project.pk).exists()
    (marked,) = attach_marks([project], three.number)
    assert (marked.basis_now, marked.news_since) == (B.STATED, None)
    # stalled is unfinished: it remained unresolved in III
    assert status_projects().unresolved_in(three).filter(pk=project.pk).exists()
    assert_check_command_passes()


def test_a_first_cycle_moved_later_keeps_the_initial_change_earliest_in_its_cycle(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    evidence = add_evidence(project, two, kind=Evidence.Kind.RESULT, summary="Opened.")
    history.append_status_change(project, S.LAUNCHED, two, evidence=evidence)
    project.first_cycle = two
    history.save_project(project)  # the initial change is recorded again, after the launch
    assert paths_of(project)[0] == "-ll"
    assert status_projects().filter(pk=project.pk).annotate(
        at_two=history_status_at_end_of(two)
    ).get().at_two == S.LAUNCHED
    assert_check_command_passes()
