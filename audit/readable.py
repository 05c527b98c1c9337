"""Audit entries in words: a record type by its verbose name, the door by its label, and
each change as field name, old value and new value the way the interface shows them.

Entries store attnames and plain JSON values (audit/models.py `plain`). Everything is
resolved generically from the model class (`apps.get_model(entry.model)`), so the audit
app needs to know none of the apps it records: a field by its attname, a choice by its
label, a related record by its name (one query per related model for all the entries
shown; a record since deleted by its id), booleans as yes/no, dates and datetimes in the
language's formats (datetimes in the site's time zone), decimals grouped.
"""

import datetime
import decimal
from collections import defaultdict

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

#: The doors a change comes through (`audit.context.acting` and the middleware).
SOURCES = {
    "admin": pgettext_lazy("audit source", "admin"),
    "web": pgettext_lazy("audit source", "web"),
    "import": pgettext_lazy("audit source", "import"),
    "action": pgettext_lazy("audit source", "worklist action"),
    "command": pgettext_lazy("audit source", "command"),
    "seed": pgettext_lazy("audit source", "seed data"),
    "system": pgettext_lazy("audit source", "system"),
}

#: What a bulk import's batch entry records besides field values.
BATCH_KEYS = {
    "rows": gettext_lazy("rows imported"),
    "first_id": gettext_lazy("first id"),
    "last_id": gettext_lazy("last id"),
}

BLANK = "—"


def source_label(source):
    return str(SOURCES.get(source, source))


def model_of(label):
    """The model class of an entry's `model` label, or None (a model since removed)."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_title(label):
    model = model_of(label)
    return capfirst(model._meta.verbose_name) if model is not None else label


def fields_by_attname(model):
    return {f.attname: f for f in model._meta.concrete_fields} if model is not None else {}


def is_reference(field):
    return field is not None and field.is_relation and (field.many_to_one or field.one_to_one)


class Reader:
    """Renders the changes of a set of entries; the names of the records they refer to
    are fetched up front, one query per related model."""

    def __init__(self, changes):
        """`changes`: the (model label, changes) pairs to be shown."""
        self._fields = {}
        wanted = defaultdict(set)
        for label, pairs in changes:
            fields = self.fields(label)
            for name, pair in pairs.items():
                field = fields.get(name)
                if is_reference(field):
                    wanted[field.related_model].update(v for v in pair if v not in (None, ""))
        self.names = {model: names_of(model, ids) for model, ids in wanted.items()}

    def fields(self, label):
        if label not in self._fields:
            self._fields[label] = fields_by_attname(model_of(label))
        return self._fields[label]

    def rows(self, label, changes):
        """(field label, old, new) of each change, in words."""
        fields = self.fields(label)
        rows = []
        for name, (old, new) in changes.items():
            field = fields.get(name)
            title = BATCH_KEYS.get(name, name) if field is None else field.verbose_name
            rows.append((capfirst(str(title)), self.value(field, old), self.value(field, new)))
        return rows

    def table(self, label, changes, action):
        """The changes as an HTML table: `field: value` for a creation or deletion,
        `field: old → new` for an update."""
        rows = self.rows(label, changes)
        if action == "update":
            cells = ((title, old, f"→ {new}") for title, old, new in rows)
        elif action == "delete":
            cells = ((title, old, "") for title, old, _new in rows if old != BLANK)
        else:
            cells = ((title, new, "") for title, _old, new in rows)
        return format_html(
            "<table class='audit-changes'>{}</table>",
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", cells),
        )

    def value(self, field, raw):
        if raw is None or raw == "":
            return BLANK
        if field is None:
            return str(raw)
        if is_reference(field):
            name = self.names.get(field.related_model, {}).get(str(raw))
            return name if name is not None else _("#%(id)s (deleted)") % {"id": raw}
        if field.choices:
            labels = {str(k): v for k, v in field.flatchoices}
            if str(raw) in labels:
                return str(labels[str(raw)])
        try:
            shown = getattr(field.model, "audit_values", {}).get(field.name)
            if shown is not None:  # a model's own way to show a value (a cycle's number as IV)
                return shown(raw)
            return formatted(field, raw)
        except (TypeError, ValueError, decimal.InvalidOperation):
            return str(raw)


def formatted(field, raw):
    if isinstance(field, models.BooleanField):
        return pgettext("audit value", "yes") if raw else pgettext("audit value", "no")
    if isinstance(field, models.DateTimeField):
        moment = datetime.datetime.fromisoformat(str(raw))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.timezone.utc)
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(datetime.date.fromisoformat(str(raw)), "DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        return formats.number_format(decimal.Decimal(str(raw)), decimal_pos=field.decimal_places, force_grouping=True)
    return str(raw)


def names_of(model, ids):
    """{str(pk): name} of the records of `model` among `ids`, in one query (their own
    references joined, for names built from them)."""
    if not ids:
        return {}
    joined = [f.name for f in model._meta.concrete_fields if is_reference(f)]
    rows = model._base_manager.filter(pk__in=list(ids)).select_related(*joined)
    return {str(obj.pk): str(obj) for obj in rows}
