"""The editors' review of the open cycle."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_cycle, make_project
from tracker.models import Evidence, Project
from tracker.status import history

S = Project.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def open_cycle(cycles):
    return make_cycle(4)  # not published: the cycle being prepared


@pytest.fixture
def pending(cycles, region, open_cycle):
    one, two, three = cycles
    old = make_project(region, one, reference="AMU-001", amount=5, currency="USD")
    big = make_project(region, two, reference="AMU-002", amount=500, currency="USD")
    small = make_project(region, two, reference="AMU-003", amount=1, currency="USD")
    done = make_project(region, two, reference="AMU-004")
    history.append_status_change(done, S.LAUNCHED, three)
    return old, big, small


def shown(page):
    """What an editor reads on the worklist: the count line, and per row the reference,
    age in cycles and amount."""
    html = page.content.decode()
    count = re.search(r'<p class="worklist-count"><strong>(.*?)</strong></p>', html, re.DOTALL)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.DOTALL).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        rows.append((cells[1], cells[4], cells[5]))
    return count and count.group(1), rows


def test_worklist_lists_earlier_unfinished_projects_by_age_and_amount(editor_client, pending):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = editor_client.get(reverse("admin:tracker_project_worklist"))
    assert page.status_code == 200
    count, rows = shown(page)
    assert count == "3 projects left to review in this cycle."
    # the launched AMU-004 is done: it is not listed
    assert rows == [("AMU-001", "3", "5 USD"), ("AMU-002", "2", "500 USD"), ("AMU-003", "2", "1 USD")]
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert shown(editor_client.get(reverse("admin:tracker_project_worklist")))[0] == "В этом цикле осталось проверить 3 проекта."


def test_reviewing_saves_evidence_and_status_together_and_the_project_leaves(editor_client, editor, pending, open_cycle):
    old = pending[0]
    from tracker.admin.worklist import editorial_source

    response = editor_client.post(
        reverse("admin:tracker_project_review", args=[old.pk]),
        {"kind": "result", "summary": "Construction began.", "source": editorial_source().pk, "locator": "",
         "occurred_on": "2026-09-01", "precision": "month", "status": "launched", "effective_on": "2026-09-01", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    old.refresh_from_db()
    assert old.status == S.LAUNCHED
    assert old.evidence.get(cycle=open_cycle).recorded_by == editor
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = editor_client.get(reverse("admin:tracker_project_worklist"))
    assert shown(page) == ("2 projects left to review in this cycle.", [("AMU-002", "2", "500 USD"), ("AMU-003", "2", "1 USD")])


def test_a_failing_review_saves_neither_evidence_nor_status(editor_client, pending, open_cycle):
    old = pending[0]
    from tracker.admin.worklist import editorial_source

    response = editor_client.post(
        reverse("admin:tracker_project_review", args=[old.pk]),
        {"kind": "result", "summary": "Began.", "source": editorial_source().pk, "status": "launched",
         "effective_on": "2020-01-01"},  # outside cycle IV
    )
    assert response.status_code == 200
    assert not old.evidence.filter(cycle=open_cycle).exists()
    old.refresh_from_db()
    assert old.status == S.ANNOUNCED


def test_bulk_no_news_asks_first_then_records_follow_up_and_suggested_status(editor_client, pending, open_cycle):
    old, big, small = pending
    url = reverse("admin:tracker_project_worklist")
    confirm = editor_client.post(url, {"project": [old.pk, big.pk]})
    assert confirm.status_code == 200 and "AMU-001" in confirm.content.decode()
    assert not Evidence.objects.filter(cycle=open_cycle).exists()
    done = editor_client.post(url, {"project": [old.pk, big.pk], "confirm": "1"})
    assert done.status_code == 302
    for project in (old, big):
        project.refresh_from_db()
        assert project.status == S.STALLED
        assert project.evidence.get(cycle=open_cycle).kind == Evidence.Kind.FOLLOW_UP
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert shown(editor_client.get(url)) == ("1 project left to review in this cycle.", [("AMU-003", "2", "1 USD")])


def test_the_projects_list_links_the_worklist(editor_client, cycles):
    html = editor_client.get(reverse("admin:tracker_project_changelist")).content.decode()
    assert reverse("admin:tracker_project_worklist") in html


def test_without_an_open_cycle_the_worklist_says_how_to_open_one(editor_client, cycles):
    page = editor_client.get(reverse("admin:tracker_project_worklist"))
    assert page.status_code == 200 and page.context["cycle"] is None


def test_researchers_cannot_use_the_worklist(researcher_client, pending):
    assert researcher_client.get(reverse("admin:tracker_project_worklist")).status_code == 403
    assert researcher_client.post(reverse("admin:tracker_project_worklist"), {"project": [pending[0].pk], "confirm": "1"}).status_code == 403
