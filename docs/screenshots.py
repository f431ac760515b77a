"""Screenshots for the docs, taken from the demo data as production serves it.

Run with `make screenshots`: builds the demo into a scratch database (beside the one of
DATABASE_URL, or on the embedded server), serves it with gunicorn and DEBUG off
(tests/production_server.py), and drives Debian's Chromium with Playwright. The charts are
taken at 1024 and 1366 px, the survey on a 390 px phone. Writes docs/*.png.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "0"  # the links this process makes open on the production server
os.environ.setdefault("SECRET_KEY", "screenshots-only-" + "k" * 40)

import django  # noqa: E402

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from demo.build import DEMO_PASSWORD, demo_build  # noqa: E402
from journeys.models import Journey, JourneyKind  # noqa: E402
from surveys.asking import links  # noqa: E402
from surveys.models import Invitation, InvitationStatus  # noqa: E402
from tests.browser.conftest import CHROMIUM, PHONE  # noqa: E402
from tests.production_server import (  # noqa: E402
    collect_static,
    production_server,
    throwaway_database,
)

CHART_WIDTHS = (1024, 1366)


def main() -> None:
    with throwaway_database("touchstone_screenshots"):
        demo_build()
        journey = Journey.objects.get(kind=JourneyKind.CUSTOMER)
        survey_link = _open_survey_link()
        collect_static()
        with production_server("touchstone_screenshots") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM))
            shoot(browser, server.url, journey.pk, survey_link)
            browser.close()
    print("wrote", ", ".join(sorted(p.name for p in DOCS.glob("*.png"))))


def _open_survey_link() -> str:
    invitation = Invitation.objects.filter(status=InvitationStatus.SENT).first()
    token = links.issue(invitation)
    invitation.save(update_fields=["token_nonce", "token_hash"])
    return f"/s/{token}?lang=en"


def signed_in(browser, base: str, username: str, width=1366, height=900):
    page = browser.new_page(viewport={"width": width, "height": height}, base_url=base)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def chart_page(page, path: str, name: str) -> None:
    page.goto(path)
    page.wait_for_selector(".chart .main-svg")
    page.screenshot(path=DOCS / name, full_page=True)


def shoot(browser, base: str, journey: int, survey_link: str) -> None:
    page = signed_in(browser, base, "cx")
    board = f"/journeys/{journey}/"
    page.goto(board)
    page.wait_for_selector(".tp-card")
    page.screenshot(path=DOCS / "board.png", full_page=True)
    page.click(".tp-card h3 a >> text=Service hotline")
    page.wait_for_selector("#panel .panel-body")
    page.screenshot(path=DOCS / "board-panel.png")
    page.goto(board + "?backstage=1")
    page.wait_for_selector(".backstage")
    page.screenshot(path=DOCS / "board-backstage.png", full_page=True)
    for width in CHART_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        chart_page(page, f"/dashboards/journeys/{journey}/?backstage=on", f"live-map-{width}.png")
        chart_page(page, f"/dashboards/journeys/{journey}/paths/", f"real-paths-{width}.png")
        chart_page(page, "/dashboards/priorities/", f"priorities-{width}.png")
    chart_page(page, "/dashboards/improvements/", "improvements.png")
    chart_page(page, "/dashboards/standards/", "standards.png")
    head = signed_in(browser, base, "head-service")
    chart_page(head, "/", "scorecard.png")
    head.locator(".theme-list a").filter(has_text="hold").first.click()
    head.wait_for_url("**theme=**")
    head.locator("section[aria-labelledby=themes-title]").screenshot(path=DOCS / "themes.png")
    head.locator("section[aria-labelledby=comments-title]").screenshot(
        path=DOCS / "theme-comments.png"
    )
    phone = browser.new_page(base_url=base, **PHONE)
    phone.goto(survey_link)
    phone.screenshot(path=DOCS / "survey-phone.png", full_page=True)


if __name__ == "__main__":
    main()
