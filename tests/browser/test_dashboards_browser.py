"""Every dashboard in a real browser, on the demo data, as a CX manager and as a
department head: the charts render, filters change them, no script error."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.build import DEMO_PASSWORD, demo_build
from journeys.models import Journey, JourneyKind
from tests.browser.conftest import log_in
from touchpoints.models import Department

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo():
    demo_build(customers=300, interactions=4000, days=120)
    return Journey.objects.get(kind=JourneyKind.CUSTOMER)


def charts_drawn(page, path, expected=1):
    page.goto(path)
    page.wait_for_selector(".chart .main-svg")
    assert page.locator(".chart .main-svg").count() >= expected
    assert page.locator(".js-plotly-plot").count() == page.locator("[data-figure]").count()
    return page


def markers(page):
    return page.locator(".chart .scatterlayer .point").count()


def test_a_cx_manager_sees_every_dashboard(page, demo):
    log_in(page, "cx", DEMO_PASSWORD)
    charts_drawn(page, f"/dashboards/journeys/{demo.pk}/")
    everything = markers(page)
    page.select_option("#id_channel", "phone")
    page.click("text=Apply")
    page.wait_for_selector(".chart .main-svg")
    assert 0 < markers(page) < everything  # the filter changed the figure
    charts_drawn(page, f"/dashboards/journeys/{demo.pk}/report/")
    charts_drawn(page, f"/dashboards/journeys/{demo.pk}/paths/")
    assert page.locator(".chart .sankey .sankey-node").count() > 5
    charts_drawn(page, "/dashboards/priorities/")
    charts_drawn(page, "/dashboards/improvements/")
    charts_drawn(page, "/dashboards/standards/")
    charts_drawn(page, "/dashboards/trends/")
    lines = page.locator(".chart .scatterlayer .trace").count()
    page.select_option("#id_touchpoints", label="Service hotline")
    page.click("text=Apply")
    page.wait_for_selector(".chart .main-svg")
    assert page.locator(".chart .scatterlayer .trace").count() == 1 < lines
    for department in Department.objects.all():
        charts_drawn(page, f"/departments/{department.pk}/")


def test_a_head_lands_on_their_scorecard_filters_reads_downloads_and_is_kept_in(page, demo):
    head = get_user_model().objects.get(username="head-service")
    log_in(page, head.username, DEMO_PASSWORD)
    service = Department.objects.get(name="Customer Service")
    assert page.url.endswith(f"/departments/{service.pk}/")  # where a head lands
    page.wait_for_selector(".chart .main-svg")
    assert "Customer Service" in page.locator("h1").inner_text()
    # The period's dates are in the fields; a narrower period is one edit away.
    until = page.locator("#id_until").input_value()
    assert until == timezone.localdate().isoformat() and page.locator("#id_since").input_value()
    since = (timezone.localdate() - dt.timedelta(days=29)).isoformat()
    page.fill("#id_since", since)
    page.click("form.filters button")
    page.wait_for_url(f"**since={since}**")
    assert "30 days before" in page.locator("header .muted").inner_text()
    page.fill("#id_q", "hold")
    page.click("form.search button")
    page.wait_for_url("**q=hold**")
    comments = page.locator(".comments li").all_inner_texts()
    assert comments and all("hold" in text.lower() for text in comments)
    # What customers say: the hotline's top theme, clicked, lists only its comments.
    theme = page.locator(".theme-list a").filter(has_text="hold").first
    theme.click()
    page.wait_for_url("**theme=**")
    assert "Theme" in page.locator(".filter-note").inner_text()
    comments = page.locator(".comments li").all_inner_texts()
    assert comments and all("hold" in text.lower() for text in comments)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").first.click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[0][0] == "touchpoint" and len(rows) > 1
    assert {row[0] for row in rows[1:]} <= set(service.touchpoints.values_list("name", flat=True))
    dashboards = ("priorities", "trends", "improvements", "standards")
    for path in (f"/dashboards/{name}/" for name in dashboards):
        charts_drawn(page, path)
        assert "Showroom visit" not in page.content()  # Sales owns it
    sales = Department.objects.get(name="Sales")
    with page.watched.expecting(403, 404):
        assert page.goto(f"/departments/{sales.pk}/").status == 404
        page.get_by_role("heading", name="Page not found").wait_for()
        assert page.goto(f"/dashboards/journeys/{demo.pk}/").status == 403
        page.get_by_role("heading", name="Not for your role").wait_for()
    assert page.get_by_role("link", name="Back to the start page").is_visible()


def test_no_page_breaks_the_content_security_policy(page, demo):
    """Every page and chart under the strict policy: no violation, no script error."""
    violations = page.watched.violations
    log_in(page, "cx", DEMO_PASSWORD)
    department = Department.objects.first()
    for path in (
        "/journeys/",
        f"/journeys/{demo.pk}/",
        f"/dashboards/journeys/{demo.pk}/",
        f"/dashboards/journeys/{demo.pk}/paths/",
        "/dashboards/priorities/",
        "/dashboards/trends/",
        "/dashboards/standards/",
        "/dashboards/improvements/",
        f"/departments/{department.pk}/",
        "/touchpoints/",
        "/complaints/",
        "/touchpoints/api-tokens/",
        "/api/docs/",
    ):
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    page.goto(f"/journeys/{demo.pk}/")
    page.locator(".tp-card h3 a").first.click()  # htmx and the panel under the policy
    page.locator("#panel .panel-body").wait_for()
    page.context.clear_cookies()
    log_in(page, "admin", DEMO_PASSWORD)
    for path in (
        "/admin/",
        "/admin/touchpoints/touchpoint/",
        "/admin/touchpoints/touchpoint/1/change/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto(f"/journeys/{demo.pk}/")
    page.locator(".tp-card h3 a").first.click()
    page.locator("#panel .panel-body").wait_for()
    assert violations == []
    # The watch works: an inline script, as an injected payload would be, is refused.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    assert violations and violations[0].startswith("script-src")
    # Provoked on purpose: not a problem of the page.
    violations.clear()
    page.watched.console_errors[:] = [
        e for e in page.watched.console_errors if "Content Security Policy" not in e
    ]
