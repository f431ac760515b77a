"""The map editor in a real browser: build a journey, drag a card, reload, and see that a
department head finds no way to edit."""

import pytest

from journeys.editing import add_stage, place_touchpoint
from journeys.models import Journey, Step
from tests.browser.board import card, drag, redrawn, search, stage_column
from tests.browser.conftest import log_in
from tests.factories import JourneyFactory, TouchpointFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cx_manager_builds_a_map_and_drags_a_card(page, cx_manager, department_a):
    TouchpointFactory(name="Service hotline", channel="phone", department=department_a)
    log_in(page, cx_manager.username)

    page.goto("/journeys/new/")
    page.fill("#id_name", "Buying a floor")
    page.click("text=Create")
    page.wait_for_selector("#board")
    # Everything below happens without a page load: this marker would be lost.
    page.evaluate("window.stillTheSamePage = true")

    for name in ("Discover", "Choose", "Buy"):
        page.fill(".new-stage #id_name", name)
        redrawn(page, lambda: page.click(".new-stage button[type=submit]"))
        stage_column(page, name).wait_for()
    # No name: the error shows next to the field.
    with page.watched.expecting(400):
        redrawn(page, lambda: page.click(".new-stage button[type=submit]"))
        page.locator(".new-stage .field.invalid p.error").wait_for()

    discover = stage_column(page, "Discover")
    search(page, "Discover", "hotl")
    match = discover.locator("button.match", has_text="Service hotline")
    redrawn(page, match.click)
    card(page, "Discover", "Service hotline").wait_for()

    choose = stage_column(page, "Choose")
    search(page, "Choose", "Showroom")
    choose.locator("details.create[open]").wait_for()
    choose.locator("select[name$=channel]").select_option("store")
    choose.locator("select[name$=department]").select_option(label=department_a.name)
    redrawn(page, choose.locator("text=Create and place").click)
    card(page, "Choose", "Showroom").wait_for()

    target = stage_column(page, "Buy").locator("ol.cards")
    redrawn(page, lambda: drag(page, card(page, "Discover", "Service hotline"), target))
    card(page, "Buy", "Service hotline").wait_for()
    assert card(page, "Discover", "Service hotline").count() == 0

    # The keyboard path: the move buttons, reached and pressed without a mouse.
    move = card(page, "Choose", "Showroom").get_by_role(
        "button", name="Move Showroom to the next stage"
    )
    move.focus()
    redrawn(page, lambda: page.keyboard.press("Enter"))
    card(page, "Buy", "Showroom").wait_for()
    assert page.evaluate("window.stillTheSamePage") is True

    page.reload()
    assert stage_column(page, "Discover").locator("li.tp-card").count() == 0
    buy = [
        name.strip()
        for name in stage_column(page, "Buy").locator("li.tp-card h3").all_inner_texts()
    ]
    assert buy == ["Showroom", "Service hotline"]  # moved sideways, it keeps its row
    journey = Journey.objects.get(name="Buying a floor")
    stored = Step.objects.filter(stage__journey=journey).order_by("stage__position", "position")
    assert [(s.stage.name, s.touchpoint.name) for s in stored] == [
        ("Buy", "Showroom"),
        ("Buy", "Service hotline"),
    ]

    # The card's panel opens beside the board and edits the touchpoint in place.
    card(page, "Buy", "Showroom").locator("h3 a").click()
    panel = page.locator("#panel")
    panel.locator("#id_name").fill("Showroom visit")
    redrawn(page, panel.locator("text=Save touchpoint").click)
    panel.locator("text=Saved.").wait_for()
    card(page, "Buy", "Showroom visit").wait_for()


def test_a_department_head_finds_no_way_to_edit(page, head_a, department_a):
    journey = JourneyFactory(name="Buying a floor")
    stage = add_stage(journey, "Discover")
    place_touchpoint(stage, TouchpointFactory(name="Service hotline", department=department_a).pk)
    log_in(page, head_a.username)
    page.goto(f"/journeys/{journey.pk}/")
    card(page, "Discover", "Service hotline").wait_for()
    board = page.locator("#board")
    assert board.locator("button, input, select, textarea, form, .handle").count() == 0
    assert page.locator("text=Rename or describe").count() == 0
    assert page.locator("text=Duplicate as future state").count() == 0
    before = page.locator("li.tp-card").bounding_box()
    drag(page, card(page, "Discover", "Service hotline"), page.locator("h1"))
    assert page.locator("li.tp-card").bounding_box() == before
    # Even a hand-made request from the head's own session is refused.
    with page.watched.expecting(403):
        status = page.evaluate(
            """async (url) => {
                const headers = JSON.parse(document.body.getAttribute("hx-headers"));
                const body = new URLSearchParams({name: "X"});
                const response = await fetch(url, {method: "POST", headers, body});
                return response.status;
            }""",
            f"/journeys/{journey.pk}/stages/",
        )
    assert status == 403
    assert journey.stages.count() == 1
