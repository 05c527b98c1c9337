"""A form renderer that writes selects and text inputs in Python.

Django renders every <option> of a select through a template; a filter form with a few
hundred options spent more time there than the rest of the page. The HTML is the same as
Django's own widget templates give; any other widget still goes through its template."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

INPUTS = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "number", "date", "email", "url", "search", "hidden", "input")
}


def _attrs(attrs):
    """As django/forms/widgets/attrs.html: True gives a bare name, False drops it."""
    return "".join(
        "" if value is False else f" {name}" if value is True else f' {name}="{conditional_escape(value)}"'
        for name, value in attrs.items()
    )


def _option(option):
    return format_html(
        '<option value="{}"{}>{}</option>', str(option["value"]), mark_safe(_attrs(option["attrs"])), option["label"]
    )


def _select(widget):
    parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('<optgroup label="{}">', group_name))
        parts.extend(_option(option) for option in options)
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))


def _input(widget):
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, mark_safe(_attrs(widget["attrs"]))
    )


class QuickRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == "django/forms/widgets/select.html" and not context["widget"].get("allow_multiple_selected"):
            return _select(context["widget"])
        if template_name in INPUTS:
            return _input(context["widget"])
        return super().render(template_name, context, request)
