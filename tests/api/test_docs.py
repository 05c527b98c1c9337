"""The interactive docs at /api/v1/docs/: Swagger UI from the app's own static files, its
start-up script a URL of its own, so that it runs under the site's strict
Content-Security-Policy (no inline script) — checked in Debian's chromium too."""

import os
import re
import shutil

import pytest

pytestmark = pytest.mark.django_db


def assets(html):
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_the_docs_page_and_its_assets_are_served_by_the_app(client, world):
    response = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<title>Follow-up tracker API</title>" in html
    assert not re.search(r"<script>", html)  # every script has a src
    found = assets(html)
    assert len(found) == 5  # favicon, stylesheet, two bundles, the start-up script
    for address in found:
        assert address.startswith("/"), address  # nothing from another site
        served = client.get(address.replace("&amp;", "&"))
        assert served.status_code == 200, address
    script = client.get("/api/v1/docs/", {"script": ""})
    assert script["Content-Type"].startswith("application/javascript")
    assert '"/api/v1/schema/"' in script.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_the_docs_page_carries_the_security_headers(client, world):
    response = client.get("/api/v1/docs/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_runs_under_the_content_security_policy(live_server, world, monkeypatch):
    if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must run the browser tests: install Debian's chromium (see .ci/run).")
        pytest.skip("Debian's chromium is not installed")
    playwright = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="en-GB")
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(f"{live_server.url}/api/v1/docs/")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        title = page.locator(".info .title").inner_text()
        page.locator(".opblock-summary-path", has_text="/api/v1/cycles/").first.click()
        page.click("button.try-out__btn")
        page.click("button.execute")
        page.wait_for_selector(".live-responses-table tbody .response-col_status", timeout=20_000)
        status = page.locator(".live-responses-table tbody .response-col_status").first.inner_text()
        browser.close()
    assert "Follow-up tracker API" in title
    assert "/api/v1/projects/{reference}/" in " ".join(paths)
    assert status.strip() == "200"
    assert not problems, problems  # a script or style refused by the policy is reported here
