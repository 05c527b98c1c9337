"""The editors' follow-up of the open cycle: the worklist as an admin list, the review
queue, "no news" for selected rows, the progress of the cycle."""

import re

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from tests.factories import make_cycle, make_project
from tracker.admin.worklist import editorial_source
from tracker.models import Evidence, Organization, Participation, Project
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


LIST = "admin:tracker_followup_changelist"


def shown(page):
    """What an editor reads on the worklist: the summary line, and per row the reference,
    age in cycles, amount and suggested status."""
    html = page.content.decode()
    summary = re.search(r'<p class="followup-summary">(.*?)</p>', html, re.DOTALL)
    rows = []
    for row in re.findall(r"<tr>(<td class=\"action-checkbox\">.*?)</tr>", html, re.DOTALL):
        cells = dict(re.findall(r'<td class="field-(\w+)[^"]*">(.*?)</td>', row, re.DOTALL))
        text = {k: " ".join(re.sub(r"<[^>]+>", " ", v).split()) for k, v in cells.items()}
        rows.append((text["reference_link"], text["age_display"], text["amount_display"], text["suggested"]))
    return summary and " ".join(re.sub(r"<[^>]+>", " ", summary.group(1)).split()), rows


def review(client, project, data, filters=""):
    url = reverse("admin:tracker_followup_review", args=[project.pk])
    if filters:
        url += "?" + urlencode({"_changelist_filters": filters})
    return client.post(url, {"source": editorial_source().pk, "summary": "Checked.", "kind": "follow_up", **data})


def test_the_worklist_lists_earlier_unfinished_projects_by_age_and_amount_in_words(editor_client, pending):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = editor_client.get(reverse(LIST))
    assert page.status_code == 200
    summary, rows = shown(page)
    assert summary.startswith("3 projects left to review · 0 reviewed of 3 to review")
    # the launched AMU-004 is done: it is not listed
    assert rows == [("AMU-001", "3", "5 USD", "stalled"), ("AMU-002", "2", "500 USD", "stalled"), ("AMU-003", "2", "1 USD", "stalled")]
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    summary, rows = shown(editor_client.get(reverse(LIST)))
    assert summary.startswith("Осталось проверить 3 проекта · проверено 0 из 3")
    assert rows[0][3] == "застопорился"
    # the first addresses of the worklist lead here
    assert editor_client.get(reverse("admin:tracker_project_worklist")).url == reverse(LIST)


def test_the_worklist_filters_searches_sorts_and_pages(editor_client, pending, region, cycles):
    from ratings.models import Region

    other = Region.objects.create(name_ru="Приморский край", name_en="Primorsky Krai", slug="primorsky", iso_code="RU-PRI", federal_district="far_eastern")
    for n in range(60):
        make_project(other, cycles[1], reference=f"PRI-{n:03d}", amount=n * 10**9 if n else None, currency="RUB" if n else "")
    partner = Organization.objects.create(name="Хэйхэ Мост", name_en="Heihe Bridge", country="CN")
    Participation.objects.create(project=pending[1], organization=partner, role="partner")
    get = lambda **params: shown(editor_client.get(reverse(LIST), params))[1]
    page = editor_client.get(reverse(LIST))
    assert page.context["cl"].result_count == 63 and len(page.context["cl"].result_list) == 50
    assert "63 rows in all" in page.content.decode() or "Всего 63 строки" in page.content.decode()
    assert page.content.decode().count('name="action"') == 2  # actions above and below the list
    assert [r[0] for r in get(region__id__exact=region.pk)] == ["AMU-001", "AMU-002", "AMU-003"]
    assert len(get(region__federal_district__exact="far_eastern", p=2)) == 13
    assert [r[0] for r in get(q="Heihe")] == ["AMU-002"]
    assert [r[0] for r in get(q="PRI-007")] == ["PRI-007"]
    assert [r[0] for r in get(age="3")] == ["AMU-001"]
    assert {r[0] for r in get(amount="large")} == {f"PRI-{n:03d}" for n in range(10, 60)}
    assert [r[0] for r in get(amount="medium", o="-6")][:2] == ["PRI-009", "PRI-008"]
    assert get(suggested="launched") == []
    assert get(region__id__exact=region.pk, o="4.1")  # every column sorts
    for column in range(2, 10):
        assert editor_client.get(reverse(LIST), {"o": str(column)}).status_code == 200


