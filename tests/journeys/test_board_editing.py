"""Editing the board without script: stages and cards through plain POSTs."""

import pytest

from journeys.editing import add_stage, place_touchpoint
from journeys.models import Step
from tests.factories import JourneyFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    journey = JourneyFactory(name="Buying a floor")
    discover, choose = add_stage(journey, "Discover"), add_stage(journey, "Choose")
    for name in ["Website", "Showroom"]:
        place_touchpoint(discover, TouchpointFactory(name=name).pk)
    return journey, discover, choose


def order(stage):
    return list(stage.steps.order_by("position").values_list("touchpoint__name", flat=True))


def test_stages_are_added_moved_and_removed(client_for, cx_manager, board):
    journey, discover, _choose = board
    client = client_for(cx_manager)
    client.post(f"/journeys/{journey.pk}/stages/", {"name": "Install"})
    client.post(f"/journeys/stages/{discover.pk}/move/", {"direction": "right"})
    names = list(journey.stages.order_by("position").values_list("name", flat=True))
    assert names == ["Choose", "Discover", "Install"]
    client.post(f"/journeys/stages/{discover.pk}/delete/")
    assert list(journey.stages.order_by("position").values_list("name", flat=True)) == [
        "Choose",
        "Install",
    ]


def test_a_nameless_stage_shows_the_error_on_the_board(client_for, cx_manager, board):
    journey, *_ = board
    page = client_for(cx_manager).post(f"/journeys/{journey.pk}/stages/", {"name": ""})
    assert page.status_code == 400 and "name" in page.context["stage_form"].errors
    assert journey.stages.count() == 2


def test_cards_move_with_buttons_and_are_placed_and_removed(client_for, cx_manager, board):
    _journey, discover, choose = board
    client = client_for(cx_manager)
    showroom = Step.objects.get(touchpoint__name="Showroom")
    client.post(f"/journeys/steps/{showroom.pk}/move/", {"direction": "up"})
    assert order(discover) == ["Showroom", "Website"]
    client.post(f"/journeys/steps/{showroom.pk}/move/", {"direction": "right"})
    assert order(discover) == ["Website"] and order(choose) == ["Showroom"]
    hotline = TouchpointFactory(name="Hotline")
    client.post(f"/journeys/stages/{choose.pk}/place/", {"touchpoint": hotline.pk})
    page = client.post(
        f"/journeys/stages/{choose.pk}/place/", {"touchpoint": hotline.pk}, follow=True
    )
    assert "already on this stage" in page.content.decode()
    assert order(choose) == ["Showroom", "Hotline"]
    client.post(f"/journeys/steps/{Step.objects.get(touchpoint=hotline).pk}/remove/")
    assert order(choose) == ["Showroom"]
    assert hotline.__class__.objects.filter(pk=hotline.pk).exists()


def test_heads_see_the_board_without_edit_controls(client_for, head_a, cx_manager, board):
    journey, *_ = board
    head_page = client_for(head_a).get(f"/journeys/{journey.pk}/").content.decode()
    assert "Add stage" not in head_page and "Move Website up" not in head_page
    cx_page = client_for(cx_manager).get(f"/journeys/{journey.pk}/").content.decode()
    assert "Add stage" in cx_page and "Move Website up" in cx_page
