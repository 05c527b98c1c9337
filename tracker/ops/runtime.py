"""What a server process does once, at start-up, before its first request (config/wsgi.py).

Python's garbage collector pauses a request whenever enough objects have been made since
its last pass, and every so often it walks every object the process holds — Django, the
templates, the word analysers: hundreds of thousands of them, 50–70 ms at a time, which is
what the slowest requests of a page were made of. So the process first loads what a
request would otherwise load on first use, then freezes everything loaded so far (the
collector never walks it again: it lives as long as the process anyway) and lets the
collector run less often. The benchmarks settle their process the same way, so that they
time the pages as a server serves them."""

import contextlib
import gc
from pathlib import Path

from django.conf import settings

#: Objects made before a young pass (Python's default: 700), and passes between older ones.
THRESHOLDS = (100_000, 50, 100)


def settle():
    """Load, freeze, and make the collector patient (once per process; safe to repeat)."""
    warm_up()
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


@contextlib.contextmanager
def settled():
    """A settled process inside (for a benchmark); Python's collector as it was after."""
    thresholds = gc.get_threshold()
    settle()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def warm_up():
    """Load what the first request of each kind would: the URLs, the translations of every
    language, the word analysers and the compiled templates."""
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    from tracker.models import words

    get_resolver().url_patterns
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
    words.query_keys("мосты bridges")
    for folder in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                get_template(str(path.relative_to(folder)))
            except (TemplateDoesNotExist, TemplateSyntaxError):  # an admin override of a missing base
                continue
