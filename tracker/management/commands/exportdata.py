import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from tracker.management.commands.importdata import locale_language
from tracker.spreadsheets.formats import BY_EXTENSION, FORMATS
from tracker.spreadsheets.resources import DATASETS


class Command(BaseCommand):
    help = "Export a dataset (or all of them into a folder) as CSV, XLSX, ODS or JSON."

    def add_arguments(self, parser):
        parser.add_argument("dataset", help=f"One of: {', '.join(DATASETS)}, or `all`.")
        parser.add_argument(
            "--format", default="csv", choices=[f.extension for f in FORMATS], help="Default csv."
        )
        parser.add_argument(
            "--output", "-o", help="A file (or a folder for `all`); default: standard output."
        )
        parser.add_argument(
            "--headers", choices=["codes", "labels"], default="codes",
            help="Head columns by their codes (default), or by their labels with choices and yes/no in words.",
        )
        parser.add_argument(
            "--language", choices=["ru", "en"], default=None,
            help="The language of labels and messages (default: from the locale, LANG/LC_ALL).",
        )

    def handle(self, *args, dataset, format, output, headers="codes", language=None, **options):
        with translation.override(language or locale_language()):
            self.run(dataset, format, output, headers == "labels")

    def run(self, dataset, format, output, labels):
        file_format = BY_EXTENSION[format]()
        if dataset == "all":
            if not output:
                raise CommandError(_("Give --output FOLDER for `all`."))
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            for name in DATASETS:
                self._write(name, file_format, folder / f"{name}.{format}", labels)
            return
        if dataset not in DATASETS:
            raise CommandError(
                _("Unknown dataset “%(name)s”. Datasets: %(datasets)s, all.") % {"name": dataset, "datasets": ", ".join(DATASETS)}
            )
        self._write(dataset, file_format, Path(output) if output else None, labels)

    def _write(self, name, file_format, path, labels):
        resource = DATASETS[name].labelled() if labels else DATASETS[name]
        content = file_format.export_data(resource().export())
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            path.write_bytes(data)
            self.stderr.write(f"{name}: {path}")
