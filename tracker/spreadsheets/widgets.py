"""Cell readers for spreadsheets typed by people: Russian and ISO dates, booleans as
Russian and English spreadsheets write them, choice codes or labels, countries by code or
name, Roman cycle numerals, and rows that refer to each other by keys a person can type
(amounts are read in amounts.py). Every text cell is trimmed of the spaces around it
(non-breaking ones too); labels and names match whatever their case, spacing and «ё» or
«е»."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from ratings.models import Cycle, Region
from tracker.models.countries import country_choices, country_name

CLEAR = "(clear)"
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y.%m.%d"]


class CellError(ValueError):
    """A cell that cannot be read, whose message says all there is to say about the row's
    columns in `covers` too (codes): an amount not read leaves the amount empty, and the
    row's check "a currency exactly when an amount is given" would only echo it."""

    def __init__(self, message, covers=()):
        super().__init__(message)
        self.covers = tuple(covers)


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def trim(text):
    """A cell's text without the whitespace around it: spaces, tabs, line breaks and
    non-breaking spaces (U+00A0, U+202F, U+2007 and the rest of Unicode's whitespace)."""
    return text.strip()


def case_fold(text):
    """A label or a name in any case, whitespace runs (non-breaking spaces too) as one
    space."""
    return " ".join(str(text).split()).casefold()


def fold(text):
    """A label or a name as it is compared: `case_fold`, and «ё» as «е»."""
    return case_fold(text).replace("ё", "е")


class TextWidget(widgets.CharWidget):
    """Text as the file holds it, without the whitespace around it (as the admin's forms
    take it); the text inside is kept as it is. The CSV reader has already taken off the
    apostrophe that export puts before formula-like text."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip()
        text = super().clean(value, row, **kwargs)
        return text.strip() if isinstance(text, str) else text


class DateWidget(widgets.Widget):
    """ISO 2025-06-01, Russian 01.06.2025, or a real spreadsheet date cell."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if len(text) == 10 and text[4] == "-":
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                pass
        if " " in text or "T" in text:  # "2025-06-01 00:00:00" from some exporters
            text = re.split(r"[ T]", text, maxsplit=1)[0]
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write 2025-06-01 or 01.06.2025.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value  # a real date: a date cell in XLSX/ODS, ISO text in CSV


class BooleanWidget(widgets.Widget):
    """Yes or no as spreadsheets write them when they save a workbook as CSV (ИСТИНА/ЛОЖЬ
    in Russian, TRUE/FALSE in English), as people type them (да/нет, yes/no, 1/0, x/-), or
    a real boolean or number cell (1 or 0); in any case."""

    TRUE = {"1", "true", "истина", "yes", "y", "да", "д", "x", "х", "+"}
    FALSE = {"0", "false", "ложь", "no", "n", "нет", "н", "-"}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float, Decimal)) and value in (0, 1):
            return value == 1
        text = fold(value)
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            _("“%(value)s” is neither yes nor no; write yes or no, TRUE or FALSE, 1 or 0.") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice by its code (“far_eastern”) or its label in English or Russian, in any
    case and spacing, «ё» or «е» («отменен» is «отменён»)."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        self._lookup = None
        super().__init__(**kwargs)

    def lookup(self):
        if self._lookup is None:
            from django.utils import translation

            table = {}
            for language in ("ru", "en"):
                with translation.override(language):
                    for member in self.choices:
                        table[fold(member.label)] = member.value
            for member in self.choices:
                table[fold(member.name)] = member.value
                table[fold(member.value)] = member.value
            self._lookup = table
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        text = trim(str(value))
        try:
            return self.lookup()[fold(text)]
        except KeyError:
            allowed = ", ".join(member.value for member in self.choices)
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class Country:
    """A country as ChoiceWidget reads choices: its code, and its name in the active language."""

    def __init__(self, code):
        self.value = self.name = code

    @property
    def label(self):
        return country_name(self.value)


