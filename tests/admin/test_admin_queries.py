"""Admin lists cost a number of queries that does not grow with their rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import add_evidence, add_partner, make_organization, make_project, make_rating, make_region, make_source
from tracker.status import history

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:ratings_region_changelist", "admin:ratings_cycle_changelist", "admin:ratings_rating_changelist",
    "admin:tracker_organization_changelist", "admin:tracker_source_changelist", "admin:tracker_project_changelist",
    "admin:tracker_participation_changelist", "admin:tracker_evidence_changelist",
    "admin:tracker_statuschange_changelist", "admin:audit_auditentry_changelist",
]


def grow(cycles, n, start):
    source = make_source(f"Source {start}")
    for i in range(start, start + n):
        region = make_region(f"Region {i}", iso_code=f"RU-Q{i:02d}", name_ru=f"Регион {i}", slug=f"q-{i}")
        make_rating(region, cycles[2], 1 + i % 10)
        project = make_project(region, cycles[0], reference=f"QRY-{i:03d}")
        add_partner(project, make_organization(f"Org {i}"))
        add_evidence(project, cycles[1], source=source)
        history.append_status_change(project, "stalled", cycles[1])


def counts(client):
    result = {}
    for name in CHANGELISTS:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        result[name] = len(ctx.captured_queries)
    return result


def test_admin_changelists_make_the_same_number_of_queries_at_two_sizes(superuser_client, cycles):
    grow(cycles, 3, 0)
    small = counts(superuser_client)
    grow(cycles, 25, 10)
    large = counts(superuser_client)
    assert large == small
