import datetime
import functools

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from ratings.languages import ReaderText
from tracker.models.common import is_web_url
from tracker.models.words import highlight as mark_words

register = template.Library()


@register.simple_tag
def query_with(request, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def sort_header(request, current, key, label, first="-"):
    """A sortable column's header cell: a link sorting by `key` (descending first when
    `first` is "-"), flipping the direction when the list is already sorted by it; the
    active column carries `aria-sort` and a visible arrow. Works without JavaScript."""
    current = current or ""
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    if active:
        target = key if descending else f"-{key}"
    else:
        target = f"-{key}" if first == "-" else key
    query = query_with(request, sort=target)
    if not active:
        return format_html('<th scope="col"><a href="?{}">{}</a></th>', query, label)
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="?{}">{} <span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        "descending" if descending else "ascending", query, label, "▼" if descending else "▲",
    )


@register.filter
def signed(number):
    """+2, −3 (a real minus sign), 0."""
    if number is None:
        return "—"
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"\u2212{-number}"
    return "0"


@register.simple_tag
def status_badge(status):
    """A status as a coloured label (a tag, not an include: it is drawn once per table row)."""
    if not status:
        return "—"
    return format_html('<span class="status status-{}">{}</span>', status, gettext(status))


@register.simple_tag
def status_marks(status, basis=None, news_since=None, disputed=False):
    """A status with how it is known and the disputed mark (docs/domain.md "Basis",
    "Disputed"), e.g. «застопорился · выведено: нет новостей с 2024 г.»."""
    parts = [status_badge(status)]
    if status and basis:
        parts.append(format_html('<span class="basis basis-{}">{}</span>', basis, basis_text(basis, news_since)))
    if disputed:
        parts.append(format_html('<span class="disputed" title="{}">{}</span>', gettext("The record holds a denial or a contrary report."), gettext("disputed")))
    return format_html_join(" · ", "{}", ((part,) for part in parts))


def basis_text(basis, news_since=None):
    if basis == "inferred":
        if isinstance(news_since, datetime.date):
            return gettext("inferred: no news since %(year)s") % {"year": news_since.year}
        if news_since:
            return gettext("inferred: no news after cycle %(cycle)s") % {"cycle": news_since}
        return gettext("inferred: no news")
    if basis == "judgement":
        return gettext("editors' judgement")
    return gettext("stated by the source")


@register.filter
def safe_url(url):
    """`url` when it is a web address (http, https) a page may link, else "": a stored
    `javascript:` or `data:` address is never put in an href."""
    return url if url and is_web_url(url) else ""


@register.filter
def in_language(text, words=None):
    """A ReaderText (ratings/languages.py) with its language, marked when it is the other
    one; `words`: cut to that many words first."""
    if not text:
        return ""
    if words:
        text = _cut(text, int(words))
    if getattr(text, "fallback", False):
        label = gettext("in English") if text.language == "en" else gettext("in Russian")
        return format_html('<span lang="{}">{}</span> <small class="fallback">({})</small>', text.language, text, label)
    return format_html('<span lang="{}">{}</span>', getattr(text, "language", "ru"), text)


@register.filter
def highlight(text, query):
    """`text` (a ReaderText or a string) with the words of the search `query` in <mark>."""
    if not query:
        return in_language(text)
    marked = mark_words(text, query)
    if getattr(text, "language", None) is None:
        return marked
    if getattr(text, "fallback", False):
        label = gettext("in English") if text.language == "en" else gettext("in Russian")
        return format_html('<span lang="{}">{}</span> <small class="fallback">({})</small>', text.language, marked, label)
    return format_html('<span lang="{}">{}</span>', text.language, marked)


def _cut(text, words):
    from django.utils.text import Truncator

    cut = ReaderText(Truncator(text).words(words))
    cut.language, cut.fallback = text.language, text.fallback
    return cut


@register.filter
def choice(obj, field_name):
    """What `obj.get_<field_name>_display()` gives, read from a table kept per language
    (Django rebuilds the table of choices on every call, which shows on long lists)."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name, get_language()).get(value, value)


@functools.lru_cache(maxsize=None)
def _choice_labels(model, field_name, language):
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
