"""The matcher's measured accuracy (README "Measured accuracy") on the seed data: the
labelled set of `benchmark_news`, items under their region's heading, replayed against the
record before cycle III. It fails when matching, the regions or the kind rules break.
SQLite reads every item; PostgreSQL, whose pool query takes longer, every fifth."""

import io

from django.core.management import call_command
from django.db import connection

from tracker.management.commands.benchmark_news import labelled_items, scores
from tracker.news.proposals import Matcher


def test_the_seed_data_are_matched_as_the_readme_says(db):
    call_command("loadseeds", "--no-releases", stdout=io.StringIO())
    step = 1 if connection.vendor == "sqlite" else 5
    items = [item for item in labelled_items() if item["variant"] == "heading"][::step]
    matcher = Matcher(before=3)
    figures = scores([(item, matcher.propose(item["text"])) for item in items])
    assert figures["earlier_items"] + figures["new_items"] == len(items) >= 894 // step
    assert figures["kind"] >= 0.80, figures
    assert figures["top3"] >= 0.90 and figures["top1"] >= 0.75, figures
    assert figures["region"] >= 0.95, figures
    assert figures["new_without_likely_match"] >= 0.70, figures
