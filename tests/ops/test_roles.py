"""Editors change and import; researchers read and export, and get 403 on everything else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import add_evidence, add_partner, make_cycle, make_organization, make_project, make_rating, make_source

pytestmark = pytest.mark.django_db

MODELS = [
    ("ratings", "region"), ("ratings", "cycle"), ("ratings", "rating"), ("tracker", "organization"),
    ("tracker", "source"), ("tracker", "project"), ("tracker", "participation"), ("tracker", "evidence"),
    ("tracker", "statuschange"),
]


@pytest.fixture
def objects(cycles, region):
    open_cycle = make_cycle(4)
    project = make_project(region, cycles[0], reference="AMU-001")
    participation = add_partner(project, make_organization("Partner"))
    evidence = add_evidence(project, open_cycle, source=make_source("Source"))
    rating = make_rating(region, open_cycle, 5)
    return {
        "region": region, "cycle": open_cycle, "rating": rating, "organization": participation.organization,
        "source": evidence.source, "project": project, "participation": participation, "evidence": evidence,
        "statuschange": project.status_changes.get(),
    }


def test_the_roles_exist_as_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Researchers"}


@pytest.mark.parametrize("app, model", MODELS)
def test_researchers_get_403_on_every_add_change_delete_and_import_url(researcher_client, objects, app, model):
    obj = objects[model]
    urls = {
        "add": reverse(f"admin:{app}_{model}_add"),
        "change": reverse(f"admin:{app}_{model}_change", args=[obj.pk]),
        "delete": reverse(f"admin:{app}_{model}_delete", args=[obj.pk]),
        "import": reverse(f"admin:{app}_{model}_import"),
        "process_import": reverse(f"admin:{app}_{model}_process_import"),
    }
    for name, url in urls.items():
        assert researcher_client.post(url, {"post": "yes"}).status_code == 403, (name, url)
        if name != "change":  # the change page opens read-only for viewing
            assert researcher_client.get(url).status_code in (403, 405), (name, url)
    assert researcher_client.post(
        reverse(f"admin:{app}_{model}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    ).status_code in (200, 302, 403)
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("app, model", MODELS)
def test_researchers_can_view_and_export(researcher_client, objects, app, model):
    assert researcher_client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    assert researcher_client.get(reverse(f"admin:{app}_{model}_export")).status_code == 200


@pytest.mark.parametrize("app, model", [m for m in MODELS if m[1] != "statuschange"])
def test_editors_can_open_every_add_and_import_page(editor_client, objects, app, model):
    assert editor_client.get(reverse(f"admin:{app}_{model}_add")).status_code == 200
    assert editor_client.get(reverse(f"admin:{app}_{model}_import")).status_code == 200
