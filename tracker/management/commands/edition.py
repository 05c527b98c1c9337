import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from ratings.models import Cycle
from tracker.edition import WRITERS, file_name, write_document
from tracker.management.commands.importdata import locale_language

STEPS = ["ratings", "unfinished", "evidence", "earlier evidence", "silent projects"]


class Command(BaseCommand):
    help = "Write a cycle's edition (the rating's region table, drafted from the record) as DOCX, ODT or HTML."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="The cycle's numeral (III) or number.")
        parser.add_argument("--format", choices=list(WRITERS), default="docx")
        parser.add_argument("--language", choices=["ru", "en"], default="ru", help="The edition's language (default ru).")
        parser.add_argument("--with-sources", action="store_true", help="A footnote citing each line's source.")
        parser.add_argument("--output", "-o", help="The file to write (default: edition-III-ru.docx in this folder).")

    def handle(self, *args, cycle, format, language, with_sources, output, **options):
        with translation.override(locale_language()):
            try:
                chosen = Cycle.objects.by_numeral(cycle)
            except Cycle.DoesNotExist:
                raise CommandError(_("There is no cycle “%(cycle)s”.") % {"cycle": cycle}) from None
            started = time.monotonic()
            path = output or file_name(chosen, format, language)
            with open(path, "wb") as out:
                write_document(chosen, out, format, language, with_sources, progress=self.progress)
                size = out.tell()
            self.stderr.write("")
            self.stdout.write(_("Edition of cycle %(numeral)s written to %(path)s (%(size)s KB, %(seconds).1f s).") % {
                "numeral": chosen.numeral, "path": path, "size": size // 1024, "seconds": time.monotonic() - started,
            })

    def progress(self, step):
        """A bar on standard error: one mark per step of reading the record."""
        done = STEPS.index(step) + 1 if step in STEPS else len(STEPS)
        bar = "#" * (done * 20 // len(STEPS))
        self.stderr.write(f"\r[{bar:<20}] {done}/{len(STEPS)} {step:<20}", ending="")
        self.stderr.flush()