def test_the_queue_walks_the_filtered_list_in_order_and_says_how_many_are_left(editor_client, editor, pending, open_cycle):
    old, big, small = pending
    filters = "o=-6"  # by amount, largest first: AMU-002, AMU-001, AMU-003
    page = editor_client.get(reverse("admin:tracker_followup_review", args=[big.pk]), {"_changelist_filters": filters})
    assert page.status_code == 200 and page.context["left"] == 3
    assert f"/admin/tracker/followup/{old.pk}/review/" in page.context["skip_url"]
    html = page.content.decode()
    assert 'type="radio" name="status"' in html and 'type="radio" name="kind"' in html
    response = review(editor_client, big, {"kind": "result", "status": "launched"}, filters)
    assert response.status_code == 302
    assert response.url == reverse("admin:tracker_followup_review", args=[old.pk]) + "?" + urlencode({"_changelist_filters": filters})
    big.refresh_from_db()
    assert big.status == S.LAUNCHED and big.evidence.get(cycle=open_cycle).recorded_by == editor
    assert editor_client.get(response.url).context["left"] == 2
    review(editor_client, old, {"status": "stalled"}, filters)
    last = review(editor_client, small, {"status": "stalled"}, filters)
    assert last.url == reverse(LIST) + "?" + filters  # the end of the queue: back to the list
    assert [str(m) for m in last.wsgi_request._messages][-1] == "AMU-003 проверен; осталось 0 проектов."


def test_a_failing_review_saves_neither_evidence_nor_status(editor_client, pending, open_cycle):
    old = pending[0]
    response = review(editor_client, old, {"kind": "result", "status": "launched", "effective_on": "2020-01-01"})  # outside IV
    assert response.status_code == 200
    assert not old.evidence.filter(cycle=open_cycle).exists()
    old.refresh_from_db()
    assert old.status == S.ANNOUNCED


def test_review_accepts_a_date_as_editors_write_it(editor_client, pending, open_cycle):
    old = pending[0]
    response = review(editor_client, old, {"status": "stalled", "occurred_on": "01.09.2026", "precision": "day"})
    assert response.status_code == 302
    assert str(old.evidence.get(cycle=open_cycle).occurred_on) == "2026-09-01"


def test_no_news_for_the_selected_rows_asks_first_then_records_follow_up_and_suggested_status(editor_client, pending, open_cycle):
    old, big, small = pending
    url = reverse(LIST)
    chosen = {"action": "no_news", "index": "0", "_selected_action": [old.pk, big.pk]}
    confirm = editor_client.post(url, chosen)
    assert confirm.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", confirm.content.decode()).split())
    assert "AMU-001 Проект" in text and "→ застопорился" in text and "stalled" not in text
    assert not Evidence.objects.filter(cycle=open_cycle).exists()
    done = editor_client.post(url, {**chosen, "confirm": "1"})
    assert done.status_code == 302
    assert [str(m) for m in done.wsgi_request._messages][-1:] == ["2 проекта отмечены: «нет новостей в этом цикле»."]
    for project in (old, big):
        project.refresh_from_db()
        assert project.status == S.STALLED
        assert project.evidence.get(cycle=open_cycle).kind == Evidence.Kind.FOLLOW_UP
    assert [r[0] for r in shown(editor_client.get(url))[1]] == ["AMU-003"]
    assert [r[0] for r in shown(editor_client.get(url, {"review": "done"}))[1]] == ["AMU-001", "AMU-002"]


