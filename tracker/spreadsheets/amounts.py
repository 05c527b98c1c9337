"""Amounts as people type them: spaces, non-breaking spaces or commas between thousands,
a decimal comma or point, a currency sign or word before or after the number («1 500 000,50
₽», «$1,500,000.50», «CNY 5 000») and words of scale («2,5 млрд», "1.2 bn")."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from .widgets import CellError, fold, is_blank, trim


#: How amounts name their currency, as spreadsheets show them and people type them
#: (compared in any case), by currency code.
CURRENCY_MARKS = {
    "RUB": ["₽", "руб.", "руб", "р.", "р", "рублей", "рубля", "рубль", "rub", "rur"],
    "USD": ["$", "us$", "usd", "долл. сша", "долларов сша", "долл.", "долл", "дол.", "долларов", "доллара", "доллар"],
    "CNY": ["¥", "元", "cny", "rmb", "юаней", "юаня", "юань", "yuan"],
    "EUR": ["€", "eur", "евро", "euro"],
}
CURRENCY_WORDS = {
    "RUB": gettext_lazy("roubles"),
    "USD": gettext_lazy("US dollars"),
    "CNY": gettext_lazy("yuan"),
    "EUR": gettext_lazy("euros"),
}
_CURRENCY_OF = {mark: code for code, marks in CURRENCY_MARKS.items() for mark in [code.lower(), *marks]}
_MARK = "|".join(re.escape(mark) for mark in sorted(_CURRENCY_OF, key=len, reverse=True))
_WITH_CURRENCY = re.compile(rf"^(?:(?P<before>{_MARK})\s*)?(?P<number>.*?)(?:\s*(?P<after>{_MARK}))?$", re.IGNORECASE | re.DOTALL)
_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:[.,]\d{3})+$")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # a typographic minus, an en dash


#: Words of scale after a number, as Russian and English texts write amounts («2,5 млрд»,
#: "1.2 bn"): thousand, million, billion, trillion.
SCALE_WORDS = {
    10**3: ["тыс.", "тыс", "тысяч", "тысячи", "тысяча", "k", "thousand", "thousands"],
    10**6: ["млн.", "млн", "миллионов", "миллиона", "миллион", "m", "mn", "mln", "million", "millions"],
    10**9: ["млрд.", "млрд", "миллиардов", "миллиарда", "миллиард", "bn", "bln", "billion", "billions"],
    10**12: ["трлн.", "трлн", "триллионов", "триллиона", "триллион", "tn", "trillion", "trillions"],
}
_SCALE_OF = {word: factor for factor, words in SCALE_WORDS.items() for word in words}
_SCALE = re.compile(
    r"^(?P<number>.*?\d)\s*(?P<scale>%s)$" % "|".join(re.escape(word) for word in sorted(_SCALE_OF, key=len, reverse=True)),
    re.IGNORECASE | re.DOTALL,
)


def _scale_of(text):
    """(the number's text, its scale factor): «2,5 млрд» is ("2,5", 10⁹)."""
    found = _SCALE.match(text.strip())
    if not found:
        return text, 1
    return found["number"], _SCALE_OF[found["scale"].lower()]


def read_amount(text):
    """An amount typed by a person, without its currency: «2 500 000 000», «2,5 млрд»,
    "1,500,000.50", "1.2 bn"; raise ValueError with a message for anything else."""
    widget = DecimalWidget()
    widget.currency_column = None
    return widget.clean(text)


def currency_of(text):
    """The currency code a currency cell or an amount's sign names (“RUB”, “₽”, “руб.”),
    or None."""
    return _CURRENCY_OF.get(fold(text)) if isinstance(text, str) else None


class DecimalWidget(widgets.Widget):
    """1500.5, 1 500,5 (spaces or non-breaking spaces as thousands separators), 1,500.5 or
    1.500,5; and an amount as a spreadsheet shows it, with its currency before or after the
    number («1 500 000,50 ₽», «$1,500,000.50», «CNY 5 000»). A currency written in the
    amount must be the one in the row's currency column (`currency_column`, a column code):
    the number alone is kept, and a different or missing currency is refused with one
    message naming both, since the amount would otherwise be stored in the wrong currency.
    """

    #: The row's column that says the amount's currency; None: no currency is written here.
    currency_column = "currency"
    currency_label = gettext_lazy("Currency")

    @property
    def row_columns(self):
        """The other cells of a row that `clean` reads besides its own."""
        return (self.currency_column,) if self.currency_column else ()

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return Decimal(str(value))
        text, written, sign_first = trim(str(value)), None, False
        if self.currency_column:
            text, written, sign_first = self._currency_written(text)
        try:
            number = self._number(text, value, sign_first)
            if written is not None:
                self._check_currency(written, row)
        except ValueError as error:
            raise CellError(str(error), self.row_columns) from None
        return number

    def _currency_written(self, text):
        """(the number's text, the currency its sign names or None, whether the sign
        comes first)."""
        found = _WITH_CURRENCY.match(text)
        marks = {currency_of(found[part]) for part in ("before", "after") if found and found[part]}
        if len(marks) != 1 or not found["number"]:
            return text, None, False
        return found["number"], marks.pop(), bool(found["before"])

    def _number(self, text, value, sign_first=False):
        """A comma is the decimal separator (1 500,5), unless the text has a point too
        (whichever comes last separates the decimals: 1,500.5 and 1.500,5), or several
        commas grouping thousands (1,500,000), or the currency sign comes first, the
        English way, and three digits follow the comma ($1,500)."""
        text, scale = _scale_of(text)
        text = re.sub(r"[\s']", "", text).translate(_MINUS)
        if "," in text and "." in text:
            thousands = "," if text.rindex(",") < text.rindex(".") else "."
            text = text.replace(thousands, "").replace(",", ".")
        elif text.count(",") > 1 or text.count(".") > 1 or (sign_first and "," in text):
            text = text.replace(",", "").replace(".", "") if _GROUPED.match(text) else text.replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number; write 1500.5 or 1 500,5.") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number * scale if scale != 1 else number

    def _check_currency(self, written, row):
        column = self.currency_column
        cell = row.get(column) if row is not None else None
        values = {"written": CURRENCY_WORDS[written], "code": written, "column": self.currency_label}
        if row is None or column not in row:
            raise ValueError(
                _("The amount is in %(written)s, but the file has no column “%(column)s”: add it, with %(code)s.")
                % values
            )
        if is_blank(cell):
            raise ValueError(
                _("The amount is in %(written)s, but column “%(column)s” is empty: write %(code)s there.") % values
            )
        given = currency_of(cell)
        if given is not None and given != written:
            raise ValueError(
                _("The amount is in %(written)s, but column “%(column)s” says %(given)s (%(given_words)s): "
                  "correct one of them.")
                % {**values, "given": given, "given_words": CURRENCY_WORDS[given]}
            )
        # A currency cell that names no currency has its own message, from its column.

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        return int(value) if value == value.to_integral() else value.normalize()


class IntegerWidget(DecimalWidget):
    currency_column = None

    def clean(self, value, row=None, **kwargs):
        number = super().clean(value, row, **kwargs)
        if number is None:
            return None
        if number != number.to_integral():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value
