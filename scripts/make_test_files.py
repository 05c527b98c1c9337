#!/usr/bin/python3
"""Remake the spreadsheets in tests/files/ whose names start with ``lo_ru_``: files made
and saved by LibreOffice Calc in a Russian locale, as an editor's LibreOffice saves them.

    /usr/bin/python3 scripts/make_test_files.py            # from the project's folder

It needs LibreOffice Calc and its Python bridge (Debian: ``apt-get install
libreoffice-calc-nogui python3-uno``; the bridge belongs to the system's Python, hence
/usr/bin/python3) and the project's virtualenv in .venv. The tests read the files as they
are committed and never start LibreOffice.

How the files are made:

* LibreOffice runs headless with a profile of its own (``-env:UserInstallation``) whose
  settings set the locale to ru-RU (Tools ▸ Options ▸ Language settings ▸ Locale setting:
  Russian), so it writes booleans as ИСТИНА/ЛОЖЬ, dates as 01.06.2025 and amounts in
  roubles as «1 500 000,50 ₽» (non-breaking spaces between the thousands), as a Russian
  Calc does.
* ``lo_ru_roundtrip_projects.{xlsx,ods,csv}``: the seed data is loaded into a scratch
  SQLite database (``migrate``, ``loadseeds``), the projects are exported with
  ``manage.py exportdata projects --format xlsx``, the file is opened in Calc, every row
  but those of Kemerovo and Sakhalin oblasts (RU-KEM, RU-SAK) is deleted, and the sheet is
  saved as XLSX (“Excel 2007-365”), ODS and CSV (“Text CSV”: UTF-8, “;”, text in quotes
  where needed, cell contents as shown). Opening and saving a file in Calc by hand, with
  the same deletions, gives the same cells.
* ``lo_ru_roundtrip_projects_labels.{xlsx,ods,csv}``: the same, from the export headed
  by the Russian column labels, with choices in words (``exportdata projects --headers
  labels --language ru``), as the admin exports it in Russian.
* The other files are typed into new sheets through the same bridge; each entry of
  ``FILES`` below says what it holds (headers are the projects' Russian column labels,
  asked of the project itself) and the formats it is saved in. CSV filter options:
  field separator, text delimiter (34 = "), character set (76 UTF-8, 34 Windows-1251,
  1 Windows-1252, 65535 UTF-16), first line, -, language, quoted fields as text,
  detect special numbers, save cell contents as shown, export formulas, remove spaces.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.lang import Locale

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUSSIAN = Locale("ru", "RU", "")
ROUNDTRIP_REGIONS = ("RU-KEM", "RU-SAK")
NBSP = "\u00a0"

PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>ru-RU</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>ru-RU</value></prop></item>
</oor:items>
"""

XLSX = ("xlsx", "Calc MS Excel 2007 XML", None)
ODS = ("ods", "calc8", None)


def csv_filter(separator=";", charset=76, extension="csv"):
    """“Text CSV” of the first sheet as Calc's dialog saves it (cell contents as shown)."""
    options = f"{ord(separator)},34,{charset},1,,0,false,true,true,false,false"
    return (extension, "Text - txt - csv (StarCalc)", options)


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


# -- the project's side: seed data, its export and its column labels ----------------------


def project(*args, scratch):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{scratch}/seeds.sqlite3")
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def export_seed_projects(scratch):
    project("migrate", "-v0", scratch=scratch)
    project("loadseeds", "--no-releases", scratch=scratch)
    codes, labels = Path(scratch) / "projects.xlsx", Path(scratch) / "projects-labels.xlsx"
    project("exportdata", "projects", "--format", "xlsx", "-o", str(codes), scratch=scratch)
    project("exportdata", "projects", "--format", "xlsx", "--headers", "labels", "--language", "ru",
            "-o", str(labels), scratch=scratch)
    return codes, labels


def russian_labels(scratch):
    code = (
        "import json; from django.utils import translation; "
        "from tracker.spreadsheets.resources import DATASETS\n"
        "with translation.override('ru'):\n"
        "    print(json.dumps({n: {c: R.column_label(c) for c in R.column_codes()} for n, R in DATASETS.items()}))"
    )
    return json.loads(project("shell", "-c", code, scratch=scratch).strip().splitlines()[-1])


# -- LibreOffice ------------------------------------------------------------------------


class Office:
    def __init__(self, profile):
        (Path(profile) / "user").mkdir(parents=True, exist_ok=True)
        (Path(profile) / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS)
        self.process = subprocess.Popen([
            "soffice", "--headless", "--invisible", "--norestore", "--nologo",
            f"-env:UserInstallation=file://{profile}",
            "--accept=socket,host=127.0.0.1,port=2083;urp;",
        ])
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                context = resolver.resolve("uno:socket,host=127.0.0.1,port=2083;urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            sys.exit("LibreOffice did not start")
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def new(self):
        return self.desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))

    def open(self, path):
        return self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(path)), "_blank", 0, (prop("Hidden", True),))

    def close(self):
        try:
            self.desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office
        self.process.wait(timeout=60)


