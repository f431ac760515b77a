"""The board without page reloads: htmx requests get the redrawn board; drops, the picker,
touchpoints created on the spot, stage renames, live scores, the card panel, backstage."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from journeys.editing import add_stage, place_touchpoint
from journeys.models import JourneyKind, Step
from surveys.counting.aggregation import rollups_rebuild
from tests.factories import (
    DepartmentFactory,
    InteractionFactory,
    JourneyFactory,
    ResponseFactory,
    TouchpointFactory,
)
from touchpoints.models import Audience, Channel, Touchpoint

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def board(department_a, department_b):
    journey = JourneyFactory(name="Buying a floor")
    discover, choose = add_stage(journey, "Discover"), add_stage(journey, "Choose")
    website = TouchpointFactory(name="Website", channel=Channel.WEB, department=department_b)
    hotline = TouchpointFactory(name="Hotline", channel=Channel.PHONE, department=department_a)
    place_touchpoint(discover, website.pk)
    place_touchpoint(discover, hotline.pk)
    return journey, discover, choose


def order(stage):
    return list(stage.steps.order_by("position").values_list("touchpoint__name", flat=True))


def test_an_htmx_edit_answers_with_the_redrawn_board(client_for, cx_manager, board):
    journey, *_ = board
    page = client_for(cx_manager).post(f"/journeys/{journey.pk}/stages/", {"name": "Buy"}, **HTMX)
    html = page.content.decode()
    assert page.status_code == 200 and html.lstrip().startswith('<div id="board"')
    assert "<html" not in html and "Buy" in html


def test_dropping_a_card_on_another_stage_stores_stage_and_index(client_for, cx_manager, board):
    _journey, discover, choose = board
    client = client_for(cx_manager)
    hotline = Step.objects.get(touchpoint__name="Hotline")
    page = client.post(
        f"/journeys/steps/{hotline.pk}/move/", {"stage": choose.pk, "index": 0}, **HTMX
    )
    assert page.status_code == 200
    assert order(discover) == ["Website"] and order(choose) == ["Hotline"]
    website = Step.objects.get(touchpoint__name="Website")
    client.post(f"/journeys/steps/{website.pk}/move/", {"stage": choose.pk, "index": 5}, **HTMX)
    assert order(choose) == ["Hotline", "Website"] and order(discover) == []


def test_a_drop_on_another_journeys_stage_is_refused(client_for, cx_manager, board):
    other = add_stage(JourneyFactory(), "Elsewhere")
    step = Step.objects.get(touchpoint__name="Hotline")
    page = client_for(cx_manager).post(
        f"/journeys/steps/{step.pk}/move/", {"stage": other.pk, "index": 0}, follow=True
    )
    assert "only move within its own journey" in page.content.decode()
    assert Step.objects.get(pk=step.pk).stage_id == board[1].pk


@pytest.mark.parametrize("values", [{"stage": "", "index": 0}, {"stage": 1, "index": "x"}])
def test_a_malformed_drop_is_a_400(client_for, cx_manager, board, values):
    step = Step.objects.get(touchpoint__name="Hotline")
    page = client_for(cx_manager).post(f"/journeys/steps/{step.pk}/move/", values)
    assert page.status_code == 400


def test_dragging_a_stage_to_an_index(client_for, cx_manager, board):
    journey, discover, _choose = board
    add_stage(journey, "Buy")
    client_for(cx_manager).post(f"/journeys/stages/{discover.pk}/move/", {"index": 2}, **HTMX)
    names = list(journey.stages.order_by("position").values_list("name", flat=True))
    assert names == ["Choose", "Buy", "Discover"]


def test_a_stage_is_renamed_and_a_blank_name_shows_inline(client_for, cx_manager, board):
    _journey, discover, _choose = board
    client = client_for(cx_manager)
    url = f"/journeys/stages/{discover.pk}/edit/"
    client.post(url, {f"stage-{discover.pk}-name": "Explore"}, **HTMX)
    discover.refresh_from_db()
    assert discover.name == "Explore"
    page = client.post(url, {f"stage-{discover.pk}-name": " "}, **HTMX)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'class="field invalid"' in html and "This field is required." in html
    discover.refresh_from_db()
    assert discover.name == "Explore"


def test_the_picker_finds_by_name_channel_or_department(client_for, cx_manager, board):
    _journey, discover, choose = board
    TouchpointFactory(
        name="Showroom",
        channel=Channel.STORE,
        department=DepartmentFactory(name="Retail"),
    )
    client = client_for(cx_manager)

    def found(stage, query):
        page = client.get(f"/journeys/stages/{stage.pk}/picker/", {"q": query}, **HTMX)
        return [tp.name for tp in page.context["picker"]["matches"]]

    assert found(choose, "show") == ["Showroom"]
    assert found(choose, "phone") == ["Hotline"]
    assert found(choose, "retail") == ["Showroom"]
    assert found(choose, "") == ["Hotline", "Showroom", "Website"]
    assert found(discover, "") == ["Showroom"]  # what is already there is not offered


def test_the_picker_without_script_is_shown_on_the_board(client_for, cx_manager, board):
    _journey, _discover, choose = board
    client = client_for(cx_manager)

    def picked(query):
        page = client.get(f"/journeys/stages/{choose.pk}/picker/", {"q": query})
        assert page.status_code == 302
        return client.get(page["Location"]).context["picker"]

    picker = picked("hot")
    assert picker["stage_pk"] == choose.pk
    assert [tp.name for tp in picker["matches"]] == ["Hotline"]
    assert picked("a&place_in=0")["query"] == "a&place_in=0"


def create_on(client, stage, name, channel, department):
    """Post the stage's "create a new touchpoint here" form, as the board's script does."""
    fields = {"name": name, "channel": channel, "department": department.pk}
    return client.post(
        f"/journeys/stages/{stage.pk}/new-touchpoint/",
        {f"new-{stage.pk}-{key}": value for key, value in fields.items()},
        **HTMX,
    )


def test_a_touchpoint_is_created_on_the_spot_and_placed(client_for, cx_manager, board):
    _journey, _discover, choose = board
    retail = DepartmentFactory(name="Retail")
    page = create_on(client_for(cx_manager), choose, "Showroom", "store", retail)
    assert page.status_code == 200
    assert order(choose) == ["Showroom"]
    assert Touchpoint.objects.get(name="Showroom").audience == Audience.CUSTOMER


def test_on_an_employee_journey_new_touchpoints_are_employee_side(
    client_for, cx_manager, department_a
):
    stage = add_stage(JourneyFactory(kind=JourneyKind.EMPLOYEE), "Prepare")
    create_on(client_for(cx_manager), stage, "Work order", "web", department_a)
    assert Touchpoint.objects.get(name="Work order").audience == Audience.EMPLOYEE


def test_a_bad_new_touchpoint_shows_errors_and_writes_nothing(
    client_for, cx_manager, board, department_a
):
    _journey, _discover, choose = board
    page = create_on(client_for(cx_manager), choose, "hotline", "fax", department_a)
    assert page.status_code == 400
    form = page.context["picker"]["form"]
    assert "already has a touchpoint named" in form.errors["name"][0]
    assert "channel" in form.errors
    assert Touchpoint.objects.count() == 2 and order(choose) == []


def answered(touchpoint, count, expectation=6, experience=3):
    for _ in range(count):
        ResponseFactory(
            invitation__interaction=InteractionFactory(touchpoint=touchpoint),
            expectation=expectation,
            experience=experience,
        )
    rollups_rebuild([touchpoint.pk])


def test_cards_show_live_gap_and_n_or_their_empty_state(client_for, cx_manager, board, settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 5
    journey, *_ = board
    hotline, website = (
        Touchpoint.objects.get(name="Hotline"),
        Touchpoint.objects.get(name="Website"),
    )
    answered(hotline, 6)
    answered(website, 2)
    shown = client_for(cx_manager).get(f"/journeys/{journey.pk}/")
    cards = {
        card.touchpoint.name: card for col in shown.context["board"].columns for card in col.cards
    }
    assert cards["Hotline"].enough_data and cards["Hotline"].scores.gap == 3
    assert not cards["Website"].enough_data and cards["Website"].scores.gap_answered == 2
    html = shown.content.decode()
    assert 'data-tone="frustration"' in html and "Gap 3.0" in html and "n 6" in html
    assert "n 2 · not enough data" in html


def test_a_head_sees_only_their_own_departments_scores(client_for, head_a, board, settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 1
    journey, *_ = board
    answered(Touchpoint.objects.get(name="Hotline"), 2)
    answered(Touchpoint.objects.get(name="Website"), 2, experience=6)
    page = client_for(head_a).get(f"/journeys/{journey.pk}/")
    cards = {
        card.touchpoint.name: card for col in page.context["board"].columns for card in col.cards
    }
    assert cards["Hotline"].readable and cards["Hotline"].scores is not None
    assert not cards["Website"].readable and cards["Website"].scores is None
    website = Step.objects.get(touchpoint__name="Website")
    panel = client_for(head_a).get(f"/journeys/steps/{website.pk}/", **HTMX).content.decode()
    assert "Live scores" not in panel and "Edit touchpoint" not in panel


def test_the_card_panel_shows_scores_and_the_edit_form(client_for, cx_manager, board):
    step = Step.objects.get(touchpoint__name="Hotline")
    answered(step.touchpoint, 3)
    client = client_for(cx_manager)
    panel = client.get(f"/journeys/steps/{step.pk}/", **HTMX)
    html = panel.content.decode()
    assert "<html" not in html and "Live scores" in html and "95% CI" in html
    assert 'hx-post="/touchpoints/' in html and "Save touchpoint" in html
    page = client.get(f"/journeys/steps/{step.pk}/")
    assert "<html" in page.content.decode()  # without script: a page of its own


def test_the_backstage_lane_lists_supporting_employee_touchpoints(
    client_for, cx_manager, board, department_a
):
    journey, *_ = board
    work_order = TouchpointFactory(
        name="Work order system", audience=Audience.EMPLOYEE, department=department_a
    )
    work_order.supports.add(Touchpoint.objects.get(name="Hotline"))
    client = client_for(cx_manager)
    hidden = client.get(f"/journeys/{journey.pk}/")
    assert "Work order system" not in hidden.content.decode()
    shown = client.get(f"/journeys/{journey.pk}/", {"backstage": "1"})
    lanes = [[tp.name for tp in col.backstage] for col in shown.context["board"].columns]
    assert lanes == [["Work order system"], []]
    # An edit from the page with the lane open keeps it open.
    step = Step.objects.get(touchpoint__name="Website")
    again = client.post(
        f"/journeys/steps/{step.pk}/move/",
        {"direction": "down"},
        HTTP_HX_CURRENT_URL=f"http://testserver/journeys/{journey.pk}/?backstage=1",
        **HTMX,
    )
    assert again.context["board"].show_backstage


def test_the_board_costs_the_same_queries_whatever_its_size(client_for, cx_manager):
    def board_of(stages, cards):
        journey = JourneyFactory()
        for number in range(stages):
            stage = add_stage(journey, f"Stage {number}")
            for _ in range(cards):
                place_touchpoint(stage, TouchpointFactory().pk)
        return journey

    client = client_for(cx_manager)
    counts = []
    for journey in (board_of(1, 1), board_of(6, 5)):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/journeys/{journey.pk}/?backstage=1").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_cards_show_standards_met(client_for, cx_manager, board):
    journey, *_ = board
    hotline = Touchpoint.objects.get(name="Hotline")
    hotline.target_wait_seconds = 120
    hotline.save()
    for wait in (60, 600):
        InteractionFactory(touchpoint=hotline, wait_seconds=wait)
    rollups_rebuild([hotline.pk])
    html = client_for(cx_manager).get(f"/journeys/{journey.pk}/").content.decode()
    assert "Standards met 50% · 1 breach" in html
