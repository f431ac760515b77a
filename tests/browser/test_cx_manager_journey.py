"""The CX manager's journey: from a blank journey to answers on the live map. Stages and
cards are made on the board (by typing and by drag), a touchpoint is set surveyed in its
panel, interactions are imported from a CSV file on the upload page, their customers
answer the emailed surveys, and the live map shows the answers."""

import re

import pytest
from django.utils import timezone

from tests.browser.board import card, drag, redrawn, search, stage_column
from tests.browser.conftest import log_in
from tests.factories import SurveyFactory, TouchpointFactory
from tests.smtp import body_of
from tests.worker import wait_until
from touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://127\.0\.0\.1:\d+(/s/[A-Za-z0-9_-]{43})\b")


def csv_file(tmp_path, touchpoint_name):
    moment = timezone.localtime().replace(microsecond=0).isoformat()
    lines = ["external_id,touchpoint,customer_email,customer_name,occurred_at,outcome"]
    lines += [
        f"SHOP-{n},{touchpoint_name},buyer{n}@example.com,Buyer {n},{moment},purchased"
        for n in range(1, 4)
    ]
    path = tmp_path / "interactions.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_cx_manager_builds_a_journey_surveys_a_touchpoint_and_sees_answers_on_the_map(
    browser_context, mailbox, cx_manager, department_a, tmp_path
):
    SurveyFactory(name="After a purchase")
    TouchpointFactory(name="Service hotline", channel="phone", department=department_a)
    page = browser_context()
    log_in(page, cx_manager.username)

    page.goto("/journeys/new/")
    page.fill("#id_name", "Buying a floor")
    page.click("text=Create")
    page.wait_for_selector("#board")
    for name in ("Discover", "Buy"):
        page.fill(".new-stage #id_name", name)
        redrawn(page, lambda: page.click(".new-stage button[type=submit]"))
        stage_column(page, name).wait_for()

    # A card by typing: a touchpoint that does not exist yet, made on the stage.
    search(page, "Discover", "Showroom")
    discover = stage_column(page, "Discover")
    discover.locator("details.create[open]").wait_for()
    discover.locator("select[name$=channel]").select_option("store")
    discover.locator("select[name$=department]").select_option(label=department_a.name)
    redrawn(page, discover.locator("text=Create and place").click)
    card(page, "Discover", "Showroom").wait_for()
    # Another found by typing, then dragged to the stage where it belongs.
    search(page, "Discover", "hotl")
    redrawn(page, discover.locator("button.match", has_text="Service hotline").click)
    hotline_card = card(page, "Discover", "Service hotline")
    target = stage_column(page, "Buy").locator("ol.cards")
    redrawn(page, lambda: drag(page, hotline_card, target))
    card(page, "Buy", "Service hotline").wait_for()

    # The showroom is surveyed, from its card's panel.
    card(page, "Discover", "Showroom").locator("h3 a").click()
    panel = page.locator("#panel")
    panel.locator("#id_surveyed").check()
    panel.locator("#id_survey").select_option(label="After a purchase")
    redrawn(page, panel.locator("text=Save touchpoint").click)
    panel.locator("text=Saved.").wait_for()
    showroom = Touchpoint.objects.get(name="Showroom")
    assert showroom.surveyed and showroom.survey.name == "After a purchase"

    # Interactions from the till's export, through the upload page.
    page.goto("/interactions/import/")
    page.set_input_files("input[type=file]", csv_file(tmp_path, "Showroom"))
    page.get_by_role("button", name="Import").click()
    result = page.locator("section[aria-live]").inner_text()
    assert "3 recorded" in result and "3 survey invitations queued" in result

    # Two of the three buyers answer the emailed survey.
    for number, (expected, experienced) in enumerate(((6, 3), (5, 5)), start=1):
        message = wait_until(lambda n=number: mailbox.to(f"buyer{n}@example.com"))[0]
        path = LINK.search(body_of(message)).group(1)
        answered = page.request.post(
            path, form={"expectation": expected, "experience": experienced, "nps": 9}
        )
        assert answered.status == 200

    def on_the_map():
        page.goto(f"/journeys/{showroom.steps.get().stage.journey_id}/")
        return "n 2" in card(page, "Discover", "Showroom").inner_text()

    wait_until(on_the_map, timeout=20, message="the board never showed the two answers")
    page.goto(f"/dashboards/journeys/{showroom.steps.get().stage.journey_id}/")
    page.wait_for_selector(".chart .main-svg")
    # The hover of the showroom's point, as the chart holds it.
    hovers = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data.flatMap(t => t.hovertext || [])"
    )
    (showroom_hover,) = [text for text in hovers if "<b>Showroom</b>" in text]
    assert "n = 2 (not enough data)" in showroom_hover