class CountryWidget(ChoiceWidget):
    """A country by its ISO code (CN, cn) or its name in Russian or English («Китай», China)."""

    def __init__(self, **kwargs):
        super().__init__(None, **kwargs)

    @property
    def choices(self):
        """Read when a file is read, not when the resource is defined at start-up."""
        if self._countries is None:
            self._countries = [Country(code) for code, _name in country_choices()]
        return self._countries

    @choices.setter
    def choices(self, value):
        self._countries = value

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a country: write its two-letter code (CN) or its name (Китай, China).")
                % {"value": trim(str(value))}
            ) from None


class CycleWidget(widgets.Widget):
    """A cycle by its numeral: I, II, III (or 1, 2, 3)."""

    def __init__(self, **kwargs):
        self.found = {}  # cycles already looked up during this import
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = str(value).strip()
        if text not in self.found:
            try:
                self.found[text] = Cycle.objects.by_numeral(text)
            except Cycle.DoesNotExist:
                raise ValueError(_("There is no cycle “%(cycle)s”.") % {"cycle": value}) from None
        return self.found[text]

    def render(self, value, obj=None, **kwargs):
        return value.numeral if value else ""


class NumeralWidget(widgets.Widget):
    """A cycle's own number column, written as a Roman numeral."""

    def clean(self, value, row=None, **kwargs):
        from ratings.numerals import from_roman

        if is_blank(value):
            return None
        if isinstance(value, (int, float)):
            return int(value)
        try:
            return from_roman(value)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a cycle number; write a Roman numeral such as III.") % {"value": trim(str(value))}
            ) from None

    def render(self, value, obj=None, **kwargs):
        from ratings.numerals import to_roman

        return to_roman(value) if value else ""


class KeyWidget(widgets.ForeignKeyWidget):
    """A related row by any of several keys a person can type (tried in order, exact
    first, then case-insensitive, then folded: any case and spacing, «ё» or «е»). `label`
    names the thing in messages (capitalised, as at the start of a sentence; a lazy
    translation, as the widget is made at import time)."""

    def __init__(self, model, fields, label, **kwargs):
        self.fields = fields
        self.label = label
        self.found = {}  # rows already looked up during this import
        self.folded = None  # the rows' folded keys, read on the first miss (`_folded`)
        super().__init__(model, field=fields[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = trim(str(value))
        if text not in self.found:
            self.found[text] = self._lookup(text)
        return self.found[text]

    def _lookup(self, text):
        for lookup in ("exact", "iexact"):
            for field in self.fields:
                try:
                    return self.model.objects.get(**{f"{field}__{lookup}": text})
                except ObjectDoesNotExist:
                    continue
                except MultipleObjectsReturned:
                    raise self._ambiguous(text) from None
        # The database compares neither «ё» with «е» nor (SQLite) the case of Cyrillic:
        # any case first (as PostgreSQL's iexact would), then «ё» as «е» too.
        for level, key in enumerate((case_fold(text), fold(text))):
            for table in self._folded()[level].values():
                pks = table.get(key)
                if pks and len(pks) > 1:
                    raise self._ambiguous(text)
                if pks:
                    return self.model.objects.get(pk=pks[0])
        raise ValueError(_("Unknown %(thing)s “%(value)s”.") % {"thing": str(self.label).lower(), "value": text})

    def _folded(self):
        """Every row's keys, folded (`case_fold`, then `fold`): ({field: {key: [pk, …]}},
        …), read once per import, when a key is first missed."""
        if self.folded is None:
            levels = ({field: {} for field in self.fields}, {field: {} for field in self.fields})
            for pk, *keys in self.model.objects.order_by().values_list("pk", *self.fields).iterator(2000):
                for field, key in zip(self.fields, keys):
                    if key not in (None, ""):
                        levels[0][field].setdefault(case_fold(key), []).append(pk)
                        levels[1][field].setdefault(fold(key), []).append(pk)
            self.folded = levels
        return self.folded

    def _ambiguous(self, text):
        return ValueError(_("%(thing)s “%(value)s” is ambiguous.") % {"thing": self.label, "value": text})

    def render(self, value, obj=None, **kwargs):
        """The first key this row has (a source without a URL is written by its title)."""
        if value is None:
            return ""
        for field in self.fields:
            key = getattr(value, field)
            if key not in (None, ""):
                return key
        return ""


def region_widget():
    return KeyWidget(Region, ["iso_code", "name_ru", "name_en", "slug"], gettext_lazy("Region"))