def test_select_all_across_pages_marks_every_filtered_row(editor_client, pending, open_cycle, cycles):
    from ratings.models import Region

    other = Region.objects.create(name_ru="Приморский край", name_en="Primorsky Krai", slug="primorsky", iso_code="RU-PRI")
    for n in range(55):
        make_project(other, cycles[1], reference=f"PRI-{n:03d}")
    url = reverse(LIST) + f"?region__id__exact={other.pk}"
    first_page = editor_client.get(url).context["cl"].result_list
    chosen = {"action": "no_news", "index": "0", "select_across": "1", "_selected_action": [p.pk for p in first_page]}
    assert len(editor_client.post(url, chosen).context["projects"]) == 55
    editor_client.post(url, {**chosen, "confirm": "1"})
    assert Evidence.objects.filter(cycle=open_cycle, project__region=other).count() == 55
    assert [r[0] for r in shown(editor_client.get(reverse(LIST)))[1]] == ["AMU-001", "AMU-002", "AMU-003"]


def test_progress_counts_reviewed_and_left_by_region_and_district_and_links_the_lists(editor_client, pending, open_cycle, region):
    review(editor_client, pending[0], {"status": "stalled"})
    make_project(region, open_cycle, reference="AMU-100")
    page = editor_client.get(reverse("admin:tracker_followup_progress"))
    assert page.status_code == 200
    progress = page.context["progress"]
    total = progress["total"]
    assert (total.to_review, total.reviewed, total.left, total.new) == (3, 1, 2, 1)
    (amur,) = [line for line in progress["regions"] if line.label == region.name]
    assert (amur.to_review, amur.reviewed, amur.left, amur.new, amur.rated) == (3, 1, 2, 1, False)
    far_east = [line for line in progress["districts"] if line.label == "Дальневосточный"][0]
    assert (far_east.to_review, far_east.left) == (3, 2)
    assert [r[0] for r in shown(editor_client.get(amur.left_url))[1]] == ["AMU-002", "AMU-003"]
    assert [r[0] for r in shown(editor_client.get(amur.reviewed_url))[1]] == ["AMU-001"]
    assert editor_client.get(amur.new_url).context["cl"].result_count == 1
    assert "ratings/rating/add/" in amur.rating_url
    # the admin's home page and the region's page lead to the follow-up
    home = editor_client.get(reverse("admin:index")).content.decode()
    assert 'id="followup-box"' in home and reverse(LIST) in home and "Осталось проверить 2 проекта" in home
    region_page = editor_client.get(reverse("admin:ratings_region_change", args=[region.pk])).content.decode()
    assert f"{reverse(LIST)}?region__id__exact={region.pk}" in region_page


def test_the_projects_list_links_the_worklist(editor_client, cycles):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    html = editor_client.get(reverse("admin:tracker_project_changelist")).content.decode()
    assert f'<a href="{reverse(LIST)}">Проверка открытого цикла</a>' in html


def test_without_an_open_cycle_the_worklist_says_how_to_open_one(editor_client, cycles):
    page = editor_client.get(reverse(LIST))
    assert page.status_code == 200 and page.context["cycle"] is None
    assert editor_client.get(reverse("admin:tracker_followup_progress")).status_code == 200


def test_researchers_cannot_use_the_worklist(researcher_client, pending):
    assert researcher_client.get(reverse(LIST)).status_code == 403
    chosen = {"action": "no_news", "index": "0", "_selected_action": [pending[0].pk], "confirm": "1"}
    assert researcher_client.post(reverse(LIST), chosen).status_code == 403
    assert researcher_client.get(reverse("admin:tracker_followup_progress")).status_code == 403
    assert researcher_client.post(reverse("admin:tracker_followup_review", args=[pending[0].pk]), {"status": "launched"}).status_code == 403
    assert not Evidence.objects.exists()
