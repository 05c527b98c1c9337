"""Cell readers for spreadsheets typed by people: Russian and ISO dates, amounts with
spaces and decimal commas, choice codes or labels, Roman cycle numerals, and rows that
refer to each other by keys a person can type."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from ratings.models import Cycle, Region

CLEAR = "(clear)"
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y.%m.%d"]


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


class TextWidget(widgets.CharWidget):
    """Text, as the file holds it (the CSV reader has already taken off the apostrophe
    that export puts before formula-like text)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return super().clean(value, row, **kwargs)


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


class DecimalWidget(widgets.Widget):
    """1500.5, 1 500,5 (spaces or non-breaking spaces as thousands separators) or 1,500.5."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return Decimal(str(value))
        text = re.sub(r"[\s\u00a0\u202f']", "", str(value))
        if "," in text and "." in text:
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number; write 1500.5 or 1 500,5.") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        return int(value) if value == value.to_integral() else value.normalize()


class IntegerWidget(DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class BooleanWidget(widgets.Widget):
    TRUE = {"1", "true", "yes", "y", "да", "x", "+"}
    FALSE = {"0", "false", "no", "n", "нет", "-"}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is not yes/no; write true or false.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice by its code (“far_eastern”) or its label in English or Russian."""

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
                        table[str(member.label).lower()] = member.value
            for member in self.choices:
                table[member.name.lower()] = member.value
                table[member.value.lower()] = member.value
            self._lookup = table
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        text = str(value).strip()
        try:
            return self.lookup()[text.lower()]
        except KeyError:
            allowed = ", ".join(member.value for member in self.choices)
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


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
        return from_roman(value)

    def render(self, value, obj=None, **kwargs):
        from ratings.numerals import to_roman

        return to_roman(value) if value else ""


class KeyWidget(widgets.ForeignKeyWidget):
    """A related row by any of several keys a person can type (tried in order, exact
    first, then case-insensitive). `label` names the thing in messages (capitalised, as
    at the start of a sentence; a lazy translation, as the widget is made at import time)."""

    def __init__(self, model, fields, label, **kwargs):
        self.fields = fields
        self.label = label
        self.found = {}  # rows already looked up during this import
        super().__init__(model, field=fields[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        text = str(value).strip()
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
                    raise ValueError(
                        _("%(thing)s “%(value)s” is ambiguous.") % {"thing": self.label, "value": text}
                    ) from None
        raise ValueError(_("Unknown %(thing)s “%(value)s”.") % {"thing": str(self.label).lower(), "value": text})

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
