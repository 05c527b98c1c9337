"""The core computation, exactly as docs/domain.md ("Unresolved") defines it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratings.models import Cycle
from tests.factories import add_evidence, make_cycle, make_project, make_region
from tracker.models import Evidence, Project
from tracker.status import history
from tracker.status.unresolved import status_projects

S = Project.Status
pytestmark = pytest.mark.django_db


def refs(queryset):
    return sorted(p.reference for p in queryset)


def status_at_end(project, cycle):
    return status_projects().with_status_at_end(cycle).get(pk=project.pk).status_at_end


def test_project_first_reported_in_the_cycle_itself_is_not_earlier_news(cycles, region):
    one, two, three = cycles
    make_project(region, three, reference="NEW-001")
    old = make_project(region, two, reference="OLD-001")
    assert refs(Project.objects.first_reported_before(three)) == ["OLD-001"]
    assert refs(status_projects().unresolved_in(three)) == ["OLD-001"]
    assert old.status == S.ANNOUNCED


def test_announced_project_left_alone_remains_unresolved_in_every_later_cycle(cycles, region):
    one, two, three = cycles
    make_project(region, one, reference="OLD-001")
    assert refs(status_projects().unresolved_in(two)) == ["OLD-001"]
    assert refs(status_projects().unresolved_in(three)) == ["OLD-001"]
    assert refs(status_projects().unresolved_in(one)) == []


def test_stalled_then_announced_then_launched_across_cycles(region):
    one, two, three, four = [make_cycle(n) for n in (1, 2, 3, 4)]
    project = make_project(region, one)
    history.append_status_change(project, S.STALLED, two)
    history.append_status_change(project, S.ANNOUNCED, three)
    history.append_status_change(project, S.LAUNCHED, four)

    assert [status_at_end(project, c) for c in (one, two, three, four)] == [
        S.ANNOUNCED, S.STALLED, S.ANNOUNCED, S.LAUNCHED,
    ]
    assert refs(status_projects().unresolved_in(two)) == [project.reference]
    assert refs(status_projects().unresolved_in(three)) == [project.reference]
    assert refs(status_projects().unresolved_in(four)) == []
    assert refs(status_projects().resolved_in(four)) == [project.reference]
    project.refresh_from_db()
    assert project.status == S.LAUNCHED


def test_stalled_project_revived_in_next_cycle_is_resolved(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    history.append_status_change(project, S.STALLED, two)
    history.append_status_change(project, S.LAUNCHED, three)
    assert refs(status_projects().resolved_in(three)) == [project.reference]
    assert refs(status_projects().unresolved_in(three)) == []


def test_launched_then_dropped_is_not_unfinished_at_the_start(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    history.append_status_change(project, S.LAUNCHED, two)
    history.append_status_change(project, S.DROPPED, three)
    assert status_at_end(project, three) == S.DROPPED
    assert refs(status_projects().unfinished_at_start_of(three)) == []
    assert refs(status_projects().unresolved_in(three)) == []
    assert refs(status_projects().resolved_in(three)) == []
    assert refs(status_projects().resolved_in(two)) == [project.reference]


def test_two_changes_in_one_cycle_the_later_effective_date_wins(cycles, region):
    one, two, three = cycles
    project = make_project(region, two)
    # Recorded out of order: the later date wins, not the later record.
    history.append_status_change(project, S.LAUNCHED, three, effective_on=datetime.date(2026, 3, 1))
    history.append_status_change(project, S.STALLED, three, effective_on=datetime.date(2025, 9, 1))
    assert status_at_end(project, three) == S.LAUNCHED
    assert refs(status_projects().resolved_in(three)) == [project.reference]
    project.refresh_from_db()
    assert project.status == S.LAUNCHED


def test_two_changes_on_the_same_date_the_later_record_wins(cycles, region):
    one, two, three = cycles
    project = make_project(region, two)
    day = datetime.date(2025, 10, 10)
    history.append_status_change(project, S.LAUNCHED, three, effective_on=day)
    history.append_status_change(project, S.STALLED, three, effective_on=day)
    assert status_at_end(project, three) == S.STALLED
    assert refs(status_projects().unresolved_in(three)) == [project.reference]


def test_change_without_date_counts_from_the_start_of_its_cycle(cycles, region):
    one, two, three = cycles
    project = make_project(region, two)
    history.append_status_change(project, S.LAUNCHED, three, effective_on=datetime.date(2025, 12, 1))
    history.append_status_change(project, S.STALLED, three)
    assert status_at_end(project, three) == S.LAUNCHED


def test_project_without_any_evidence_is_silent_with_no_last_evidence(cycles, region):
    one, two, three = cycles
    make_project(region, two, reference="NOE-001")
    row = status_projects().unresolved_report(three).get()
    assert row.last_evidence_on is None
    assert row.silent is True
    assert row.age == 1
    assert row.silent_cycles == 1
    assert row.suggested_status == S.STALLED


def test_project_with_evidence_this_cycle_is_not_silent(cycles, region):
    one, two, three = cycles
    project = make_project(region, two)
    add_evidence(project, two, occurred_on=datetime.date(2024, 5, 1))
    add_evidence(project, three, kind=Evidence.Kind.EFFORT, occurred_on=datetime.date(2025, 11, 2))
    row = status_projects().unresolved_report(three).get()
    assert row.silent is False
    assert row.last_evidence_on == datetime.date(2025, 11, 2)
    assert row.suggested_status == S.ANNOUNCED


def test_years_without_progress_suggest_dropped(cycles, region):
    one, two, three = cycles
    project = make_project(
        region, one, announced_on=datetime.date(2018, 9, 1), announced_precision="month"
    )
    add_evidence(project, three, kind=Evidence.Kind.FOLLOW_UP, occurred_on=datetime.date(2026, 1, 1))
    row = status_projects().unresolved_report(three).get()
    assert row.silent is False
    assert row.age == 2
    assert row.last_progress_on == datetime.date(2018, 9, 1)
    assert row.suggested_status == S.DROPPED


def test_recent_result_keeps_an_old_project_from_the_drop_suggestion(cycles, region):
    one, two, three = cycles
    project = make_project(
        region, one, announced_on=datetime.date(2018, 9, 1), announced_precision="month"
    )
    add_evidence(project, two, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2024, 1, 1))
    add_evidence(project, three, kind=Evidence.Kind.EFFORT, occurred_on=datetime.date(2025, 8, 1))
    row = status_projects().unresolved_report(three).get()
    assert row.suggested_status == S.ANNOUNCED


def test_drop_threshold_comes_from_settings(cycles, region, settings):
    one, two, three = cycles
    project = make_project(
        region, two, announced_on=datetime.date(2023, 7, 1), announced_precision="month"
    )
    add_evidence(project, three, occurred_on=datetime.date(2025, 7, 1))
    assert status_projects().unresolved_report(three).get().suggested_status == S.ANNOUNCED
    settings.TRACKER_DROP_AFTER_YEARS = 2
    assert status_projects().unresolved_report(three).get().suggested_status == S.DROPPED


def test_project_in_a_location_without_a_rating_is_followed_up_like_any_other(cycles):
    one, two, three = cycles
    crimea = make_region("Crimea", iso_code="UA-43", name_ru="Республика Крым", federal_district="")
    make_project(crimea, two, reference="KRM-001")
    assert crimea.ratings.count() == 0
    assert refs(status_projects().unresolved_in(three)) == ["KRM-001"]


def test_evidence_recorded_after_the_cycle_does_not_count(cycles, region):
    one, two, three = cycles
    project = make_project(region, one)
    add_evidence(project, three, occurred_on=datetime.date(2026, 1, 1))
    row = status_projects().unresolved_report(two).get()
    assert row.silent is True
    assert row.last_evidence_on is None


def test_report_is_a_fixed_number_of_queries_whatever_the_number_of_projects(cycles, region):
    one, two, three = cycles

    def queries_for_report():
        with CaptureQueriesContext(connection) as ctx:
            cycle = Cycle.objects.by_numeral("III")
            rows = list(status_projects().unresolved_report(cycle))
            [row.region.name for row in rows]
        return len(ctx.captured_queries), len(rows)

    for _ in range(3):
        project = make_project(region, one)
        add_evidence(project, two, occurred_on=datetime.date(2024, 1, 1))
    small = queries_for_report()
    for _ in range(20):
        project = make_project(region, two)
        history.append_status_change(project, S.STALLED, three)
    large = queries_for_report()
    assert (small[1], large[1]) == (3, 23)
    assert small[0] == large[0] == 3  # the cycle, the cycles up to it, the report
