"""The error a whole file gets when it cannot be read."""


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (not a spreadsheet, too big, hostile…)."""
