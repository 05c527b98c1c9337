"""End to end in Debian's chromium, driven by Playwright, against a live server."""

import csv
import io
import os
import shutil

import pytest

from tests.factories import add_evidence, make_project, make_rating, make_source
from tracker.models import Evidence
from tracker.status import history

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run).")
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


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
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="ru-RU")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def data(cycles, region):
    one, two, three = cycles
    make_rating(region, three, 9)
    source = make_source("Рейтинг, третий выпуск")
    bridge = make_project(region, one, reference="AMU-901", title_ru="Мост через Амур", title_en="Amur bridge", sector="transport")
    e = add_evidence(bridge, two, kind=Evidence.Kind.RESULT, source=source, summary="The bridge opened.")
    history.append_status_change(bridge, "launched", two, evidence=e)
    make_project(region, two, reference="AMU-002", title_ru="Угольный конвейер", title_en="Coal conveyor", sector="mining")
    make_project(region, three, reference="AMU-003", title_ru="Завод", title_en="Plant", sector="machinery")


def test_filtering_the_projects_list_changes_the_count(live_server, page, data):
    page.goto(f"{live_server.url}/projects/")
    count = page.locator(".count")
    assert count.inner_text().startswith("3")
    page.select_option("#id_sector", "mining")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**sector=mining**")
    assert page.locator(".count").inner_text().startswith("1")
    assert page.locator("tbody tr").count() == 1


def test_opening_a_project_shows_its_timeline(live_server, page, data):
    page.goto(f"{live_server.url}/projects/")
    page.click("text=AMU-901")
    page.wait_for_url("**/projects/AMU-901/")
    timeline = page.locator("ol.timeline")
    assert "The bridge opened." in timeline.inner_text()
    assert timeline.locator(".status-launched").count() == 1


def test_switching_the_language(live_server, page, data):
    page.goto(f"{live_server.url}/projects/AMU-002/")
    assert page.locator("h1").inner_text() == "Угольный конвейер"
    page.click("nav.language a[lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Coal conveyor"
    assert page.locator("html").get_attribute("lang") == "en"


def test_downloading_an_export_holds_the_filtered_rows(live_server, page, data):
    page.goto(f"{live_server.url}/projects/?sector=transport")
    with page.expect_download() as download_info:
        page.click(".exports a[href*='export=csv']:not([href*='headers'])")
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [r["reference"] for r in rows] == ["AMU-901"]


def test_an_editor_works_a_worklist_item_and_the_public_page_shows_it(live_server, page, cycles, region, roles):
    from django.contrib.auth.models import User

    from tests.factories import make_cycle

    make_cycle(4)  # the open cycle
    make_project(region, cycles[1], reference="AMU-050", title_ru="Зерновой терминал", title_en="Grain terminal")
    make_source("Regional news")
    user = User.objects.create_user("anna", password="a-long-editor-password", is_staff=True)
    user.groups.add(roles[0])

    page.goto(f"{live_server.url}/admin/login/?next=/admin/tracker/followup/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", "a-long-editor-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/followup/")
    assert "AMU-050" in page.locator("#result_list").inner_text()
    page.click("#result_list a.button")
    page.wait_for_url("**/review/")
    page.check("input[name=kind][value=result]")
    page.fill("#id_summary", "The terminal started shipping grain.")
    page.select_option("#id_source", label="Regional news")
    page.check("input[name=status][value=launched]")
    page.click("input[type=submit]")
    page.wait_for_url("**/followup/")  # the last one: back to the list
    assert "AMU-050" not in page.locator("#content").inner_text()

    page.goto(f"{live_server.url}/projects/AMU-050/")
    assert page.locator(".facts .status-launched").count() == 1
    assert "The terminal started shipping grain." in page.locator("ol.timeline").inner_text()
