"""The bulk import's cells, a column at a time: each column of a file is read by its
widget once — a value repeated down the column (a project's reference, a date, a choice)
only once; the fields' own checks then go a column at a time too (`bulk_checks`).

Rows whose cells all read are then filled from these values; the others (a cell that
cannot be read or is cleared, a row that updates a record) go cell by cell, through
`assign`. Also here: what the bulk path keeps about a file (`Plan`) and its rows
(`Batch`).
"""

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist

from .widgets import (
    CLEAR,
    BooleanWidget,
    ChoiceWidget,
    CycleWidget,
    DateWidget,
    KeyWidget,
    NumeralWidget,
    TextWidget,
)
from .amounts import DecimalWidget, IntegerWidget

#: Widgets whose `clean` depends on the cell's text alone, so that each distinct text of
#: a column is read once (exact types: a subclass may read the row as well) — or on it
#: and the cells of the columns its `row_columns` names (an amount and its currency).
PURE_WIDGETS = {
    TextWidget, DateWidget, DecimalWidget, IntegerWidget, BooleanWidget, ChoiceWidget,
    CycleWidget, NumeralWidget, KeyWidget,
}


class Problem:
    """A cell that is not a value: one that cannot be read (`message`), or `CLEARED`.
    `covers`: the other columns of the row the message speaks for (widgets.CellError)."""

    __slots__ = ("message", "covers")

    def __init__(self, message, covers=()):
        self.message = message
        self.covers = covers


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
    checks: list  # bulk_checks.FieldCheck, one per model field
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
        widget = setter.resource_field.widget
        if type(widget) in PURE_WIDGETS and set(map(type, raws)) == {str}:
            row_columns = getattr(widget, "row_columns", ())
            if row_columns:
                also = [raw_columns[c] for c in row_columns if c in raw_columns]
                column = _read_with_row(clean, raws, rows, also)
            else:
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


def _read_with_row(clean, raws, rows, also):
    """A column whose cells are read with other cells of their row (`also`: those
    columns, as far as the file has them): each distinct combination once."""
    memo, column = {}, []
    for key, row in zip(zip(raws, *also), rows):
        try:
            value = memo[key]
        except KeyError:
            value = memo[key] = read_cell(clean, key[0], row)
        column.append(value)
    return column


def read_cell(clean, raw, row):
    if raw.__class__ is str and raw[:1] == "(" and raw.strip().lower() == CLEAR:
        return CLEARED
    try:
        return clean(raw, row=row)
    except ValueError as error:
        return Problem(str(error), getattr(error, "covers", ()))


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
