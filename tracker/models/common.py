"""What several model families share: how precisely a date is known, and the
edit-conflict check (docs/domain.md "Data model")."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ratings.models import choice_values


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


PRECISION_MESSAGE = _("Give a precision exactly when a date is given.")


def precision_constraint(date_field, precision_field, name):
    """A precision is given exactly when its date is."""
    return models.CheckConstraint(
        condition=(
            Q(**{f"{date_field}__isnull": True, precision_field: ""})
            | Q(
                **{
                    f"{date_field}__isnull": False,
                    f"{precision_field}__in": choice_values(DatePrecision),
                }
            )
        ),
        name=name,
        violation_error_message=_(
            "Give a date precision (day, month, quarter or year) exactly when a date is given."
        ),
    )


def check_precision(day, precision, precision_field):
    """The date-precision rule for forms and `clean()`: {field: message} when broken."""
    if bool(day) != bool(precision):
        return {precision_field: PRECISION_MESSAGE}
    return {}


#: Addresses that readers' browsers open: web pages (http, https) only, never
#: `javascript:`, `data:` or `file:`.
web_url = URLValidator(schemes=["http", "https"])


def is_web_url(value):
    """Whether `value` is an address `web_url` accepts (what a page may link)."""
    try:
        web_url(value)
    except ValidationError:
        return False
    return True


class WebURLField(models.URLField):
    """A URL field for web addresses: `web_url` in place of Django's URLValidator (which
    also takes ftp), so a bad value gets one message, not two."""

    default_validators = [web_url]


QUARTER_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}


def format_date(day, precision):
    """A date shown no more precisely than it is known, in the reader's language: 2025;
    «III кв. 2025» / Q3 2025; «июль 2025» / July 2025; «14 июля 2025» / 14 July 2025."""
    if day is None:
        return ""
    russian = (translation.get_language() or "").startswith("ru")
    if precision == DatePrecision.YEAR:
        return f"{day.year}"
    if precision == DatePrecision.QUARTER:
        quarter = (day.month - 1) // 3 + 1
        return f"{QUARTER_NUMERALS[quarter]} кв. {day.year}" if russian else f"Q{quarter} {day.year}"
    if precision == DatePrecision.MONTH:
        month = date_format(day, "F Y")
        # Russian writes month names in lower case inside a sentence or a table cell.
        return month[0].lower() + month[1:] if russian else month
    return date_format(day, "j E Y")


class EditConflict(ValidationError):
    """A record was saved by someone else since it was read."""

    def __init__(self):
        super().__init__(
            _("Someone else saved this project after you opened it. Reload it to see their "
              "changes; yours were not saved."),
            code="conflict",
        )


def is_stale(model, pk, version, *, lock=False):
    """Whether the stored row `pk` of `model` is at another version than `version` (the
    one the editor read); with `lock`, the row stays locked until the transaction ends."""
    rows = model.objects.select_for_update() if lock else model.objects
    stored = rows.filter(pk=pk).values_list("version", flat=True).first()
    return stored is not None and stored != version


def ensure_current(model, pk, version):
    """Raise EditConflict when the row was saved by someone else since it was read."""
    if is_stale(model, pk, version, lock=True):
        raise EditConflict()
