"""Benchmark (not a test): the tracker's XLSX and ODS writers against the alternatives.

    .venv/bin/python scripts/benchmark_xlsx.py --rows 100000

Every writer gets the same tablib Dataset of N synthetic rows shaped like the projects
export (16 columns: text in Russian and English, one formula-like text in a hundred,
dates, amounts, booleans, empty cells) and writes it to memory, each in a process of
its own so that the peak memory is its own. Printed per writer: seconds, rows/s, the
process's peak resident memory and how much of it writing added, and the time relative
to ours. The writers:

  ours              tracker.spreadsheets.formats.XLSX().export_data (writers.write_xlsx)
  openpyxl          a plain openpyxl write-only workbook (values appended, nothing else)
  tablib            tablib's own xlsx export (an ordinary openpyxl workbook)
  before            the tracker's writer before: openpyxl, reading sheet[sheet.max_row]
                    after each row (quadratic, so run on --before-rows rows only)
  ours-ods, tablib-ods   the same for ODS (tablib's on --tablib-ods-rows rows only)
"""

import argparse
import datetime
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADERS = [
    "reference", "region", "title_ru", "title_en", "location", "sector", "announced_on",
    "announced_precision", "amount", "currency", "first_cycle", "status", "basis", "disputed",
    "public_note_ru", "public_note_en",
]


def dataset(rows, seed=1):
    import tablib

    pick = random.Random(seed)
    data = tablib.Dataset(headers=HEADERS, title="projects")
    for n in range(rows):
        data.append([
            f"AMU-{n:06d}", "RU-AMU", f"Мост через Амур, очередь {n}", f"Amur bridge, stage {n}",
            pick.choice(["Благовещенск", "Хэйхэ", ""]), pick.choice(["transport", "energy", "agriculture"]),
            datetime.date(2015 + n % 10, 1 + n % 12, 1), pick.choice(["day", "month", "quarter", "year"]),
            Decimal(pick.randrange(1, 10**9)) / 100 if n % 3 else None, "USD" if n % 3 else "",
            pick.choice(["I", "II", "III"]), pick.choice(["announced", "launched", "stalled"]),
            pick.choice(["report", "silence", ""]), n % 7 == 0,
            "=HYPERLINK(\"http://example.org\")" if n % 100 == 0 else "Примечание",
            pick.choice(["A note", "", "-minus first"]),
        ])
    return data


def _before(data):
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = data.title
    sheet.append(list(data.headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in data:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _openpyxl(data):
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(data.title)
    sheet.append(list(data.headers))
    for row in data:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def writers():
    from tracker.spreadsheets.formats import ODS, XLSX

    return {
        "ours": XLSX().export_data,
        "openpyxl": _openpyxl,
        "tablib": lambda data: data.export("xlsx"),
        "before": _before,
        "ours-ods": ODS().export_data,
        "tablib-ods": lambda data: data.export("ods"),
    }


def _resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure(writer, rows):
    """Run in a process of its own: the figures of one writer, as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    data = dataset(rows)
    write = writers()[writer]
    before = _resident_mb()
    start = time.perf_counter()
    content = write(data)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # kB on Linux
    return {"writer": writer, "rows": rows, "seconds": seconds, "bytes": len(content), "peak_mb": peak,
            "added_mb": max(peak - before, 0)}


def run(writer, rows):
    command = [sys.executable, __file__, "--one", writer, "--rows", str(rows)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--before-rows", type=int, default=8_000, help="rows for the quadratic writer")
    parser.add_argument("--tablib-ods-rows", type=int, default=10_000, help="rows for tablib's ODS export")
    parser.add_argument("--writers", default="ours,openpyxl,tablib,before,ours-ods,tablib-ods")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.rows)))
        return
    limits = {"before": args.before_rows, "tablib-ods": args.tablib_ods_rows}
    results = []
    for writer in args.writers.split(","):
        rows = min(args.rows, limits.get(writer, args.rows))
        results.append(run(writer, rows))
        if writer != "ours" and rows != args.rows and "ours" in args.writers:
            results.append(run("ours" if "ods" not in writer else "ours-ods", rows))
    print(f"{'writer':12} {'rows':>8} {'seconds':>8} {'rows/s':>9} {'MB file':>8} {'MB peak':>8} {'MB added':>9} {'× ours':>7}")
    for result in results:
        ours = next(r for r in results if r["writer"] == ("ours-ods" if "ods" in result["writer"] else "ours")
                    and r["rows"] == result["rows"])
        print(
            f"{result['writer']:12} {result['rows']:8} {result['seconds']:8.2f} {result['rows'] / result['seconds']:9.0f} "
            f"{result['bytes'] / 1e6:8.1f} {result['peak_mb']:8.0f} {result['added_mb']:9.0f} "
            f"{result['seconds'] / ours['seconds']:7.1f}"
        )


if __name__ == "__main__":
    main()
