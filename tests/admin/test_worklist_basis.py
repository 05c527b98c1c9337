"""The worklist's "no news this cycle" records how the new status is known (inferred from
silence) and writes its texts in both languages, whichever language the editor uses."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import add_evidence, make_cycle, make_project
from tracker.admin.worklist import EDITORIAL_SOURCE
from tracker.models import Evidence, Project, StatusChange

S = Project.Status
B = StatusChange.Basis
pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@pytest.fixture
def open_cycle(cycles):
    return make_cycle(4)  # not published: the cycle being prepared


@pytest.fixture
def pending(cycles, region, open_cycle):
    one, two, _three = cycles
    old = make_project(region, one, reference="AMU-001")
    add_evidence(old, two, kind=Evidence.Kind.EFFORT, occurred_on=datetime.date(2024, 4, 1), summary="Talks went on.")
    later = make_project(region, two, reference="AMU-002")
    return old, later


def mark_no_news(client, projects, language):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    client.cookies["django_language"] = language
    url = reverse("admin:tracker_followup_changelist")
    chosen = {"action": "no_news", "index": "0", "_selected_action": [p.pk for p in projects]}
    assert client.post(url, chosen).status_code == 200  # asks first
    done = client.post(url, {**chosen, "confirm": "1"})
    assert done.status_code == 302


@pytest.mark.parametrize("language", ["ru", "en"])
def test_no_news_records_an_inferred_status_with_texts_in_both_languages(editor_client, editor, pending, open_cycle, language):
    mark_no_news(editor_client, pending, language)
    for project in pending:
        project.refresh_from_db()
        change = project.status_changes.get(cycle=open_cycle)
        evidence = project.evidence.get(cycle=open_cycle)
        assert change.basis == B.INFERRED
        assert change.evidence == evidence and change.recorded_by == editor
        assert project.status == S.STALLED
        assert project.basis_path.endswith("i") and project.basis == B.INFERRED
        assert evidence.kind == Evidence.Kind.FOLLOW_UP and evidence.source.title == EDITORIAL_SOURCE

        # the same texts whoever clicked: English in the English fields, Russian in the Russian ones
        assert evidence.summary == "No news of the project in cycle IV."
        assert evidence.summary_ru == "Новостей о проекте в цикле IV нет."
        assert change.public_note_en == "Inferred: no news in cycle IV."
        assert change.public_note_ru == "Выведено: в цикле IV новостей нет."
        assert not CYRILLIC.search(evidence.summary + change.public_note_en)
        assert CYRILLIC.search(evidence.summary_ru) and CYRILLIC.search(change.public_note_ru)
        assert change.note == ""  # no editors' note is made up


def test_both_editors_write_the_same_record(editor_client, pending, open_cycle, region, cycles):
    """An editor working in Russian and one working in English leave identical texts."""
    mark_no_news(editor_client, [pending[0]], "ru")
    other = make_project(region, cycles[0], reference="AMU-003")
    mark_no_news(editor_client, [other], "en")
    fields = ("summary", "summary_ru")
    note_fields = ("public_note_ru", "public_note_en", "basis")
    texts = [
        (
            Evidence.objects.filter(project=p, cycle=open_cycle).values_list(*fields).get(),
            StatusChange.objects.filter(project=p, cycle=open_cycle).values_list(*note_fields).get(),
        )
        for p in (pending[0], other)
    ]
    assert texts[0] == texts[1]


def test_the_inferred_status_shows_on_the_public_page_with_the_year_of_the_last_news(client, editor_client, pending, open_cycle):
    mark_no_news(editor_client, [pending[0]], "ru")
    url = pending[0].get_absolute_url()
    assert "Выведено: в цикле IV" not in client.get(url).content.decode()  # a draft until published
    open_cycle.is_published = True
    open_cycle.save()
    russian = client.get(url).content.decode()
    assert '<span class="basis basis-inferred">выведено: нет новостей с 2024 г.</span>' in russian
    assert '<span lang="ru">Выведено: в цикле IV новостей нет.</span>' in russian
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert '<span class="basis basis-inferred">inferred: no news since 2024</span>' in english
    assert '<span lang="en">Inferred: no news in cycle IV.</span>' in english
