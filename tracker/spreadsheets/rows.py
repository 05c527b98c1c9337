"""Rows as spreadsheet programs number them, and the cells of ODS sheets: what every
reader shares (formats.py). Blank rows are left out of a dataset but keep their numbers,
so that messages name the row the editor sees."""

import datetime
from decimal import Decimal

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import SpreadsheetError
from .limits import check_columns, too_many_rows

def rows_to_dataset(headers, rows, filename, first_row=2, numbers=None):
    """A tablib Dataset from a header and rows of cells, padded or cut to the header's
    width; headers wider than TRACKER_IMPORT_MAX_COLUMNS and files of more than
    TRACKER_IMPORT_MAX_ROWS rows are refused, before any row is read and as soon as the
    limit is passed.

    Blank rows are left out, but counted: `dataset.row_numbers` holds, for each data row,
    the number the spreadsheet program shows beside it (`first_row` for the first row
    read, or each row's own number from `numbers`).

    Filled directly rather than row by row through `Dataset.append`, which validates
    every row again and costs more than reading the file."""
    headers = list(headers)
    while headers and headers[-1] in ("", None):
        headers.pop()  # empty columns at the right, as spreadsheet programs often leave
    check_columns(headers, filename)
    width, limit = len(headers), settings.TRACKER_IMPORT_MAX_ROWS
    data, kept = [], []
    for count, row in enumerate(rows, 1):
        if count > limit:
            raise too_many_rows(filename)
        if len(row) != width:
            row = (list(row) + [""] * width)[:width]
        if any(cell not in ("", None) for cell in row):
            data.append(tablib.core.Row(row))
            kept.append(numbers[count - 1] if numbers is not None else first_row + count - 1)
    dataset = tablib.Dataset(headers=headers)
    dataset._data = data
    dataset.row_numbers = kept
    dataset.filename = filename
    return dataset


def spreadsheet_row(dataset, index):
    """The row number the spreadsheet program shows for data row `index` (0-based) of a
    dataset read from a file: the header is row 1 and blank rows count."""
    numbers = getattr(dataset, "row_numbers", None)
    if numbers is not None and 0 <= index < len(numbers):
        return numbers[index]
    return index + 2


def header_of(rows):
    """(row number, cells) of the first row that is not blank; the rows before it are
    consumed. (0, None) for a file of blank rows."""
    for number, row in enumerate(rows, 1):
        if row and any(cell not in ("", None) for cell in row):
            return number, row
    return 0, None


def has_rows(rows):
    return header_of(rows)[1] is not None


def merged_cells(filename, sheet, ranges):
    """The refusal of a sheet with merged cells: which value would each cell hold?"""
    shown = ", ".join(ranges[:10]) + (" …" if len(ranges) > 10 else "")
    values = {"filename": filename, "sheet": sheet, "cells": shown}
    if sheet:
        message = _("“%(filename)s”, sheet “%(sheet)s”, has merged cells %(cells)s: unmerge them and fill in each cell, then import the file again.")
    else:
        message = _("“%(filename)s” has merged cells %(cells)s: unmerge them and fill in each cell, then import the file again.")
    return SpreadsheetError(message % values)


def column_letter(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def ods_has_data(table, row_type):
    for row in table.getElementsByType(row_type):
        if any(cell not in ("", None) for cell in ods_row(row)):
            return True
    return False


def ods_text(node):
    """A cell's text as LibreOffice shows it: paragraphs on separate lines, <text:s/>
    as spaces, tabs and line breaks kept."""
    from odf.namespaces import TEXTNS

    parts = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif child.qname == (TEXTNS, "s"):
            parts.append(" " * int(child.attributes.get((TEXTNS, "c"), 1)))
        elif child.qname == (TEXTNS, "tab"):
            parts.append("\t")
        elif child.qname == (TEXTNS, "line-break"):
            parts.append("\n")
        else:
            parts.append(ods_text(child))
    return "".join(parts)


def ods_value(cell):
    from odf.namespaces import OFFICENS, TEXTNS

    attributes = cell.attributes
    kind = attributes.get((OFFICENS, "value-type"))
    if kind in ("float", "percentage", "currency"):
        number = Decimal(attributes.get((OFFICENS, "value"), "0"))
        return int(number) if number == number.to_integral() else float(number)
    if kind == "date":
        value = attributes.get((OFFICENS, "date-value"), "")
        return datetime.datetime.fromisoformat(value).date() if "T" not in value else datetime.datetime.fromisoformat(value)
    if kind == "boolean":
        return attributes.get((OFFICENS, "boolean-value")) == "true"
    paragraphs = [ods_text(p) for p in cell.childNodes if p.qname == (TEXTNS, "p")]
    return "\n".join(paragraphs)


def ods_row(row, number=0, merged=None):
    """The cells of an ODS row; cells spanning several columns or rows are added to
    `merged` as ranges (“B5:C5”), when given."""
    from odf.namespaces import TABLENS

    cells = []
    for cell in row.childNodes:
        if cell.qname[1] not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
        if merged is not None and cell.qname[1] == "table-cell":
            across = int(cell.attributes.get((TABLENS, "number-columns-spanned"), 1))
            down = int(cell.attributes.get((TABLENS, "number-rows-spanned"), 1))
            if across > 1 or down > 1:
                first = column_letter(len(cells) + 1)
                last = column_letter(len(cells) + across)
                merged.append(f"{first}{number}:{last}{number + down - 1}")
        value = ods_value(cell)
        cells.extend([value] * min(repeat, 1024))
    while cells and cells[-1] in ("", None):
        cells.pop()
    return cells
