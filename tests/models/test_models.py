"""Invariants held by the database and the append-only status history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from ratings.models import Cycle, Rating
from tests.factories import add_evidence, make_project, make_rating
from tracker.models import Project, StatusChange
from tracker.status import history

S = Project.Status
pytestmark = pytest.mark.django_db


def violates(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_score_outside_one_to_ten_is_refused_by_the_database(cycles, region):
    violates(lambda: Rating.objects.create(region=region, cycle=cycles[0], score=11))
    violates(lambda: Rating.objects.create(region=region, cycle=cycles[0], score=0))


def test_one_rating_per_region_and_cycle(cycles, region):
    make_rating(region, cycles[0], 5)
    violates(lambda: Rating.objects.create(region=region, cycle=cycles[0], score=6))


@pytest.mark.parametrize("score, tier", [(10, "high"), (7, "high"), (6, "moderate"), (4, "moderate"), (3, "low"), (1, "low")])
def test_tier_follows_from_the_score(cycles, region, score, tier):
    rating = make_rating(region, cycles[2], score)
    rating.refresh_from_db()
    assert rating.tier == tier


def test_cycle_is_shown_as_a_roman_numeral_and_found_by_it(cycles):
    assert str(cycles[2]) == "III"
    assert Cycle.objects.by_numeral("iii") == cycles[2]
    assert Cycle.objects.by_numeral("2") == cycles[1]
    with pytest.raises(Cycle.DoesNotExist):
        Cycle.objects.by_numeral("IIII")


def test_invalid_status_and_kind_values_are_refused_by_the_database(cycles, region):
    project = make_project(region, cycles[0])
    violates(lambda: Project.objects.filter(pk=project.pk).update(status="forgotten"))
    violates(lambda: Project.objects.filter(pk=project.pk).update(sector="magic"))
    evidence = add_evidence(project, cycles[0])
    from tracker.models import Evidence

    violates(lambda: Evidence.objects.filter(pk=evidence.pk).update(kind="rumour"))


def test_project_references_are_unique(cycles, region):
    make_project(region, cycles[0], reference="AMU-001")
    violates(lambda: make_project(region, cycles[0], reference="AMU-001"))


def test_effective_date_outside_its_cycle_is_refused_by_the_database(cycles, region):
    project = make_project(region, cycles[0])
    violates(
        lambda: StatusChange.objects.create(
            project=project, cycle=cycles[2], status=S.LAUNCHED, effective_on=datetime.date(2024, 1, 1)
        )
    )


def test_effective_date_outside_its_cycle_is_a_validation_error(cycles, region):
    project = make_project(region, cycles[0])
    with pytest.raises(ValidationError) as error:
        history.append_status_change(project, S.LAUNCHED, cycles[2], effective_on=datetime.date(2024, 1, 1))
    assert "effective_on" in error.value.message_dict
    assert project.status_changes.count() == 1


def test_first_cycle_has_no_start_so_any_early_date_fits(cycles, region):
    project = make_project(region, cycles[0])
    history.append_status_change(project, S.LAUNCHED, cycles[0], effective_on=datetime.date(2016, 12, 1))
    assert project.status == S.LAUNCHED


def test_new_project_gets_its_initial_announced_change_in_its_first_cycle(cycles, region):
    project = make_project(region, cycles[1])
    (change,) = project.status_changes.all()
    assert (change.status, change.cycle, change.is_initial) == (S.ANNOUNCED, cycles[1], True)
    assert project.status == S.ANNOUNCED


def test_record_status_appends_and_keeps_the_project_in_step(cycles, region):
    project = make_project(region, cycles[0])
    evidence = add_evidence(project, cycles[1])
    history.append_status_change(project, S.LAUNCHED, cycles[1], evidence=evidence, note="Plant opened.")
    assert Project.objects.get(pk=project.pk).status == S.LAUNCHED
    assert project.status_changes.count() == 2


def test_change_for_an_earlier_cycle_does_not_override_the_current_status(cycles, region):
    project = make_project(region, cycles[0])
    history.append_status_change(project, S.LAUNCHED, cycles[2])
    history.append_status_change(project, S.STALLED, cycles[1])
    assert Project.objects.get(pk=project.pk).status == S.LAUNCHED


def test_status_changes_are_never_edited_in_place(cycles, region):
    project = make_project(region, cycles[0])
    change = project.status_changes.get()
    change.status = S.LAUNCHED
    with pytest.raises(ValidationError):
        change.save()


def test_evidence_of_another_project_cannot_justify_a_change(cycles, region):
    project = make_project(region, cycles[0])
    other = make_project(region, cycles[0])
    with pytest.raises(ValidationError):
        history.append_status_change(project, S.LAUNCHED, cycles[1], evidence=add_evidence(other, cycles[1]))


def test_change_before_the_first_reported_cycle_is_refused(cycles, region):
    project = make_project(region, cycles[2])
    with pytest.raises(ValidationError):
        history.append_status_change(project, S.LAUNCHED, cycles[1])


def test_correcting_the_first_cycle_moves_the_initial_change(cycles, region):
    project = make_project(region, cycles[2])
    project.first_cycle = cycles[1]
    history.save_project(project)
    assert project.status_changes.get(is_initial=True).cycle == cycles[1]


def test_amount_needs_a_currency(cycles, region):
    violates(lambda: make_project(region, cycles[0], amount=100))
    project = make_project(region, cycles[0], amount=10_000_000_000, currency="RUB")
    assert project.amount == 10_000_000_000


def test_date_needs_a_precision(cycles, region):
    violates(lambda: make_project(region, cycles[0], announced_on=datetime.date(2018, 9, 1)))


def test_dates_are_shown_no_more_precisely_than_known(cycles, region):
    project = make_project(
        region, cycles[0], announced_on=datetime.date(2025, 7, 1), announced_precision="quarter"
    )
    expected = {
        "ru": {"year": "2025", "quarter": "III кв. 2025", "month": "июль 2025", "day": "1 июля 2025"},
        "en": {"year": "2025", "quarter": "Q3 2025", "month": "July 2025", "day": "1 July 2025"},
    }
    for language, shown in expected.items():
        with translation.override(language):
            for precision, text in shown.items():
                project.announced_precision = precision
                assert project.announced_display == text


def test_titles_follow_the_active_language(cycles, region):
    from django.utils import translation

    project = make_project(region, cycles[0], title_ru="Мост", title_en="Bridge")
    with translation.override("en"):
        assert project.title == "Bridge"
        assert str(region) == "Amur Oblast"
    with translation.override("ru"):
        assert project.title == "Мост"
        assert str(region) == "Амурская область"


def test_a_source_date_needs_its_precision_in_forms_and_imports_alike():
    from tracker.models import Source

    source = Source(title="Газета", kind=Source.Kind.MEDIA, published_on=datetime.date(2025, 7, 1))
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert "published_precision" in error.value.message_dict
