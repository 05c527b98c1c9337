import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.context import acting
from tracker.ops.errors import busy_message, is_busy
from tracker.spreadsheets.resources import DATASETS
from tracker.spreadsheets.importer import SpreadsheetError, import_datasets, read_dataset

SHOWN = 200  # problems printed; the count says how many more


def locale_language(environ=os.environ):
    """The language of the shell's locale (LC_ALL, LC_MESSAGES or LANG, the first set):
    Russian for a Russian locale, English for any other language, and the site's own
    language (settings.LANGUAGE_CODE, Russian) for a locale of no language (C, POSIX)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            if value.split(".")[0].upper() in ("C", "POSIX"):
                break
            return "ru" if value.lower().startswith("ru") else "en"
    return settings.LANGUAGE_CODE.split("-")[0]


class Progress:
    """A one-line progress bar on stderr, redrawn at most every 1% of the rows."""

    def __init__(self, stream, label, total):
        self.stream, self.label, self.total = stream, label, max(total, 1)
        self.step = max(self.total // 100, 1)
        self.enabled = stream.isatty() or total >= 1000

    def __call__(self, done):
        if self.enabled and (done % self.step == 0 or done == self.total):
            filled = int(30 * done / self.total)
            bar = f"\r{self.label:15} [{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}"
            self.stream.write(bar, ending="\n" if done == self.total else "")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import spreadsheets (CSV, XLSX, ODS, JSON), all or nothing. "
        "Give DATASET FILE pairs, e.g. `importdata projects p.xlsx evidence e.csv`."
    )

    def add_arguments(self, parser):
        parser.add_argument("pairs", nargs="+", metavar="DATASET FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument(
            "--language", choices=["ru", "en"], default=None,
            help="The language of the messages (default: from the locale, LANG/LC_ALL).",
        )

    def handle(self, *args, pairs, dry_run, language=None, **options):
        with translation.override(language or locale_language()):
            self.run(pairs, dry_run)

    def run(self, pairs, dry_run):
        if len(pairs) % 2:
            raise CommandError(_("Give pairs of DATASET FILE."))
        named = []
        for name, filename in zip(pairs[::2], pairs[1::2]):
            if name not in DATASETS:
                raise CommandError(
                    _("Unknown dataset “%(name)s”. Datasets: %(datasets)s.") % {"name": name, "datasets": ", ".join(DATASETS)}
                )
            path = Path(filename)
            if not path.is_file():
                raise CommandError(_("No such file: %(filename)s") % {"filename": filename})
            try:
                named.append((name, read_dataset(path.read_bytes(), path.name, dataset=name)))
            except SpreadsheetError as error:
                raise CommandError(str(error)) from None
        progress = {name: Progress(self.stderr, name, len(dataset)) for name, dataset in named}
        try:
            with acting(None, "import"):
                report = import_datasets(named, dry_run=dry_run, progress=progress)
        except OperationalError as error:
            if not is_busy(error):
                raise
            raise CommandError(busy_message()) from None
        for note in report.notes:
            self.stderr.write(note)
        for problem in report.problems[:SHOWN]:
            self.stderr.write(str(problem))
        if not report.ok:
            count, more = len(report.problems), len(report.problems) - SHOWN
            text = ngettext(
                "%(count)s problem; nothing was written.", "%(count)s problems; nothing was written.", count
            ) % {"count": count}
            if more > 0:
                text = _("%(count)s problems (%(more)s more not shown); nothing was written.") % {
                    "count": count, "more": more,
                }
            raise CommandError(text)
        for name, counts in report.counts.items():
            self.stdout.write(
                f"{name:15} "
                + _("new %(new)6s  updated %(updated)6s  unchanged %(unchanged)6s")
                % {"new": counts.get("new", 0), "updated": counts.get("update", 0), "unchanged": counts.get("skip", 0)}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
