"""Forms as an editor expects (README "What you can do"): amounts as spreadsheets write
them, a cycle's number as a Roman numeral, countries by name, each inline's own "Add
another" phrase, dates shown as precisely as known, in Russian."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ratings.models import Cycle
from tests.admin.test_lock_side_doors import form_data
from tests.factories import add_partner, make_cycle, make_organization, make_project
from tracker.models import Organization, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_client(editor_client):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    return editor_client


@pytest.fixture
def project(cycles, region):
    make_cycle(4)
    return make_project(region, cycles[2], reference="AMU-001", amount=Decimal("2500000000"), currency="RUB")


def save_project(client, project, **changes):
    url = reverse("admin:tracker_project_change", args=[project.pk])
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("2 500 000 000", Decimal("2500000000")),
        ("2\u00a0500\u00a0000\u00a0000", Decimal("2500000000")),
        ("2,5 млрд", Decimal("2500000000")),
        ("1,25 млрд", Decimal("1250000000")),
        ("300 млн", Decimal("300000000")),
        ("750 тыс.", Decimal("750000")),
        ("1.2 bn", Decimal("1200000000")),
        ("1 500 000,50", Decimal("1500000.50")),
    ],
)
def test_amounts_are_typed_as_spreadsheets_write_them(russian_client, project, typed, stored):
    response = save_project(russian_client, project, amount=typed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.amount == stored


def test_an_amount_is_shown_with_its_thousands_apart_and_a_bad_one_is_refused_in_russian(russian_client, project):
    page = russian_client.get(reverse("admin:tracker_project_change", args=[project.pk]))
    assert 'type="text" name="amount" value="2 500 000 000"' in page.content.decode()
    response = save_project(russian_client, project, amount="много")
    assert response.status_code == 200
    assert "«много» — не число" in response.content.decode()
    project.refresh_from_db()
    assert project.amount == Decimal("2500000000")


def test_a_cycle_number_is_entered_and_shown_as_a_roman_numeral(russian_client, superuser_client, cycles):
    superuser_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ru"
    add = superuser_client.post(
        reverse("admin:ratings_cycle_add"),
        {"number": "iv", "title": "Рейтинг IV", "period_start": "01.06.2026", "period_end": "31.05.2027"},
    )
    assert add.status_code == 302
    cycle = Cycle.objects.get(title="Рейтинг IV")
    assert cycle.number == 4 and cycle.period_start == datetime.date(2026, 6, 1)
    page = superuser_client.get(reverse("admin:ratings_cycle_change", args=[cycle.pk]))
    assert re.search(r'type="text" name="number" value="IV"', page.content.decode())
    refused = superuser_client.post(reverse("admin:ratings_cycle_add"), {"number": "IIII", "title": "x"})
    assert "не номер цикла" in refused.content.decode()
    history = superuser_client.get(reverse("admin:ratings_cycle_history", args=[cycle.pk])).content.decode()
    assert "IV" in history and ">4<" not in history


def test_countries_show_by_name_in_lists_filters_forms_and_pages(russian_client, client, project):
    partner = make_organization("Heihe Trading", country="CN")
    make_organization("Almaty Steel", country="KZ")
    add_partner(project, partner)
    listing = russian_client.get(reverse("admin:tracker_organization_changelist")).content.decode()
    assert "Китай" in listing and "Казахстан" in listing
    assert "Германия" not in listing  # the filter offers only the countries some partner has
    assert re.search(r"<td class=\"field-country\">CN</td>", listing) is None
    form = russian_client.get(reverse("admin:tracker_organization_change", args=[partner.pk])).content.decode()
    assert '<option value="CN" selected>Китай</option>' in form
    filtered = russian_client.get(reverse("admin:tracker_project_changelist") + "?partner_country=CN").content.decode()
    assert "AMU-001" in filtered and ">Китай<" in filtered
    public = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "(Китай)" in public
    english = client.get(partner.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "China" in english


def test_a_country_is_read_from_a_spreadsheet_by_code_or_name(editor):
    from tracker.spreadsheets.importer import import_datasets, read_dataset

    text = "name,country,kind\nA,cn,company\nB,Китай,company\nC,Kazakhstan,company\nD,Нарния,company\n"
    report = import_datasets([("organizations", read_dataset(text.encode(), "organizations.csv"))])
    (problem,) = report.problems
    assert problem.row == 5 and "Нарния" in problem.message
    assert not Organization.objects.exists()  # nothing half-written
    report = import_datasets([("organizations", read_dataset(text.rsplit("D,", 1)[0].encode(), "organizations.csv"))])
    assert not report.problems
    assert dict(Organization.objects.values_list("name", "country")) == {"A": "CN", "B": "CN", "C": "KZ"}


def test_each_inline_says_add_another_in_its_own_words(russian_client, project):
    page = russian_client.get(reverse("admin:tracker_project_change", args=[project.pk])).content.decode()
    for phrase in ["Добавить ещё одного участника", "Добавить ещё одно свидетельство", "Добавить ещё одно изменение статуса"]:
        assert phrase in page
    assert "Добавить еще один" not in page


def test_dates_show_as_precisely_as_known_in_the_interfaces_language(russian_client, project, cycles):
    from tests.factories import add_evidence

    evidence = add_evidence(project, cycles[2], occurred_on=datetime.date(2016, 11, 1))
    evidence.precision = "quarter"
    evidence.save()
    listing = russian_client.get(reverse("admin:tracker_evidence_changelist")).content.decode()
    assert "IV кв. 2016" in listing and "Q4 2016" not in listing
    Project.objects.filter(pk=project.pk).update(announced_on=datetime.date(2026, 5, 1), announced_precision="month")
    project.refresh_from_db()
    page = russian_client.get(project.get_absolute_url()).content.decode()
    assert "IV кв. 2016" in page


def test_the_login_page_header_wraps_instead_of_being_clipped(client):
    page = client.get(reverse("admin:login"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "tracker/admin/admin.css" in page
    from django.contrib.staticfiles import finders

    css = open(finders.find("tracker/admin/admin.css"), encoding="utf-8").read()
    assert ".login #header" in css and "flex-wrap: wrap" in css
