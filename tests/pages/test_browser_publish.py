"""The publish flow end to end in Debian's chromium, driven by Playwright, against a live
server: a superuser publishes the open cycle from the admin, and the public release list
shows the release."""

import datetime
import os
import re
import shutil

import pytest

from tests.factories import add_evidence, make_cycle, make_project, make_rating, make_source
from tracker.models import Evidence, Release
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
    # As in test_browser.py: the sync API's event loop runs in this thread.
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
    context = browser.new_context(accept_downloads=True, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def open_cycle(cycles, region, settings, tmp_path):
    """Cycles I–III published; cycle IV holds a new project, a launch and its ratings."""
    settings.MEDIA_ROOT = tmp_path / "media"
    one, two, three = cycles
    make_rating(region, three, 9)
    source = make_source("Regional news")
    terminal = make_project(region, two, reference="AMU-102", title_ru="Зерновой терминал", title_en="Grain terminal")
    make_project(region, two, reference="AMU-103", title_ru="Соевый завод", title_en="Soy plant")  # not reviewed in IV
    four = make_cycle(4)
    make_project(region, four, reference="AMU-140", title_ru="Новый завод", title_en="New works")
    shipped = add_evidence(terminal, four, kind=Evidence.Kind.RESULT, occurred_on=datetime.date(2026, 9, 1), source=source, summary="Shipments began.")
    history.append_status_change(terminal, "launched", four, evidence=shipped)
    make_rating(region, four, 7)
    return four


def test_a_superuser_publishes_the_open_cycle_and_the_public_sees_the_release(live_server, page, open_cycle):
    from django.contrib.auth.models import User

    User.objects.create_superuser("boss", password="a-long-boss-password")
    assert page.goto(f"{live_server.url}/releases/IV/").status == 404

    page.goto(f"{live_server.url}/admin/login/?next=/admin/ratings/cycle/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-boss-password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/ratings/cycle/")

    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 4
    row = rows.filter(has_text="Edition 4")
    assert row.locator("a", has_text="release").count() == 0
    row.locator("a", has_text="Publish…").click()
    page.wait_for_url(f"**/admin/ratings/cycle/{open_cycle.pk}/publish/")

    content = page.locator("#content")
    text = content.inner_text()
    assert "Publishing cycle IV makes all of this public" in text
    for label, figure in (
        ("New projects", 1), ("Evidence rows", 1), ("Status changes", 1),
        ("Earlier announcements resolved", 1), ("Earlier announcements still unresolved", 1), ("Regions rated", 1),
    ):
        assert re.search(rf"{label}: {figure}\b", text), label
    assert "The worklist still lists 1 project as not reviewed in this cycle" in text
    assert "AMU-103" in text

    page.click("button[name=publish]")
    page.wait_for_url("**/admin/ratings/cycle/")
    success = page.locator("ul.messagelist li.success")
    assert success.inner_text() == "Cycle IV is published; its release is at /releases/IV/."
    row = page.locator("#result_list tbody tr").filter(has_text="Edition 4")
    assert row.locator("a", has_text="release").count() == 1
    assert row.locator("a", has_text="Publish…").count() == 0
    assert Release.objects.filter(cycle=open_cycle).exists()

    # The public, in a fresh context without the admin's session.
    public = page.context.browser.new_context(locale="en-US").new_page()
    public.goto(f"{live_server.url}/releases/")
    table = public.locator("main table")
    assert table.locator("a", has_text="IV").count() >= 1
    assert "release-IV.zip" in table.inner_text()
    public.click("main table a[href='/releases/IV/']")
    public.wait_for_url("**/releases/IV/")
    assert public.locator("h1").inner_text() == "Release IV"
    assert "AMU-140" in public.locator("main").inner_text()
    public.goto(f"{live_server.url}/projects/AMU-140/")
    assert public.locator("h1").inner_text() == "New works"
    public.context.close()
