import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

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
def status_badge(status):
    """A status as a coloured label (a tag, not an include: it is drawn once per table row)."""
    if not status:
        return "—"
    return format_html('<span class="status status-{}">{}</span>', status, gettext(status))


@register.filter
def choice(obj, field_name):
    """What `obj.get_<field_name>_display()` gives, read from a table kept per language
    (Django rebuilds the table of choices on every call, which shows on long lists)."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name, get_language()).get(value, value)


@functools.lru_cache(maxsize=None)
def _choice_labels(model, field_name, language):
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
