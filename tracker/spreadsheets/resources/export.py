"""Fast export for the tracker's resources: columns read with one `values_list` query and
copied or rendered by their widgets, without building model instances."""

import functools
import operator

import tablib
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _
from import_export import widgets as import_widgets

from ratings.numerals import to_roman

from ..amounts import IntegerWidget
from ..widgets import BooleanWidget, ChoiceWidget, CycleWidget, DateWidget, KeyWidget, TextWidget


def _first_key(indexes):
    def render(values):
        for index in indexes:
            if values[index] not in (None, ""):
                return values[index]
        return ""

    return render


_roman = functools.lru_cache(maxsize=None)(to_roman)


def _numeral(index):
    return lambda values: _roman(values[index]) if values[index] else ""


#: Widgets whose render() gives back the value it is given (for a string column that is
#: never NULL, or for any value) — their cells are copied without a call.
IDENTITY_ON_TEXT = (TextWidget, ChoiceWidget, import_widgets.Widget, import_widgets.CharWidget)
IDENTITY = (DateWidget, BooleanWidget, IntegerWidget)
TEXT_FIELDS = ("CharField", "TextField", "SlugField", "URLField", "EmailField")


def _rendered(index, render):
    return lambda values: render(values[index])


class FastExportMixin:
    #: Whether exports head columns by their labels in the active language and write
    #: choices by their labels and yes/no in words, rather than by codes. Such a file
    #: imports as it is: labels are read as well as codes.
    with_labels = False

    @classmethod
    def labelled(cls):
        """This dataset's resource that exports with labels."""
        if cls.with_labels:
            return cls
        return cls.__dict__.get("_labelled") or cls._make_labelled()

    @classmethod
    def _make_labelled(cls):
        labelled = type(cls.__name__ + "WithLabels", (cls,), {"with_labels": True, "__module__": cls.__module__})
        cls._labelled = labelled
        return labelled

    @classmethod
    def export_variants(cls):
        """The export choices for this dataset: headed by codes, and by labels."""
        return [cls, cls.labelled()]

    @classmethod
    def get_display_name(cls):
        name = capfirst(cls._meta.model._meta.verbose_name_plural)
        if cls.with_labels:
            return _("%(dataset)s — column names and values in words (%(language)s)") % {
                "dataset": name, "language": get_language_info(get_language() or "en")["name_local"],
            }
        return _("%(dataset)s — column codes") % {"dataset": name}

    def export(self, queryset=None, **kwargs):
        """Export rows. Columns that are a model field or a key of a related row are read
        with one `values_list` query and rendered by their widgets without building model
        instances; anything else takes django-import-export's path, with related rows
        named in columns fetched in the same query."""
        fields = self.get_export_fields(selected_fields=kwargs.get("export_fields"))
        plan = self._export_plan(fields)
        if plan is not None and (queryset is None or isinstance(queryset, QuerySet)):
            dataset = self._export_values(queryset, fields, plan, **kwargs)
        else:
            if queryset is not None and hasattr(queryset, "select_related"):
                related = [
                    f.attribute
                    for f in self.get_export_fields()
                    if f.attribute and isinstance(f.widget, (KeyWidget, CycleWidget))
                ]
                queryset = queryset.select_related(*related)
            dataset = super().export(queryset=queryset, **kwargs)
        if self.with_labels:
            self._in_words(dataset, fields)
        return dataset

    def _in_words(self, dataset, fields):
        """Headers as labels, choices as their labels, yes/no as words, in place."""
        words = []
        for field in fields:
            widget = field.widget
            if isinstance(widget, ChoiceWidget):
                labels = {member.value: str(member.label) for member in widget.choices}
                words.append(lambda value, labels=labels: labels.get(value, value))
            elif isinstance(widget, BooleanWidget):
                yes, no = _("yes"), _("no")
                words.append(lambda value, yes=yes, no=no: value if value is None else (yes if value else no))
            else:
                words.append(None)
        changed = [(i, word) for i, word in enumerate(words) if word is not None]
        if changed:
            rows = []
            for row in dataset._data:
                cells = list(row)
                for i, word in changed:
                    cells[i] = word(cells[i])
                rows.append(tablib.core.Row(cells))
            dataset._data = rows
        dataset.headers = [self.column_label(field.column_name) for field in fields]
        return dataset

    def _export_plan(self, fields):
        """(columns to read, one render function per export field), or None when a field
        needs a model instance (a dehydrate method, a property, a deeper path)."""
        model = self._meta.model
        columns, renders = [], []

        def position(name):
            if name not in columns:
                columns.append(name)
            return columns.index(name)

        for field in fields:
            name = self.get_field_name(field)
            if callable(field.get_dehydrate_method(name)) or hasattr(self, field.get_dehydrate_method(name)):
                return None
            if not field.attribute or "__" in field.attribute:
                return None
            try:
                model_field = model._meta.get_field(field.attribute)
            except FieldDoesNotExist:
                return None
            widget = field.widget
            if model_field.is_relation:
                if isinstance(widget, KeyWidget):
                    first = widget.model._meta.get_field(widget.fields[0])
                    if not model_field.null and not first.null and not first.blank:
                        # The first key is always there (a required field of a required
                        # row): KeyWidget.render would return it.
                        renders.append(position(f"{field.attribute}__{widget.fields[0]}"))
                        continue
                    keys = [position(f"{field.attribute}__{key}") for key in widget.fields]
                    renders.append(_first_key(keys))
                elif isinstance(widget, CycleWidget):
                    renders.append(_numeral(position(f"{field.attribute}__number")))
                else:
                    return None
            elif not model_field.concrete:
                return None
            elif type(widget) in IDENTITY or (
                type(widget) in IDENTITY_ON_TEXT
                and model_field.get_internal_type() in TEXT_FIELDS
                and not model_field.null
            ):
                renders.append(position(model_field.attname))  # the value as it is
            else:
                renders.append(_rendered(position(model_field.attname), widget.render))
        return columns, renders

    def _export_values(self, queryset, fields, plan, **kwargs):
        self.before_export(queryset, **kwargs)
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.filter_export(queryset, **kwargs)
        columns, renders = plan
        dataset = tablib.Dataset(headers=[force_str(f.column_name) for f in fields])
        append = dataset.append
        # Cells copied as they are come out of one itemgetter; the others are rendered.
        take = operator.itemgetter(*[r if isinstance(r, int) else 0 for r in renders], 0)
        fixes = [(i, r) for i, r in enumerate(renders) if not isinstance(r, int)]
        width = len(renders)
        for values in queryset.values_list(*columns).iterator(chunk_size=self.get_chunk_size()):
            row = list(take(values)[:width])
            for i, render in fixes:
                row[i] = render(values)
            append(row)
        self.after_export(queryset, dataset, **kwargs)
        return dataset
