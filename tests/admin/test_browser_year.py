"""An editors' year in Russian, in Debian's chromium, on the seed data: open cycle IV,
filter the follow-up list to one region, review three projects through the queue, mark
the rest of the region "no news" with the select-all box, watch the progress page reach
zero for the region, and read in a project's history exactly what changed."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from ratings.models import Cycle, Region
from tests.pages.test_browser import browser, page  # noqa: F401 (the Playwright fixtures)
from tracker.admin.worklist import to_review
from tracker.models import Evidence, Project, StatusChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-editor-password"


@pytest.fixture
def seeded(roles):
    call_command("loadseeds", "--no-releases", stdout=io.StringIO())
    user = User.objects.create_user("olga", password=PASSWORD, is_staff=True)
    user.groups.add(roles[0])
    return user


def region_with(count_range, cycle):
    """A rated region whose follow-up in `cycle` holds a handful of projects."""
    for region in Region.objects.filter(iso_code__startswith="RU-").order_by("name_ru"):
        count = to_review(cycle).filter(region=region).count()
        if count in count_range:
            return region, count
    raise AssertionError("no region of that size in the seeds")


def test_the_follow_up_of_a_cycle_done_in_russian(live_server, page, seeded):  # noqa: F811
    base = live_server.url
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    # Open cycle IV, its number typed as a Roman numeral and its dates as Russians write them.
    page.goto(f"{base}/admin/ratings/cycle/add/")
    page.fill("#id_number", "IV")
    page.fill("#id_title", "Рейтинг продуктивности, четвёртый выпуск")
    page.fill("#id_period_start", "01.06.2026")
    page.fill("#id_period_end", "31.05.2027")
    page.click("input[name=_save]")
    page.wait_for_url(f"{base}/admin/ratings/cycle/")
    cycle = Cycle.objects.get(number=4)
    assert str(cycle.period_start) == "2026-06-01" and not cycle.is_published

    # From the home page to the follow-up list, filtered to one region by its filter link.
    page.goto(f"{base}/admin/")
    page.click("#followup-box a[href$='/admin/tracker/followup/']")
    page.wait_for_url("**/admin/tracker/followup/")
    region, count = region_with(range(5, 9), cycle)
    page.click(f"#changelist-filter a:text-is('{region.name_ru}')")
    page.wait_for_url(re.compile(rf"region__id__exact={region.pk}"))
    assert re.search(rf"\b{count}\b", page.locator("p.paginator").first.inner_text())
    assert page.locator("#result_list tbody tr").count() == count

    # Review three through the queue: each save opens the next, saying how many are left.
    page.click("text=Проверять по очереди")
    reviewed = []
    for n in range(3):
        page.wait_for_url("**/review/**")
        left = page.locator(".queue-left").inner_text()
        assert re.search(rf"\b{count - n}\b", left), left
        reference = page.locator("#content p strong a").first.inner_text()
        reviewed.append(reference)
        page.focus("input[name=status][value=stalled]")
        page.keyboard.press("Space")  # the verdict chosen from the keyboard
        page.check("input[name=kind][value=follow_up]")
        page.fill("#id_summary_ru", f"Новостей о проекте {reference} в цикле IV не найдено.")
        page.fill("#id_summary", f"No news of {reference} in cycle IV.")
        page.select_option("#id_source", index=1)
        page.click("input[type=submit]")
    page.wait_for_url("**/review/**")  # the fourth in the queue
    assert re.search(rf"\b{count - 3}\b", page.locator(".queue-left").inner_text())

    # The rest of the region: select all, "no news this cycle", confirm.
    page.goto(f"{base}/admin/tracker/followup/?region__id__exact={region.pk}")
    page.check("#action-toggle")
    page.select_option("select[name=action]", value="no_news")
    page.click("button[name=index]")
    page.click("button[name=confirm]")
    page.wait_for_url("**/admin/tracker/followup/**")
    assert f"{count - 3} проект" in page.locator("ul.messagelist").inner_text()

    # The progress page: nothing left for the region.
    page.goto(f"{base}/admin/tracker/followup/progress/")
    row = page.locator(f"tr[data-label='{region.name_ru}']")
    cells = row.locator("td").all_inner_texts()
    assert cells[:3] == [str(count), str(count), "0"], cells

    # The history of one reviewed project: the status change and its evidence, in words.
    project = Project.objects.get(reference=reviewed[0])
    change = StatusChange.objects.filter(project=project, cycle=cycle).get()
    assert change.status == Project.Status.STALLED
    evidence = Evidence.objects.get(project=project, cycle=cycle)
    page.goto(f"{base}/admin/tracker/project/{project.pk}/history/")
    history = page.locator("#content").inner_text()
    assert f"Изменение статуса: {project.reference} IV: застопорился" in history
    assert re.search(r"Статус\s+застопорился", history) and "stalled" not in history
    assert f"Новостей о проекте {reviewed[0]} в цикле IV не найдено." in history
    assert evidence.summary in history

    # One marked "no news": its history names the follow-up action as the way it came.
    silent = to_review(cycle).filter(region=region).exclude(reference__in=reviewed).first()
    page.goto(f"{base}/admin/tracker/project/{silent.pk}/history/")
    history = page.locator("#content").inner_text()
    assert "действие в рабочем списке" in history and "follow_up" not in history
