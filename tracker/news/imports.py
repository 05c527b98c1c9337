"""News items read from a spreadsheet (CSV, XLSX, ODS, as the rest of the tracker reads
them: tracker/spreadsheets/formats.py): a `text` column, optional `date`, `source`, `url`
and `id` (or their Russian headers «текст», «дата», «источник», «ссылка»). Every problem
names its row and column; a file with any problem imports nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.models import NewsItem
from tracker.spreadsheets.formats import SpreadsheetError, read_dataset, spreadsheet_row
from tracker.spreadsheets.widgets import DateWidget, fold

from . import text as texts

COLUMNS = {
    "text": ["text", "текст", "новость", "news"],
    "date": ["date", "дата", "occurred_on"],
    "source": ["source", "источник", "source_name", "издание"],
    "url": ["url", "ссылка", "адрес", "link"],
    "id": ["id", "номер", "№"],
}


@dataclass
class Row:
    number: int  # as the spreadsheet program shows it
    id: str
    text: str
    date: object = None
    source: str = ""
    url: str = ""


def columns_of(headers):
    """{column code: index} of the columns this reader knows."""
    found = {}
    for index, header in enumerate(headers):
        name = fold(str(header or ""))
        for code, names in COLUMNS.items():
            if name in names and code not in found:
                found[code] = index
    return found


def _cell(values, columns, code):
    index = columns.get(code)
    value = values[index] if index is not None and index < len(values) else None
    return "" if value is None else value


def _problem(filename, row, column, message):
    return _("“%(filename)s”, row %(row)s, column “%(column)s”: %(message)s") % {
        "filename": filename, "row": row, "column": column, "message": message,
    }


def _read_row(filename, headers, columns, values, number):
    """(Row, problems) of one data row."""
    problems, cell = [], lambda code: _cell(values, columns, code)
    try:
        plain = texts.checked(str(cell("text")))
    except ValidationError as error:
        plain = ""
        problems.append(_problem(filename, number, headers[columns["text"]], error.messages[0]))
    row = Row(number, str(cell("id")).strip() or str(number), plain, source=str(cell("source")).strip()[:300])
    try:
        row.date = DateWidget().clean(cell("date"))
    except ValueError as error:
        problems.append(_problem(filename, number, headers[columns["date"]], str(error)))
    row.url = str(cell("url")).strip()
    if row.url:
        try:
            URLValidator(schemes=["http", "https"])(row.url)
        except ValidationError:
            problems.append(_problem(filename, number, headers[columns["url"]], _("“%(url)s” is not a web address.") % {"url": row.url[:100]}))
    return row, problems


def read_rows(content, filename):
    """(rows, problems): every row of the file, and what is wrong with any of them. A file
    that cannot be read at all, or has no `text` column, is one problem and no rows."""
    try:
        dataset = read_dataset(content, filename)
    except SpreadsheetError as error:
        return [], [str(error)]
    headers = list(dataset.headers or [])
    columns = columns_of(headers)
    if "text" not in columns:
        shown = ", ".join(f"“{h}”" for h in headers if h) or _("none")
        return [], [_("“%(filename)s” has no column “text” (its columns: %(columns)s); the news items’ text goes in a column headed “text” or «текст».") % {"filename": filename, "columns": shown}]
    rows, problems = [], []
    for index, values in enumerate(dataset):
        row, wrong = _read_row(filename, headers, columns, list(values), spreadsheet_row(dataset, index))
        rows.append(row)
        problems += wrong
    if not rows and not problems:
        problems.append(_("“%(filename)s” holds no news items.") % {"filename": filename})
    return rows, problems


def import_rows(rows):
    """Add each row to the inbox, all in one transaction; returns the items."""
    with transaction.atomic():
        items = []
        for row in rows:
            item = NewsItem(text=row.text, language=texts.language(row.text), occurred_on=row.date,
                            source_name=row.source, url=row.url)
            item.save()
            items.append(item)
        return items
