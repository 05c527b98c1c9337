"""The editors' admin: projects with inlines, filters, search, append-only history."""

import pytest
from django.urls import reverse

from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project, make_rating, make_region, make_source
from tracker.models import Project, StatusChange
from tracker.status import history

S = Project.Status
pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:ratings_region_changelist",
    "admin:ratings_cycle_changelist",
    "admin:ratings_rating_changelist",
    "admin:tracker_organization_changelist",
    "admin:tracker_source_changelist",
    "admin:tracker_project_changelist",
    "admin:tracker_evidence_changelist",
    "admin:tracker_statuschange_changelist",
]


@pytest.fixture
def seeded(cycles, region):
    project = make_project(region, cycles[0], reference="AMU-001", title_ru="Канатная дорога", title_en="Cable car")
    add_partner(project, make_organization("Heihe Cable Car Co", country="CN"))
    add_evidence(project, cycles[1], source=make_source("Rating II"))
    make_rating(region, cycles[2], 9)
    return project


@pytest.mark.parametrize("name", CHANGELISTS)
def test_every_changelist_and_add_page_opens_for_an_editor(editor_client, seeded, name):
    assert editor_client.get(reverse(name)).status_code == 200
    if "statuschange" not in name:
        assert editor_client.get(reverse(name.replace("changelist", "add"))).status_code == 200


