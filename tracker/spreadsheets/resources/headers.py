"""How a file's header row is read: a column is headed by its code, or by its label in
Russian or English, in any case and spacing (README "Spreadsheets"); a file of another
dataset is recognised and named; messages name the column as the file heads it."""

import collections
import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ..rows import column_letter
from ..widgets import is_blank

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u200b\ufeff_]+")
_AROUND_BRACKETS = re.compile(r" ?([()]) ?")

# Database and Django messages that name a field rather than the column.
_MISSING_VALUE = [
    re.compile(r"NOT NULL constraint failed: \w+\.(\w+)"),  # SQLite
    re.compile(r'null value in column "(\w+)"'),  # PostgreSQL
    re.compile(r"^\w+ has no (\w+)\.$"),  # a required related row not set
]

#: What the first key cell of a template's example row starts with.
EXAMPLE_MARK = "ПРИМЕР"
_EXAMPLE = re.compile(r"^\W*(пример|example)\b", re.IGNORECASE)

# Short forms editors write for the language in brackets of a label.
_SHORT_FORMS = {
    "(на русском)": ["(рус)", "(русский)", "(по-русски)", "(ru)"],
    "(на английском)": ["(англ)", "(английский)", "(по-английски)", "(en)", "(eng)"],
    "(russian)": ["(rus)", "(ru)"],
    "(english)": ["(eng)", "(en)"],
}


def fold(header):
    """A header as it is compared: whitespace (non-breaking spaces and underscores too)
    collapsed, no dots, no trailing “:” or “*”, any case, «ё» read as «е»."""
    text = _SPACES.sub(" ", str(header if header is not None else "")).replace(".", "")
    text = text.strip().rstrip(":*").strip()
    return _AROUND_BRACKETS.sub(r"\1", text).strip().casefold().replace("ё", "е")


def is_example(value):
    """Whether a key cell marks the template's example row (“ПРИМЕР-AMU-001”)."""
    return isinstance(value, str) and bool(_EXAMPLE.match(value.strip()))


class HeaderMixin:
    """The header side of TrackerResource."""


    @classmethod
    def column_label(cls, code):
        """The column's human label in the active language (“Название (на русском)”)."""
        if code in cls.labels:
            return str(cls.labels[code])
        field = cls.fields.get(code) if hasattr(cls, "fields") else None
        attribute = getattr(field, "attribute", None) or code
        try:
            return str(capfirst(cls._meta.model._meta.get_field(attribute).verbose_name))
        except FieldDoesNotExist:
            return code

    @classmethod
    def column_codes(cls):
        return [field.column_name for field in cls.fields.values()]

    @classmethod
    def header_table(cls):
        """{folded header: column code} for every header that names a column: its code,
        its label in Russian and in English, their short forms and the aliases. A code
        wins over a label, and a label over an alias, should two fold alike."""
        table = cls.__dict__.get("_header_table")
        if table is None:
            table = {}
            codes = cls.column_codes()
            for code in codes:
                table.setdefault(fold(code), code)
            for language in ("ru", "en"):
                with translation.override(language):
                    for code in codes:
                        label = fold(cls.column_label(code))
                        table.setdefault(label, code)
                        for long, shorts in _SHORT_FORMS.items():
                            if label.endswith(long):
                                for short in shorts:
                                    table.setdefault(label[: -len(long)] + short, code)
            for code in codes:
                for alias in cls.aliases.get(code, ()):
                    table.setdefault(fold(alias), code)
            cls._header_table = table
        return table

    def normalise_headers(self, dataset):
        """Rename the dataset's headers to column codes, in place; the headers as written
        are kept in `dataset.written_headers` ({code: text}). Idempotent: the headers
        are always read from those the file had (`dataset.original_headers`)."""
        original = getattr(dataset, "original_headers", None)
        if original is None or len(original) != len(dataset.headers or []):
            original = list(dataset.headers or [])
        table = self.header_table()
        headers, written, given = [], {}, collections.defaultdict(list)
        for header in original:
            code = table.get(fold(header)) if not is_blank(header) else None
            if code is None:
                headers.append(header)
                continue
            headers.append(code)
            given[code].append(str(header).strip())
            written.setdefault(code, str(header).strip())
        if dataset.headers is not None:
            dataset.headers = headers
        dataset.original_headers = original
        dataset.written_headers = written
        dataset.repeated_headers = {code: texts for code, texts in given.items() if len(texts) > 1}
        return dataset

    def written_header(self, dataset, code):
        """The column as the file heads it, else its label."""
        return (getattr(dataset, "written_headers", None) or {}).get(code) or self.column_label(code)

    def plain(self, message, code=""):
        """A message in the column's words: an empty required cell is named by its column
        («Регион»), never by the database's field or constraint."""
        text = str(message)
        for pattern in _MISSING_VALUE:
            found = pattern.search(text)
            if found:
                code = self._code_of(found.group(1)) or code
                return self.not_filled(code) if code else _("a required cell is empty.")
        if code and text in (
            str(models.Field.default_error_messages["null"]), str(models.Field.default_error_messages["blank"])
        ):
            return self.not_filled(code)
        return text

    def not_filled(self, code):
        return _("“%(column)s” may not be left empty.") % {"column": self.column_label(code)}

    def _code_of(self, name):
        """The column of a model field given by its name or its database column."""
        columns = self._columns_by_attribute()
        for model_field in self._meta.model._meta.concrete_fields:
            if name in (model_field.name, model_field.attname, model_field.column):
                return columns.get(model_field.name) or columns.get(model_field.attname)
        return columns.get(name)

    def missing_name(self, dataset, code):
        """A column the file lacks, named the way the file heads its others: by code
        when it uses codes, else by its label."""
        written = getattr(dataset, "written_headers", None) or {}
        if not written or any(fold(text) == fold(c) for c, text in written.items()):
            return code
        return self.column_label(code)

    def unused_columns(self, dataset):
        """A note for each of the file's columns no field reads, named as the file heads
        it (a column with data but no header by its letter)."""
        known = set(self.column_codes())
        unused = []
        for position, header in enumerate(dataset.headers or []):
            if header in known:
                continue
            if is_blank(header):
                if any(not is_blank(row[position]) for row in dataset):
                    unused.append(_("column %(letter)s has no header and is not used") % {"letter": column_letter(position + 1)})
                continue
            unused.append(_("column “%(column)s” is not used") % {"column": str(header).strip()})
        return unused

    def _key_codes(self):
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    def _read_codes(self):
        return {f.column_name for f in self.get_import_fields() if f.attribute and not f.readonly}

    def _recognised(self, headers):
        table = self.header_table()
        return {table[fold(h)] for h in headers if not is_blank(h) and fold(h) in table}

    def other_dataset(self, dataset):
        """The code of another dataset whose file this looks like: one whose key columns
        are all there and which knows more of the headers than this one."""
        from . import DATASETS

        headers = getattr(dataset, "original_headers", None) or list(dataset.headers or [])
        mine = len(self._recognised(headers))
        best, best_count = None, mine
        for code, resource_class in DATASETS.items():
            if isinstance(self, resource_class) or resource_class is type(self):
                continue
            other = resource_class()
            recognised = other._recognised(headers)
            if set(other._key_codes()) <= recognised and len(recognised) > best_count:
                best, best_count = code, len(recognised)
        return best

    def dataset_name(self, code=None):
        """A dataset's name in the active language (“Проекты”), with its code."""
        from . import DATASETS

        resource_class = DATASETS.get(code) if code else type(self)
        return "%s (%s)" % (
            capfirst(resource_class._meta.model._meta.verbose_name_plural),
            resource_class._meta.name,
        )
