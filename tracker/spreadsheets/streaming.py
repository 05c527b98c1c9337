"""CSV written as it is sent: the header, then rows a chunk at a time, with the same cells
as the CSV format's own writer (tracker/spreadsheets/formats.py), so a streamed download and
a file written whole are byte for byte the same."""

import csv
import io

from .formats import _csv_cell

CHUNK_ROWS = 1000


def csv_chunks(headers, rows):
    """The CSV file of `headers` and `rows` (an iterable of cell lists) as UTF-8 chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    first = True
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield _flush(buffer, writer, chunk, first)
            first, chunk = False, []
    yield _flush(buffer, writer, chunk, first)


def _flush(buffer, writer, chunk, first):
    writer.writerows([_csv_cell(v) for v in row] for row in chunk)
    text = ("\ufeff" if first else "") + buffer.getvalue()  # BOM: Excel opens UTF-8 correctly
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")
