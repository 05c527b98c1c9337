"""Form fields as editors type: amounts as spreadsheets write them, cycle numbers as
Roman numerals, a change's basis left to the rule."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ratings.numerals import from_roman, to_roman
from tracker.models import Evidence, StatusChange
from tracker.spreadsheets.amounts import read_amount
from tracker.status import history

from .locks import LockedCycleFormMixin


class EvidenceForm(LockedCycleFormMixin, forms.ModelForm):
    class Meta:
        model = Evidence
        fields = "__all__"


class StatusChangeForm(forms.ModelForm):
    """A change's basis may be left to the rule (docs/domain.md "Basis"): *stated* when it
    cites evidence, else the editors' *judgement*."""

    basis = forms.ChoiceField(
        label=_("basis"),
        choices=[("", _("— by the rule: stated when citing evidence, else judgement")), *StatusChange.Basis.choices],
        required=False,
    )

    class Meta:
        model = StatusChange
        fields = "__all__"

    def clean_basis(self):
        return self.cleaned_data.get("basis") or history.default_basis(self.cleaned_data.get("evidence"))


class AmountField(forms.DecimalField):
    """An amount as spreadsheets and news write it: «2 500 000 000», «2 500 000 000,50»,
    «2,5 млрд», «300 тыс.», "1.2 bn"; shown with its thousands apart («2 500 000 000»)."""

    def __init__(self, **kwargs):
        kwargs["widget"] = forms.TextInput(attrs={"size": 22})  # «2,5 млрд» is no number box's
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return read_amount(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return group_digits(value)
        return value


def group_digits(amount):
    """2500000000 → «2 500 000 000»; 1500.50 → «1 500,50» (the decimal comma of Russian)."""
    whole, _point, cents = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped if cents == "00" else f"{grouped},{cents}"


#: Scales of short amounts, largest first, as lists write them («2,5 млрд», "2.5 bn").
SCALES = [
    (10**12, pgettext_lazy("amount", "tn")),
    (10**9, pgettext_lazy("amount", "bn")),
    (10**6, pgettext_lazy("amount", "m")),
]


def short_amount(amount):
    """2500000000 → «2,5 млрд» / "2.5 bn"; up to two decimals, none when whole."""
    for factor, word in SCALES:
        if amount >= factor:
            value = (Decimal(amount) / factor).quantize(Decimal("0.01")).normalize()
            places = max(0, -value.as_tuple().exponent)
            return f"{formats.number_format(value, places)} {word}"
    places = 0 if amount == amount.to_integral_value() else 2
    return formats.number_format(amount, places, force_grouping=True)


class CycleNumberField(forms.IntegerField):
    """A cycle's number entered and shown as the rating names it: I, II, III, IV (or 4)."""

    def __init__(self, **kwargs):
        # A text box, whatever widget the admin gives integer fields (a number box takes no IV).
        kwargs["widget"] = forms.TextInput(attrs={"size": 6, "autocapitalize": "characters"})
        kwargs["help_text"] = kwargs.get("help_text") or _("A Roman numeral: I, II, III, IV…")
        kwargs.setdefault("max_value", 3999)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return from_roman(value)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a cycle number: write a Roman numeral such as IV."),
                code="invalid", params={"value": value},
            ) from None

    def prepare_value(self, value):
        if isinstance(value, int) and value > 0:
            return to_roman(value)
        return value
