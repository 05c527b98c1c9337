"""The bulk import's cells, a column at a time: each column of a file is read by its
widget once — a value repeated down the column (a project's reference, a date, a choice)
only once — and the field checks (required, choices, length) ask a whole column at
once, looking for the rows only when the column holds something wrong.

Rows whose cells all read are then filled from these values; the others (a cell that
cannot be read or is cleared, a row that updates a record) go cell by cell, through
`assign`. Also here: what the bulk path keeps about a file (`Plan`) and its rows
(`Batch`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from .widgets import (
    CLEAR,
    BooleanWidget,
    ChoiceWidget,
    CycleWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    KeyWidget,
    NumeralWidget,
    TextWidget,
)

#: Widgets whose `clean` depends on the cell's text alone, so that each distinct text of
#: a column is read once (exact types: a subclass may read the row as well).
PURE_WIDGETS = {
    TextWidget, DateWidget, DecimalWidget, IntegerWidget, BooleanWidget, ChoiceWidget,
    CycleWidget, NumeralWidget, KeyWidget,
}


class Problem:
    """A cell that is not a value: one that cannot be read (`message`), or `CLEARED`."""

    __slots__ = ("message",)

    def __init__(self, message):
        self.message = message


CLEARED = Problem(None)


@dataclass
class Setter:
    """How one column reaches the instance: `attname` for a model field (`relation`: the
    field's name when it is a foreign key), or none when it is some other attribute."""

    resource_field: object
    column: str
    clean: object
    attname: str = None
    relation: str = None


@dataclass
class Plan:
    """What every row of one file shares."""

    model: type
    setters: list
    checks: list  # (model field, column, allowed choices or None)
    columns: dict  # column name by attribute
    id_fields: list
    defaults: dict
    attnames: list
    audited: list
    locked: dict  # {id: cycle} the acting user may not change


@dataclass
class Batch:
    """What the rows came to: instances to insert and to update, and the audited values of
    the updated ones before the file."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    changed: set = field(default_factory=set)
    snapshots: dict = field(default_factory=dict)


def read_columns(plan, rows, raw_columns):
    """Each setter's column, read: values, or a Problem for a cell that cannot be read or
    is cleared; and the indexes of the rows with such cells (or set some other way)."""
    cells, irregular = [], set()
    for setter in plan.setters:
        raws, clean = raw_columns[setter.column], setter.clean
        if type(setter.resource_field.widget) in PURE_WIDGETS and set(map(type, raws)) == {str}:
            distinct = set(raws)
            if len(distinct) == len(raws):  # all different: nothing to read once only
                column = [read_cell(clean, raw, None) for raw in raws]
            else:
                memo = {text: read_cell(clean, text, None) for text in distinct}
                column = list(map(memo.__getitem__, raws))
        else:
            column = [read_cell(clean, raw, row) for raw, row in zip(raws, rows)]
        if Problem in set(map(type, column)):
            irregular.update(i for i, value in enumerate(column) if value.__class__ is Problem)
        if setter.attname is None:
            irregular.update(range(len(rows)))  # set through the resource, row by row
        cells.append(column)
    return cells, irregular


def read_cell(clean, raw, row):
    if raw.__class__ is str and raw[:1] == "(" and raw.strip().lower() == CLEAR:
        return CLEARED
    try:
        return clean(raw, row=row)
    except ValueError as error:
        return Problem(str(error))


def attribute_columns(plan, cells):
    """[(setter, values)] for the setters of model fields: the column as read, with the
    related row's primary key for a foreign key (None where a cell did not read)."""
    columns = []
    for setter, column in zip(plan.setters, cells):
        if setter.relation:
            column = [None if v is None or v.__class__ is Problem else v.pk for v in column]
        if setter.attname:
            columns.append((setter, column))
    return columns


def field_checks(model, columns, chosen):
    """(model field, column, allowed choices or None) for every field a row can set;
    `chosen`: the attributes read by a ChoiceWidget, whose choices are valid already."""
    checks = []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        choices = None
        if model_field.choices and model_field.name not in chosen:
            choices = {value for value, _label in model_field.flatchoices}
        if model_field.blank and choices is None and not (model_field.max_length and not model_field.is_relation):
            continue  # nothing a row could get wrong here
        checks.append((model_field, columns.get(model_field.name, model_field.name), choices))
    return checks


def check_columns(plan, attributes, count):
    """{row index: {column: [message]}} from the field checks, a column at a time — for
    new rows whose cells all read, in the order the checks would find them row by row."""
    by_attname = {setter.attname: values for setter, values in attributes}
    errors = {}
    for model_field, column, choices in plan.checks:
        values = by_attname.get(model_field.attname)
        if values is None:  # not in the file: the default, the same in every new row
            message = field_message(model_field, plan.defaults.get(model_field.attname), choices)
            failing = [(i, message) for i in range(count)] if message else []
        else:
            failing = _failing(model_field, values, choices)
        for index, message in failing:
            row_errors = errors.setdefault(index, {})
            if column not in row_errors:
                row_errors[column] = [message]
    return errors


def field_message(field, value, choices):
    """What is wrong with `value` for `field` (required, one of its choices, its length),
    or None."""
    if value is None or value == "":
        return None if field.blank else _("This field is required.")
    if choices is not None and value not in choices:
        return _("“%(value)s” is not one of: %(allowed)s.") % {
            "value": value,
            "allowed": ", ".join(sorted(map(str, choices))),
        }
    if field.max_length and isinstance(value, str) and len(value) > field.max_length:
        return _("At most %(limit)d characters (it has %(length)d).") % {"limit": field.max_length, "length": len(value)}
    return None


def _failing(field, values, choices):
    """[(index, message)] of the values `field_message` finds wrong. Each rule first asks
    the whole column (does it hold a blank, a value outside the choices, a text too
    long?) and looks at the rows one by one only when it does."""
    suspects = set()
    if not field.blank and ("" in values or None in values):
        suspects.update(i for i, v in enumerate(values) if v is None or v == "")
    if choices is not None:
        try:
            outside = set(values) - choices - {None, ""}
        except TypeError:  # unhashable values: each is looked at
            outside = True
        if outside:
            suspects.update(range(len(values)))
    if field.max_length:
        limit, types = field.max_length, set(map(type, values))
        if all(issubclass(t, str) for t in types):
            too_long = max(map(len, values), default=0) > limit
        else:
            too_long = any(issubclass(t, str) for t in types)
        if too_long:
            suspects.update(i for i, v in enumerate(values) if isinstance(v, str) and len(v) > limit)
    return [(i, m) for i in sorted(suspects) if (m := field_message(field, values[i], choices))]


def model_field_of(model, attribute):
    try:
        return model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return None


def assign(instance, setter, value):
    """Set a cleaned value the way the model's descriptors would, without their cost."""
    if setter.attname is None:
        setattr(instance, setter.resource_field.attribute, value)
    elif setter.relation:
        instance.__dict__[setter.attname] = None if value is None else value.pk
        if value is None:
            instance._state.fields_cache.pop(setter.relation, None)
        else:
            instance._state.fields_cache[setter.relation] = value
    else:
        instance.__dict__[setter.attname] = value