def save(document, name, formats):
    for extension, filter_name, options in formats:
        path = FILES / f"{name}.{extension}"
        properties = [prop("FilterName", filter_name), prop("Overwrite", True)]
        if options:
            properties.append(prop("FilterOptions", options))
        document.storeToURL(uno.systemPathToFileUrl(str(path)), tuple(properties))
        print(path.relative_to(ROOT))


def number_format(document, code):
    formats = document.NumberFormats
    key = formats.queryKey(code, RUSSIAN, False)
    return key if key != -1 else formats.addNew(code, RUSSIAN)


def fill(document, sheet, rows):
    """Type rows into a sheet: text, numbers, booleans (ИСТИНА/ЛОЖЬ cells), dates
    (DD.MM.YYYY cells) and amounts in roubles (Rub(value) — «1 500 000,50 ₽» cells)."""
    boolean = document.NumberFormats.getStandardFormat(1024, RUSSIAN)  # NumberFormat.LOGICAL
    date = number_format(document, "DD.MM.YYYY")
    roubles = number_format(document, '# ##0,00 [$₽-419];-# ##0,00 [$₽-419]')
    for y, row in enumerate(rows):
        for x, value in enumerate(row):
            cell = sheet.getCellByPosition(x, y)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                cell.setValue(1 if value else 0)
                cell.NumberFormat = boolean
            elif isinstance(value, Rub):
                cell.setValue(float(value.amount))
                cell.NumberFormat = roubles
            elif isinstance(value, datetime.date):
                cell.setValue(float((value - datetime.date(1899, 12, 30)).days))
                cell.NumberFormat = date
            elif isinstance(value, (int, float)):
                cell.setValue(float(value))
            else:
                cell.setString(value)


class Rub:
    def __init__(self, amount):
        self.amount = amount


def sheet_named(document, name, position=0):
    sheets = document.Sheets
    if position == 0:
        sheet = sheets.getByIndex(0)
        sheet.Name = name
        return sheet
    sheets.insertNewByName(name, position)
    return sheets.getByName(name)


# -- the files ----------------------------------------------------------------------------


def roundtrip(office, export, name, region_header):
    document = office.open(export)
    sheet = document.Sheets.getByIndex(0)
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    last = cursor.RangeAddress.EndRow
    header = [sheet.getCellByPosition(x, 0).String for x in range(cursor.RangeAddress.EndColumn + 1)]
    region = header.index(region_header)
    for y in range(last, 0, -1):
        if sheet.getCellByPosition(region, y).String not in ROUNDTRIP_REGIONS:
            sheet.Rows.removeByIndex(y, 1)
    save(document, name, [XLSX, ODS, csv_filter()])
    document.close(True)


def make(office, name, formats, sheets, merge=()):
    """sheets: [(sheet name, rows)], the first sheet first; merge: ranges of the last sheet."""
    document = office.new()
    for position, (title, rows) in enumerate(sheets):
        sheet = sheet_named(document, title, position)
        fill(document, sheet, rows)
    for cells in merge:
        sheet.getCellRangeByName(cells).merge(True)
    save(document, name, formats)
    document.close(True)


