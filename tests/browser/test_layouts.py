"""Every staff page at tablet and desktop widths, and the customer's pages on a phone: no
page scrolls sideways and no form control is cut off. Wide content (the board, tables)
scrolls inside its own box. Screenshots of each land in var/layouts/ for a person to see."""

from pathlib import Path

import pytest

from demo.build import DEMO_PASSWORD, demo_build
from journeys.models import Journey, JourneyKind
from surveys.asking import links
from surveys.models import Complaint, Invitation, InvitationStatus
from tests.browser.conftest import PHONE, log_in
from touchpoints.models import Department, Touchpoint

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "var" / "layouts"
STAFF_WIDTHS = (768, 1024, 1366)
PHONE_WIDTHS = (768, 390)

# What overflows: the page itself, or a control reaching past the viewport's edges.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    // Name the outermost elements that reach past the edge, to say what to fix.
    const past = el => el.getBoundingClientRect().right > width + 1;
    const wide = [...document.body.querySelectorAll('*')].filter(el =>
      past(el) && !past(el.parentElement));
    found.push(`page is ${document.documentElement.scrollWidth}px wide: ` +
      wide.slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + el.className).join(', '));
  }
  for (const el of document.querySelectorAll('input, select, textarea, button')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('.scroll-x, #board')) continue;
    if (box.right > width + 1 || box.left < -1) {
      const name = `${el.tagName.toLowerCase()}[name=${el.name || ''}]`;
      found.push(`${name} spans ${box.left}-${box.right}`);
    }
  }
  return found;
}"""


@pytest.fixture
def demo():
    demo_build()  # the whole demo, as people see it
    return Journey.objects.get(kind=JourneyKind.CUSTOMER)


def staff_pages(journey) -> dict[str, str]:
    touchpoint = Touchpoint.objects.get(name="Service hotline")
    department = Department.objects.get(name="Customer Service")
    complaint = Complaint.objects.first()
    return {
        "journeys": "/journeys/",
        "journey-new": "/journeys/new/",
        "journey-import": "/journeys/import/",
        "board": f"/journeys/{journey.pk}/",
        "board-backstage": f"/journeys/{journey.pk}/?backstage=1",
        "journey-edit": f"/journeys/{journey.pk}/edit/",
        "touchpoints": "/touchpoints/",
        "touchpoint-new": "/touchpoints/new/",
        "touchpoint-edit": f"/touchpoints/{touchpoint.pk}/edit/",
        "api-tokens": "/touchpoints/api-tokens/",
        "webhooks": "/webhooks/",
        "complaints": "/complaints/?status=all",
        "complaint-new": "/complaints/new/",
        "complaint": f"/complaints/{complaint.pk}/",
        "import-interactions": "/interactions/import/",
        "live-map": f"/dashboards/journeys/{journey.pk}/",
        "report": f"/dashboards/journeys/{journey.pk}/report/",
        "paths": f"/dashboards/journeys/{journey.pk}/paths/",
        "priorities": "/dashboards/priorities/",
        "improvements": "/dashboards/improvements/",
        "trends": "/dashboards/trends/",
        "standards": "/dashboards/standards/",
        "scorecard": f"/departments/{department.pk}/",
    }


def overflow_at(page, path: str, width: int, name: str) -> list[str]:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)
    page.wait_for_load_state("networkidle")
    SHOTS.joinpath(str(width)).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / str(width) / f"{name}.png", full_page=True)
    return page.evaluate(OVERFLOW)


def test_no_staff_page_scrolls_sideways_or_cuts_off_a_control(page, demo):
    log_in(page, "cx", DEMO_PASSWORD)
    problems = {
        f"{name} at {width}": found
        for name, path in staff_pages(demo).items()
        for width in STAFF_WIDTHS
        if (found := overflow_at(page, path, width, name))
    }
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())


# Pairs of a chart's labels (SVG text) whose boxes intersect: words drawn over words.
OVERLAPPING_LABELS = """(selector) => {
  const boxes = [...document.querySelectorAll(selector)]
    .filter(t => t.textContent.trim())
    .map(t => [t.textContent, t.getBoundingClientRect()]);
  const found = [];
  boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
    const across = p.left < q.right - 1 && q.left < p.right - 1;
    if (across && p.top < q.bottom - 1 && q.top < p.bottom - 1) found.push(`${a} / ${b}`);
  }));
  return [boxes.length, found];
}"""
CHART_LABELS = {
    # Labels, and the bubbles they must not run into.
    "live-map": ".chart .scatterlayer .textpoint text, .chart .scatterlayer .point,"
    " .chart .xtick text",
    "paths": ".chart .node-label",
    "priorities": ".chart .scatterlayer .textpoint text",
}


def test_chart_labels_are_not_drawn_over_each_other(page, demo):
    log_in(page, "cx", DEMO_PASSWORD)
    pages = staff_pages(demo)
    for width in (1024, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        for name, selector in CHART_LABELS.items():
            page.goto(pages[name])
            page.wait_for_selector(".chart .main-svg")
            labels, overlapping = page.evaluate(OVERLAPPING_LABELS, selector)
            assert labels >= 3 and overlapping == [], f"{name} at {width}"


def test_the_login_and_error_pages_hold_on_a_phone_too(browser_context, demo):
    page = browser_context(**PHONE)
    with page.watched.expecting(404):
        for width in (390, *STAFF_WIDTHS):
            assert overflow_at(page, "/login/", width, "login") == []
            assert overflow_at(page, "/no-such-page/", width, "not-found") == []


def test_the_survey_pages_fit_a_phone(browser_context, demo):
    invitation = Invitation.objects.filter(status=InvitationStatus.SENT).first()
    token = links.issue(invitation)
    invitation.save(update_fields=["token_nonce", "token_hash"])
    page = browser_context(**PHONE)
    for width in PHONE_WIDTHS:
        assert overflow_at(page, f"/s/{token}", width, "survey") == []
        assert overflow_at(page, f"/s/{token}/unsubscribe", width, "unsubscribe") == []
    # On a phone every 1-7 scale fits one row; the 0-10 one wraps into even rows.
    overflow_at(page, f"/s/{token}", 390, "survey")
    rows = page.evaluate(
        """() => [...document.querySelectorAll('fieldset.scale')].map(fieldset => {
          const tops = [...fieldset.querySelectorAll('.choice')].map(c => c.offsetTop);
          return [...new Set(tops)].map(top => tops.filter(t => t === top).length);
        })"""
    )
    assert rows
    for per_row in rows:
        if sum(per_row) <= 7:
            assert len(per_row) == 1, per_row
        else:
            assert max(per_row) - min(per_row) <= 1, per_row
