"""Each benchmark command runs end to end at a tiny size, prints its figures as JSON
lines and leaves the database as it found it."""

import io
import json

import pytest
from django.core.management import call_command

from tracker.models import Project

pytestmark = pytest.mark.django_db


def figures(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    assert lines, out.getvalue()
    return lines


def test_the_search_benchmark_times_the_page_the_query_and_the_floor():
    lines = figures("benchmark_search", "--projects", "30", "--requests", "1")
    searches = [line for line in lines if line["figure"] == "search_ms"]
    assert len(searches) == 8
    assert all(line["statuses"] == [200] and line["query_p95"] >= 0 for line in searches)
    assert all(line["raw_sql_p95"] is not None for line in searches)
    assert {line["figure"] for line in lines} >= {"synthetic_data", "substring_search_ms", "search_all_ms"}
    assert Project.objects.count() == 0


@pytest.mark.parametrize(
    "command",
    [
        ("benchmark", "--sizes", "20", "--requests", "1", "--runs", "1", "--skip-import"),
        ("benchmark_edition", "--projects", "20"),
        ("benchmark_import", "--rows", "50"),
    ],
    ids=lambda command: command[0],
)
def test_the_other_benchmarks_run_and_roll_back(command):
    assert figures(*command)
    assert Project.objects.count() == 0


def test_a_settled_process_has_frozen_what_it_loaded_and_collects_less_often():
    import gc

    from tracker.ops import runtime

    before = gc.get_threshold()
    with runtime.settled():
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == runtime.THRESHOLDS
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before


def test_the_server_process_is_settled_before_its_first_request():
    import subprocess
    import sys

    code = "import gc, config.wsgi; print(gc.get_freeze_count(), gc.get_threshold()[0])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    frozen, threshold = map(int, result.stdout.split())
    assert frozen > 10_000 and threshold == 100_000
