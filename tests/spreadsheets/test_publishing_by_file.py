"""A person's cycles file cannot publish or unpublish a cycle: that is the admin's
"Publish…", which writes the release. The system (loadseeds) may."""

import pytest

from ratings.models import Cycle
from tracker.spreadsheets.importer import import_datasets, read_dataset

pytestmark = pytest.mark.django_db

HEADER = "number,title,period_start,period_end,is_published\n"


def load(text, user=None):
    return import_datasets([("cycles", read_dataset((HEADER + text).encode(), "cycles.csv"))], user=user)


def test_an_editors_file_that_would_publish_a_cycle_is_refused_and_changes_nothing(cycles, editor):
    report = load("IV,Четвёртый,2026-06-01,2027-05-31,true\n", user=editor)
    assert not report.ok
    assert "is_published" in str(report.problems[0])
    assert not Cycle.objects.filter(number=4).exists()


def test_an_editors_file_that_would_unpublish_a_cycle_is_refused(cycles, editor):
    one = cycles[0]
    one.is_published = True
    one.save()
    report = load("I,Первый,,2023-05-31,false\n", user=editor)
    assert not report.ok
    one.refresh_from_db()
    assert one.is_published


def test_an_editors_file_may_add_a_draft_cycle_and_the_system_may_publish(cycles, editor):
    assert load("IV,Четвёртый,2026-06-01,2027-05-31,false\n", user=editor).ok
    assert load("IV,Четвёртый,2026-06-01,2027-05-31,true\n").ok
    assert Cycle.objects.get(number=4).is_published
