"""The bulk import's field checks: each model field is checked by Django itself, as
`Model.full_clean` checks it on the row-by-row path and in the admin's forms —
`Model.clean_fields` calls the field's `clean` (`to_python`; `validate`: choices, null,
blank; then every validator: length, URL, slug, digits and decimal places, bounds) on each
value that is not a blank in a field that may be blank, and keeps the cleaned value.

Only the bookkeeping differs, so that a file keeps its speed: a column is checked a
distinct value at a time, and only a column with a failing value is looked at row by row.
Foreign keys are checked as the row path checks them: a related row was found by its
widget already, and a key left empty gets the field's own check (`clean(None)`, which
sends no query). Unique checks and database constraints are the database's: a file that
breaks one is imported again row by row (bulk.py), which names the row.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from .bulk_cells import Problem

NoneType = type(None)

#: Distinct values remembered per field for rows checked one at a time (updates, rows
#: with a cell that did not read), so that a long file's memory stays bounded.
MEMO_LIMIT = 10_000


class FieldCheck:
    """One model field's check, by `Field.clean`; `column`: the file's name for it."""

    __slots__ = ("field", "attname", "column", "memo")

    def __init__(self, field, column):
        self.field, self.attname, self.column, self.memo = field, field.attname, column, {}

    def skips(self, value):
        """Whether `clean_fields` leaves `value` alone (and the row path, for a key the
        widget found)."""
        field = self.field
        return (field.blank and value in field.empty_values) or (field.is_relation and value is not None)

    def clean(self, value):
        """(the value as `Field.clean` leaves it, None), or (value, [messages])."""
        if self.skips(value):
            return value, None
        try:
            return self.field.clean(value, None), None
        except ValidationError as error:
            return value, error.messages

    def __call__(self, value):
        """`clean`, remembered per distinct value."""
        memo = self.memo
        try:
            key = _key(value)
            return memo[key]
        except KeyError:
            outcome = self.clean(value)
            if len(memo) < MEMO_LIMIT:
                memo[key] = outcome
            return outcome
        except TypeError:  # an unhashable value
            return self.clean(value)


def field_checks(model, columns):
    """A FieldCheck for every field `clean_fields` checks (all but the primary key and
    generated fields), in the model's order; `columns`: the file's column by field name."""
    return [
        FieldCheck(field, columns.get(field.name, field.name))
        for field in model._meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    ]


def check_columns(checks, columns, defaults, count):
    """{row index: {column: [messages]}} for `count` new rows whose values are `columns`
    ({attname: values}; a field not in the file has its default in every row), in the
    order the checks find them row by row. Values that `clean` changes are changed in the
    columns too, as `clean_fields` changes them on the instance."""
    errors = {}
    for check in checks:
        values = columns.get(check.attname)
        if values is None:
            messages = check(defaults.get(check.attname))[1]
            failing = [(index, messages) for index in range(count)] if messages else []
        else:
            failing = _check_column(check, values)
        for index, messages in failing:
            errors.setdefault(index, {}).setdefault(check.column, messages)
    return errors


def _check_column(check, values):
    """[(index, messages)] of the values that fail `check`; cleaned values replace the
    others in `values`. A cell that did not read is left out (its row is checked on its
    own). Each distinct value is cleaned once; values that are equal but could be cleaned
    differently (1 and True, 1.5 and 1.50) are told apart."""
    types = set(map(type, values))
    kinds = types - {NoneType, Problem}
    if len(kinds) <= 1 and Decimal not in kinds:
        try:
            distinct = set(values)
        except TypeError:  # unhashable values
            distinct = None
        if distinct is not None:
            if Problem in types:
                distinct = {value for value in distinct if value.__class__ is not Problem}
            if kinds == {str} and NoneType not in types and _texts_pass(check.field, distinct):
                return []
            outcomes = _distinct_outcomes(check, distinct)
            if not outcomes:
                return []  # the common case: every value passes as it is
            return _apply(values, lambda value: outcomes.get(value, (value, None)))
    return _apply(values, check)


def _texts_pass(field, texts):
    """Whether every one of `texts` passes `field.clean` unchanged, asked of them all at
    once — for a text field that `clean` checks for exactly two things: a blank where
    none is allowed, and a text longer than its MaxLengthValidators allow (a CharField or
    TextField without choices and without other validators; `to_python` keeps a text as
    it is). False means only "ask each text": they are then cleaned one by one."""
    if type(field) not in (models.CharField, models.TextField) or field.choices:
        return False
    limits = [v.limit_value for v in field.validators]
    if any(type(v) is not MaxLengthValidator for v in field.validators) or any(map(callable, limits)):
        return False
    if not field.blank and "" in texts:
        return False
    return not limits or max(map(len, texts), default=0) <= min(limits)


def _distinct_outcomes(check, distinct):
    """{value: (cleaned, messages)} for the values of `distinct` that fail or that `clean`
    changes; the others pass as they are."""
    outcomes = {}
    if check.field.is_relation:
        if None in distinct:
            outcomes[None] = check.clean(None)
        return outcomes
    clean, skips = check.field.clean, check.skips
    for value in distinct:
        if skips(value):
            continue
        try:
            cleaned = clean(value, None)
        except ValidationError as error:
            outcomes[value] = (value, error.messages)
        else:
            if cleaned is not value:
                outcomes[value] = (cleaned, None)
    return outcomes


def _apply(values, outcome):
    """[(index, messages)] of the failing values; cleaned values replace the others."""
    failing = []
    for index, value in enumerate(values):
        if value.__class__ is Problem:
            continue
        cleaned, messages = outcome(value)
        if messages:
            failing.append((index, messages))
        elif cleaned is not value:
            values[index] = cleaned
    return failing


def check_instance(instance, checks, errors):
    """The checks on one instance's values, as `clean_fields` runs them: a field whose
    column has a message already (a cell that did not read) is left out."""
    data = instance.__dict__
    for check in checks:
        if check.column in errors:
            continue
        value = data[check.attname]
        cleaned, messages = check(value)
        if messages:
            errors.setdefault(check.column, []).extend(messages)
        elif cleaned is not value:
            data[check.attname] = cleaned
    return errors


def _key(value):
    """A memo key that keeps apart equal values `clean` could treat differently."""
    kind = value.__class__
    if kind is str:
        return value
    return (kind, str(value)) if kind is Decimal else (kind, value)