def build(office, labels):
    ru = labels["projects"]
    heads = lambda *codes: [ru[c] for c in codes]  # noqa: E731
    project_codes = ("reference", "region", "title_ru", "title_en", "sector", "announced_on",
                     "announced_precision", "amount", "currency", "first_cycle")
    good_rows = [
        [f"KEM-901{NBSP}", "RU-KEM", f"Угольный терминал{NBSP}", f"Coal terminal {NBSP}", "transport",
         datetime.date(2025, 6, 1), "day", Rub(1500000.5), "RUB", "III"],
        ["KEM-902", "Кемеровская область", "Завод «Ёлка»", "Yolka plant", "machinery",
         datetime.date(2024, 3, 15), "day", Rub(2400000000), "RUB", "II"],
    ]
    instructions = [["Как заполнять"], ["Одна строка — один проект; даты — ДД.ММ.ГГГГ."]]

    # A workbook whose data is on its second sheet, «Проекты», headed by Russian labels;
    # dates and amounts are typed cells, texts end in non-breaking spaces.
    make(office, "lo_ru_projects_workbook", [XLSX, ODS],
         [("Инструкция", instructions), ("Проекты", [heads(*project_codes), *good_rows])])

    # The same sheet saved as CSV as shown: «01.06.2025», «1 500 000,50 ₽»; the third row's
    # amount is in roubles while its currency column says USD.
    wrong = ["KEM-903", "RU-KEM", "Склад", "Warehouse", "logistics", datetime.date(2025, 7, 1),
             "day", Rub(1000), "USD", "III"]
    make(office, "lo_ru_projects_as_shown", [csv_filter()],
         [("Проекты", [heads(*project_codes), *good_rows, wrong])])

    # Booleans: a Russian Calc writes ИСТИНА/ЛОЖЬ in CSV, real booleans in XLSX and ODS.
    regions = [["iso_code", "borders_china"], ["RU-AMU", False], ["RU-KEM", True]]
    make(office, "lo_ru_regions_booleans", [csv_filter(), XLSX, ODS], [("regions", regions)])

    # Blank rows in the middle: the bad region is on row 5 as the spreadsheet shows it.
    codes = ["reference", "region", "title_ru", "title_en", "sector", "first_cycle"]
    blank = [codes, ["KEM-911", "RU-KEM", "Мост", "Bridge", "transport", "III"], [], [],
             ["KEM-912", "Атлантида", "Порт", "Port", "logistics", "III"]]
    make(office, "lo_ru_blank_rows", [csv_filter(), XLSX, ODS], [("projects", blank)])

    # A region merged over rows 2 and 3 (B2:B3): row 3's region cell is covered.
    merged = [codes, ["KEM-921", "RU-KEM", "Мост", "Bridge", "transport", "III"],
              ["KEM-922", "", "Порт", "Port", "logistics", "III"]]
    make(office, "lo_ru_merged_cells", [XLSX, ODS], [("projects", merged)], merge=["B2:B3"])

    # The same reference on rows 2 and 4.
    duplicate = [codes, ["KEM-931", "RU-KEM", "Мост", "Bridge", "transport", "III"],
                 ["KEM-932", "RU-KEM", "Порт", "Port", "logistics", "III"],
                 ["KEM-931", "RU-KEM", "Склад", "Warehouse", "logistics", "III"]]
    make(office, "lo_ru_duplicate_reference", [csv_filter()], [("projects", duplicate)])

    # A column the dataset does not read («Комментарий»), beside columns it does.
    unused = [[ru["reference"], ru["title_ru"], "Комментарий"], ["KEM-006", "Новое название", "проверить"]]
    make(office, "lo_ru_unused_column", [XLSX], [("Проекты", unused)])

    # Nothing but the key column and a column the dataset does not read.
    key_only = [[ru["reference"], "Комментарий"], ["KEM-006", "проверить"], ["KEM-007", "есть"]]
    make(office, "lo_ru_key_only", [csv_filter()], [("Проекты", key_only)])

    # An evidence file, which an editor uploads as projects.
    ev = labels["evidence"]
    evidence = [[ev[c] for c in ("reference", "project", "cycle", "date", "kind", "summary_ru", "source")],
                ["KEM-006-E9", "KEM-006", "III", datetime.date(2025, 9, 1), "follow_up", "Стройка идёт", "Рейтинг"]]
    make(office, "lo_ru_evidence", [XLSX], [("Доказательства", evidence)])

    # Text encodings: “Unicode text” (UTF-16, tabs), Windows-1251 with “;”,
    # Windows-1252 with “,”.
    texts = [codes, ["KEM-941", "RU-KEM", "Канатная дорога через Томь", "Cable car", "transport", "III"],
             ["KEM-942", "RU-KEM", "Шахта «Северная»", "Severnaya mine", "mining", "III"]]
    make(office, "lo_ru_unicode_text", [csv_filter("\t", 65535, extension="txt")], [("projects", texts)])
    make(office, "lo_ru_cp1251", [csv_filter(";", 34)], [("projects", texts)])
    western = [["name", "name_en", "country", "kind"],
               ["Société Générale", "Société Générale", "FR", "bank_fund"],
               ["Zürcher Kantonalbank", "Zürcher Kantonalbank", "CH", "bank_fund"],
               ["Banco Español de Crédito", "Banco Español de Crédito", "ES", "bank_fund"]]
    make(office, "lo_western_cp1252", [csv_filter(",", 1)], [("organizations", western)])


def main():
    if not shutil.which("soffice"):
        sys.exit("LibreOffice (soffice) is not installed")
    scratch = tempfile.mkdtemp(prefix="make-test-files-")
    try:
        codes, labelled = export_seed_projects(scratch)
        labels = russian_labels(scratch)
        office = Office(Path(scratch) / "profile")
        try:
            roundtrip(office, codes, "lo_ru_roundtrip_projects", "region")
            roundtrip(office, labelled, "lo_ru_roundtrip_projects_labels", labels["projects"]["region"])
            build(office, labels)
        finally:
            office.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
