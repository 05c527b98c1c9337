"""Reading spreadsheets people actually send, and importing them all-or-nothing.

One path serves the admin, the `importdata` command and `loadseeds`: read the bytes into a
tablib Dataset (`read_dataset`), then `import_datasets` runs the resources inside one
transaction and rolls everything back if any row of any file fails.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .formats import SpreadsheetError, read_dataset  # noqa: F401 (the import path's entry points)
from .resources import DATASETS

@dataclass
class RowProblem:
    dataset: str
    row: int
    column: str  # as the file heads it
    message: str
    filename: str = ""
    sheet: str = ""
    code: str = ""  # the column's code

    def dataset_title(self):
        """The dataset as the reader calls it (“проекты”); its code when it is not one."""
        resource_class = DATASETS.get(self.dataset)
        return str(resource_class._meta.model._meta.verbose_name_plural) if resource_class else self.dataset

    def __str__(self):
        values = {"dataset": self.dataset_title(), "row": self.row, "column": self.column, "message": self.message}
        if self.column:
            text = _("%(dataset)s, row %(row)s, column “%(column)s”: %(message)s") % values
        elif self.row:
            text = _("%(dataset)s, row %(row)s: %(message)s") % values
        else:
            text = _("%(dataset)s: %(message)s") % values
        return where(self.filename, self.sheet) + text


def where(filename, sheet=""):
    """The file (and the sheet of a workbook of several) a message is about, as its start."""
    if filename and sheet:
        return _("“%(filename)s”, sheet “%(sheet)s” — ") % {"filename": filename, "sheet": sheet}
    if filename:
        return _("“%(filename)s” — ") % {"filename": filename}
    return ""


@dataclass
class ImportReport:
    counts: dict = field(default_factory=dict)  # dataset -> {"new": n, "update": n, ...}
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # what is worth knowing but no error, as text

    @property
    def ok(self):
        return not self.problems


def _constraint_messages():
    from django.apps import apps

    messages = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            messages[constraint.name] = str(constraint.get_violation_error_message())
    messages["status_change_effective_in_cycle"] = _("The effective date is outside its cycle's period.")
    return messages


def plain_message(error):
    """A database error named after a constraint, told in the constraint's own words."""
    text = str(error)
    for name, message in _constraint_messages().items():
        if name in text:
            return message
    return text


def _problems(name, result, dataset, resource):
    """The result's problems, each with the row as the spreadsheet numbers it and the
    column as the file heads it."""
    filename, sheet = getattr(dataset, "filename", ""), getattr(dataset, "sheet", "")
    numbers = getattr(result, "row_numbers", None) or []

    def row(number):  # a data row counted from 1
        return numbers[number - 1] if 0 < number <= len(numbers) else number + 1

    def problem(number, code, message):
        column = resource.written_header(dataset, code) if code else ""
        return RowProblem(name, number, column, message, filename, sheet, code)

    known = set(resource.column_codes()) | set(dataset.headers or [])
    problems = []
    for error in result.base_errors:
        problems.append(problem(0, "", resource.plain(plain_message(error.error))))
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(problem(row(number), "", resource.plain(plain_message(error.error))))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                code = column if column in known and column != "__all__" else ""
                problems.append(problem(row(invalid.number), code, resource.plain(message, code)))
    return problems


def check_headers(name, dataset, resource):
    filename, sheet = getattr(dataset, "filename", ""), getattr(dataset, "sheet", "")
    return [
        RowProblem(name, 1, column, message, filename, sheet)
        for column, message in resource.header_problems(dataset)
    ]


def notes_of(name, result, dataset):
    """The result's notes as lines naming their file."""
    start = where(getattr(dataset, "filename", ""), getattr(dataset, "sheet", "")) + f"{name}: "
    return [start + note for note in getattr(result, "notes", [])]


def import_datasets(named_datasets, *, dry_run=False, user=None, progress=None):
    """Import [(dataset_name, tablib.Dataset)] in order, all or nothing.

    Row numbers in problems count the header as row 1, as spreadsheet programs do.
    """
    report = ImportReport()
    with transaction.atomic():
        for name, dataset in named_datasets:
            resource = DATASETS[name](user=user)
            resource.progress = (progress or {}).get(name)
            header_problems = check_headers(name, dataset, resource)
            if header_problems:
                report.problems += header_problems
                break
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                use_transactions=True,
                raise_errors=False,
                rollback_on_validation_errors=True,
                collect_failed_rows=False,
            )
            report.counts[name] = dict(result.totals)
            report.notes += notes_of(name, result, dataset)
            report.problems += _problems(name, result, dataset, resource)
            if report.problems:
                break  # later files refer to this one; their errors would only echo it
        if dry_run or report.problems:
            transaction.set_rollback(True)
    return report
