import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

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

    def handle(self, *args, dataset, format, output, **options):
        file_format = BY_EXTENSION[format]()
        if dataset == "all":
            if not output:
                raise CommandError("Give --output FOLDER for `all`.")
            folder = Path(output)
            folder.mkdir(parents=True, exist_ok=True)
            for name in DATASETS:
                self._write(name, file_format, folder / f"{name}.{format}")
            return
        if dataset not in DATASETS:
            raise CommandError(f"Unknown dataset “{dataset}”. Datasets: {', '.join(DATASETS)}, all.")
        self._write(dataset, file_format, Path(output) if output else None)

    def _write(self, name, file_format, path):
        content = file_format.export_data(DATASETS[name]().export())
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            path.write_bytes(data)
            self.stderr.write(f"{name}: {path}")