def test_project_page_shows_its_inlines(editor_client, seeded):
    page = editor_client.get(reverse("admin:tracker_project_change", args=[seeded.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Heihe Cable Car Co" in html
    assert "Rating II" in html


def test_project_created_in_the_admin_gets_its_initial_change(editor_client, cycles, region):
    open_cycle = make_cycle(4)  # published cycles are locked for editors
    response = editor_client.post(
        reverse("admin:tracker_project_add"),
        {
            "reference": "AMU-002",
            "title_ru": "Мост",
            "title_en": "Bridge",
            "region": region.pk,
            "location": "",
            "sector": "transport",
            "first_cycle": open_cycle.pk,
            "note": "",
            "participations-TOTAL_FORMS": "0", "participations-INITIAL_FORMS": "0",
            "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
            "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(reference="AMU-002")
    assert list(project.status_changes.values_list("status", "cycle__number")) == [("announced", 4)]


def _change_form(project, evidence_rows=0, **status_row):
    data = {
        "reference": project.reference,
        "title_ru": project.title_ru,
        "title_en": project.title_en,
        "region": project.region_id,
        "location": "",
        "sector": project.sector,
        "first_cycle": project.first_cycle_id,
        "note": "",
        "version": project.version,
        "participations-TOTAL_FORMS": "0", "participations-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
    }
    for index, evidence in enumerate(project.evidence.all()):
        data["evidence-TOTAL_FORMS"] = data["evidence-INITIAL_FORMS"] = str(index + 1)
        data[f"evidence-{index}-id"] = evidence.pk
        data[f"evidence-{index}-project"] = project.pk
        for name in ["cycle", "kind", "summary", "source", "locator", "attribution", "reference", "precision"]:
            value = getattr(evidence, name + "_id" if name in ("cycle", "source") else name)
            data[f"evidence-{index}-{name}"] = value if value is not None else ""
        data[f"evidence-{index}-occurred_on"] = evidence.occurred_on.isoformat() if evidence.occurred_on else ""
    existing = list(project.status_changes.all())
    data["status_changes-INITIAL_FORMS"] = str(len(existing))
    data["status_changes-TOTAL_FORMS"] = str(len(existing) + (1 if status_row else 0))
    for index, change in enumerate(existing):
        data[f"status_changes-{index}-id"] = change.pk
        data[f"status_changes-{index}-project"] = project.pk
    if status_row:
        index = len(existing)
        data[f"status_changes-{index}-project"] = project.pk
        for key, value in status_row.items():
            data[f"status_changes-{index}-{key}"] = value
    return data


def test_status_change_added_in_the_inline_is_appended_and_kept_in_step(editor_client, editor, seeded, cycles):
    from tests.factories import make_cycle

    open_cycle = make_cycle(4)  # published cycles are locked for editors
    evidence = add_evidence(seeded, open_cycle)
    data = _change_form(
        seeded, evidence_rows=1, cycle=open_cycle.pk, status="launched", effective_on="2026-12-01", evidence=evidence.pk, note="Opened."
    )
    response = editor_client.post(reverse("admin:tracker_project_change", args=[seeded.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    seeded.refresh_from_db()
    assert seeded.status == S.LAUNCHED
    latest = seeded.status_changes.order_by("-id").first()
    assert (latest.status, latest.recorded_by) == (S.LAUNCHED, editor)


def test_status_change_with_a_date_outside_its_cycle_is_shown_as_an_error(editor_client, seeded, cycles):
    data = _change_form(seeded, cycle=cycles[2].pk, status="launched", effective_on="2024-01-01")
    response = editor_client.post(reverse("admin:tracker_project_change", args=[seeded.pk]), data)
    assert response.status_code == 200
    assert seeded.status_changes.count() == 1
    seeded.refresh_from_db()
    assert seeded.status == S.ANNOUNCED


def test_existing_status_changes_cannot_be_edited_or_deleted(editor_client, seeded):
    change = seeded.status_changes.get()
    url = reverse("admin:tracker_statuschange_change", args=[change.pk])
    page = editor_client.get(url)
    assert page.status_code in (200, 403)
    assert 'name="status"' not in page.content.decode()
    delete = editor_client.post(reverse("admin:tracker_statuschange_delete", args=[change.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert StatusChange.objects.filter(pk=change.pk).exists()


def test_status_change_added_on_its_own_page_goes_through_record_status(editor_client, seeded, cycles):
    from tests.factories import make_cycle

    response = editor_client.post(
        reverse("admin:tracker_statuschange_add"),
        {"project": seeded.pk, "cycle": make_cycle(4).pk, "status": "stalled", "effective_on": "", "evidence": "", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seeded.refresh_from_db()
    assert seeded.status == S.STALLED


@pytest.mark.parametrize("term", ["канатная", "КАНАТНАЯ", "cable", "heihe cable"])
def test_project_search_covers_titles_and_partner_names_in_any_case(editor_client, seeded, term):
    page = editor_client.get(reverse("admin:tracker_project_changelist"), {"q": term})
    assert "AMU-001" in page.content.decode()


def test_project_filters_by_status_region_sector_cycle_and_partner_country(editor_client, seeded, cycles, region):
    url = reverse("admin:tracker_project_changelist")
    for params in [
        {"status__exact": "announced"},
        {"region__id__exact": region.pk},
        {"sector__exact": "logistics"},
        {"first_cycle__id__exact": cycles[0].pk},
        {"partner_country": "CN"},
    ]:
        assert "AMU-001" in editor_client.get(url, params).content.decode(), params
    assert "AMU-001" not in editor_client.get(url, {"partner_country": "RU"}).content.decode()


def test_ratings_list_sorts_by_score(editor_client, cycles):
    for score, name in [(3, "Low"), (9, "High"), (6, "Mid")]:
        make_rating(make_region(name, name_ru=name), cycles[2], score)
    page = editor_client.get(reverse("admin:ratings_rating_changelist"), {"o": "-3"}).content.decode()
    assert page.index("High") < page.index("Mid") < page.index("Low")


def test_autocomplete_finds_regions_organizations_and_sources(editor_client, seeded):
    url = reverse("admin:autocomplete")
    for model, field, term in [
        ("project", "region", "Амур"),
        ("participation", "organization", "heihe"),
        ("evidence", "source", "rating"),
    ]:
        response = editor_client.get(url, {"app_label": "tracker", "model_name": model, "field_name": field, "term": term})
        assert response.status_code == 200
        assert response.json()["results"], (model, field)


def test_admin_speaks_russian_by_default_and_english_on_request(editor_client, seeded):
    url = reverse("admin:tracker_project_changelist")
    assert "Проекты" in editor_client.get(url).content.decode()
    editor_client.post(reverse("set_language"), {"language": "en", "next": url})
    assert "Select project to change" in editor_client.get(url).content.decode()


def test_login_page_offers_the_language_switch(client, db):
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="language"' in page


def test_rating_form_shows_the_cycle_facts_next_to_the_score(editor_client, seeded, cycles, region):
    rating = region.ratings.get(cycle=cycles[2])
    from tracker.models import Evidence

    add_evidence(seeded, cycles[2], kind=Evidence.Kind.RESULT)
    history.append_status_change(seeded, S.LAUNCHED, cycles[2])
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = editor_client.get(reverse("admin:ratings_rating_change", args=[rating.pk])).content.decode()
    assert "result: 1" in html
    assert "launched: 1" in html
