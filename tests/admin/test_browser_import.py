"""Importing long project files through the admin in Debian's chromium, driven by
Playwright: upload, preview, confirm, the rows and the history — and a preview that fits
a 1366-px screen."""

import os
import shutil

import pytest

from tests.factories import make_cycle
from tracker.models import Project
from tracker.spreadsheets.importer import import_datasets, read_dataset

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run).")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")

PASSWORD = "a-long-editor-password"
HEADER = "reference;region;title_ru;title_en;location;sector;amount;currency;first_cycle;note\n"
LONG = "Строительство " + "очень " * 60 + "длинного моста"


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the live
    # server makes happen in its own thread, and the test's own setup runs first.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, roles):
    from django.contrib.auth.models import User

    user = User.objects.create_user("anna", password=PASSWORD, is_staff=True)
    user.groups.add(roles[0])
    context = browser.new_context(locale="ru-RU", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    yield page
    context.close()


def line(n, title):
    return f"AMU-{n:05d};RU-AMU;{title};Bridge {n};Благовещенск;transport;1 500 000,50;RUB;IV;\n"


def existing_projects(count):
    """`count` projects already in the open cycle, imported as the system would."""
    content = (HEADER + "".join(line(n, f"Старое {n}") for n in range(count))).encode()
    report = import_datasets([("projects", read_dataset(content, "before.csv"))])
    assert report.ok, report.problems


def fits_the_screen(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the page is {width} px wide"


@pytest.mark.parametrize("new, changed", [(200, 50), (4000, 1000)])
def test_a_long_file_imports_through_the_admin(live_server, page, region, cycles, tmp_path, new, changed):
    make_cycle(4)  # the open cycle
    existing_projects(changed)
    rows = [line(n, LONG if n % 97 == 0 else f"Мост {n}") for n in range(new + changed)]
    path = tmp_path / "projects.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")

    page.goto(f"{live_server.url}/admin/tracker/project/import/")
    page.set_input_files("#id_import_file", str(path))
    page.click("input[type=submit]")
    page.wait_for_selector("table.import-preview")
    counts = page.locator(".import-counts").inner_text()
    assert f"{new} " in counts and f"{changed} " in counts
    header = page.locator("table.import-preview thead").text_content()
    assert "Название (на русском)" in header and "title_ru" not in header
    fits_the_screen(page)
    # The table scrolls in its own box, and the row numbers stay in view.
    box = page.locator(".import-box")
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    number = page.locator("table.import-preview tbody th.row-number").first
    assert number.inner_text() == "2"
    assert number.bounding_box()["x"] >= box.bounding_box()["x"] - 1
    assert Project.objects.count() == changed  # the preview writes nothing

    page.click("input[name=confirm]")
    page.wait_for_url("**/admin/tracker/project/")
    message = page.locator(".messagelist .success").inner_text()
    digits = message.replace("\xa0", "").replace("\u202f", "").replace(" ", "")
    assert "«projects.csv»" in message or "“projects.csv”" in message
    assert f":{new}" in digits and f",{changed}" in digits
    assert Project.objects.count() == new + changed
    assert Project.objects.get(reference="AMU-00001").title_ru == "Мост 1"
    assert Project.objects.get(reference="AMU-00000").title_ru == LONG

    created = Project.objects.get(reference=f"AMU-{new + changed - 1:05d}")
    page.goto(f"{live_server.url}/admin/tracker/project/{created.pk}/history/")
    history = page.locator("#change-history").inner_text()
    assert "anna" in history and f"Bridge {new + changed - 1}" in history
    page.goto(f"{live_server.url}/admin/")
    assert f"{created.reference} {created.title_ru}" in page.locator("#recent-actions-module").inner_text()


def test_the_problems_are_shown_beside_their_rows_and_fit_the_screen(live_server, page, region, cycles, tmp_path):
    make_cycle(4)
    rows = [line(n, LONG) for n in range(250)]
    rows[7] = rows[7].replace(";RU-AMU;", ";Атлантида;")
    path = tmp_path / "projects.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")

    page.goto(f"{live_server.url}/admin/tracker/project/import/")
    page.set_input_files("#id_import_file", str(path))
    page.click("input[type=submit]")
    page.wait_for_selector("table.import-problems")
    row = page.locator("table.import-problems tbody tr").first
    assert row.locator("th.row-number").inner_text() == "9"
    problem = row.locator("td.problems")
    assert problem.is_visible()
    assert "Регион" in problem.inner_text() and "Атлантида" in problem.inner_text()
    fits_the_screen(page)
    assert page.locator("input[name=confirm]").count() == 0
    assert not Project.objects.exists()
