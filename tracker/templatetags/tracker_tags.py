from django import template

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


@register.filter
def percent(part, whole):
    return f"{round(100 * part / whole)}%" if whole else "—"


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
