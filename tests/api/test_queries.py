"""A page of any list costs a fixed number of queries, whatever the number of its rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import api
from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_region
from tracker.models import Evidence, Project
from tracker.ops.releases import release_published
from tracker.status import history

pytestmark = pytest.mark.django_db

PAGES = [
    "/api/v1/projects/", "/api/v1/projects/AMU-901/", "/api/v1/unresolved/", "/api/v1/evidence/",
    "/api/v1/status-changes/", "/api/v1/regions/", "/api/v1/organizations/", "/api/v1/releases/", "/api/v1/cycles/",
]


def more_of_everything(world, count=12):
    one, two, three = world["cycles"]
    for n in range(count):
        region = make_region(f"Region {n}", slug=f"more-{n}", iso_code=f"RU-M{n:02d}")
        make_rating(region, three, 5)
        project = make_project(region, one, reference=f"MOR-{n:03d}", amount=n + 1, currency="RUB")
        add_partner(project, make_organization(f"Partner {n}"))
        add_partner(world["bridge"], make_organization(f"Bridge partner {n}"))
        add_evidence(project, two, kind=Evidence.Kind.EFFORT)
        add_evidence(world["bridge"], three, kind=Evidence.Kind.FOLLOW_UP)
        history.append_status_change(project, Project.Status.STALLED, three)


def queries_of(client, path):
    with CaptureQueriesContext(connection) as captured:
        api(client, path)
    return len(captured)


def test_a_page_costs_the_same_queries_with_many_more_rows(client, world, django_assert_max_num_queries):
    release_published()
    few = {path: queries_of(client, path) for path in PAGES}
    more_of_everything(world)
    for path in PAGES:
        with django_assert_max_num_queries(few[path]):
            api(client, path)
    assert api(client, "/api/v1/projects/")["count"] == 5 + 12
