"""Match a file of news items against the record: for each item its regions, evidence
kind and top candidate projects with their scores (README "News inbox")."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ratings.models import Cycle
from tracker.news import imports
from tracker.news.proposals import Matcher


class Command(BaseCommand):
    help = "Match news items (CSV/XLSX/ODS with a text column) against the projects; prints a table or JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The spreadsheet of news items: a `text` column; optional date, source, url, id.")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--before-cycle", metavar="NUMERAL",
            help="Match against the record as it stood before this cycle (III): earlier projects and evidence only.",
        )

    def handle(self, *args, file, format, before_cycle=None, **options):
        before = None
        if before_cycle:
            try:
                before = Cycle.objects.by_numeral(before_cycle).number
            except Cycle.DoesNotExist:
                raise CommandError(f"No cycle {before_cycle!r}: give a cycle's numeral, such as III.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        rows, problems = imports.read_rows(path.read_bytes(), path.name)
        if not rows and problems:
            raise CommandError(problems[0])
        for problem in problems:
            self.stderr.write(problem)
        bad = {row.number for row in rows if not row.text}
        matcher = Matcher(before=before)
        for row in rows:
            if row.number in bad:
                continue
            proposal = matcher.propose(row.text)
            result = {
                "id": row.id,
                "regions": proposal.region_codes,
                "kind": proposal.kind or "",
                "candidates": [{"reference": c.project.reference, "score": c.score} for c in proposal.candidates],
            }
            self.stdout.write(json.dumps(result, ensure_ascii=False) if format == "json" else _line(result))


def _line(result):
    candidates = " ".join(f"{c['reference']}:{c['score']:.2f}" for c in result["candidates"]) or "—"
    return f"{result['id']}\t{','.join(result['regions']) or '—'}\t{result['kind'] or '—'}\t{candidates}"
