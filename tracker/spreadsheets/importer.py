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
    column: str
    message: str

    def __str__(self):
        values = {"dataset": self.dataset, "row": self.row, "column": self.column, "message": self.message}
        if self.column:
            return _("%(dataset)s, row %(row)s, column “%(column)s”: %(message)s") % values
        return _("%(dataset)s, row %(row)s: %(message)s") % values


@dataclass
class ImportReport:
    counts: dict = field(default_factory=dict)  # dataset -> {"new": n, "update": n, ...}
    problems: list = field(default_factory=list)

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


def _problems(name, result, dataset):
    known = set(dataset.headers)
    problems = []
    for error in result.base_errors:
        problems.append(RowProblem(name, 0, "", str(error.error)))
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(RowProblem(name, number + 1, "", plain_message(error.error)))
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                label = column if column in known or column != "__all__" else ""
                problems.append(RowProblem(name, invalid.number + 1, label, str(message)))
    return problems


def check_headers(name, dataset, resource):
    return [RowProblem(name, 1, column, message) for column, message in resource.header_problems(dataset)]


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
            report.problems += _problems(name, result, dataset)
            if report.problems:
                break  # later files refer to this one; their errors would only echo it
        if dry_run or report.problems:
            transaction.set_rollback(True)
    return report
