"""Stage and card positions stay a clean 0..n-1 ordering, alone and under concurrent edits."""

import contextlib
import random
import threading

import pytest
from django.db import IntegrityError, connections

from journeys.editing import (
    PlacementError,
    add_stage,
    delete_stage,
    edited_order,
    move_stage,
    move_step,
    place_touchpoint,
    remove_step,
)
from journeys.models import Stage, Step
from tests.factories import JourneyFactory, TouchpointFactory
from touchpoints.models import Touchpoint


def names(journey):
    return list(
        Stage.objects.filter(journey=journey).order_by("position").values_list("name", flat=True)
    )


def cards(stage):
    return list(
        Step.objects.filter(stage=stage)
        .order_by("position")
        .values_list("touchpoint__name", flat=True)
    )


def assert_clean(journey):
    stages = list(Stage.objects.filter(journey=journey).order_by("position"))
    assert [s.position for s in stages] == list(range(len(stages)))
    for stage in stages:
        positions = list(
            Step.objects.filter(stage=stage).order_by("position").values_list("position", flat=True)
        )
        assert positions == list(range(len(positions)))


@pytest.fixture
def journey(db):
    journey = JourneyFactory()
    for name in ["Discover", "Choose", "Buy", "Install"]:
        add_stage(journey, name)
    return journey


@pytest.mark.django_db
def test_stages_are_added_moved_and_deleted_in_order(journey):
    assert names(journey) == ["Discover", "Choose", "Buy", "Install"]
    move_stage(Stage.objects.get(name="Install"), 0)
    assert names(journey) == ["Install", "Discover", "Choose", "Buy"]
    move_stage(Stage.objects.get(name="Install"), 99)
    assert names(journey) == ["Discover", "Choose", "Buy", "Install"]
    delete_stage(Stage.objects.get(name="Choose"))
    assert names(journey) == ["Discover", "Buy", "Install"]
    assert_clean(journey)


@pytest.mark.django_db
def test_cards_move_within_and_across_stages(journey):
    discover, choose = Stage.objects.get(name="Discover"), Stage.objects.get(name="Choose")
    for name in ["Website", "Showroom", "Hotline"]:
        place_touchpoint(discover, TouchpointFactory(name=name).pk)
    move_step(Step.objects.get(touchpoint__name="Hotline"), discover, 0)
    assert cards(discover) == ["Hotline", "Website", "Showroom"]
    move_step(Step.objects.get(touchpoint__name="Website"), choose, 0)
    assert cards(discover) == ["Hotline", "Showroom"] and cards(choose) == ["Website"]
    remove_step(Step.objects.get(touchpoint__name="Hotline"))
    assert cards(discover) == ["Showroom"]
    assert Touchpoint.objects.filter(name="Hotline").exists()  # off the map, not deleted
    assert_clean(journey)


@pytest.mark.django_db
def test_a_touchpoint_is_placed_once_per_stage(journey):
    discover, choose = Stage.objects.get(name="Discover"), Stage.objects.get(name="Choose")
    website = TouchpointFactory(name="Website")
    place_touchpoint(discover, website.pk)
    place_touchpoint(choose, website.pk)
    with pytest.raises(PlacementError, match="already on this stage"):
        place_touchpoint(discover, website.pk)
    with pytest.raises(PlacementError, match="already on that stage"):
        move_step(Step.objects.get(stage=choose), discover, 0)
    assert_clean(journey)


@pytest.mark.django_db
def test_cards_never_leave_their_journey(journey):
    other = JourneyFactory()
    elsewhere = add_stage(other, "Elsewhere")
    step = place_touchpoint(Stage.objects.get(name="Discover"), TouchpointFactory().pk)
    with pytest.raises(PlacementError):
        move_step(step, elsewhere, 0)


@pytest.mark.django_db(transaction=True)
def test_two_managers_moving_cards_at_once_lose_and_duplicate_nothing(journey):
    stages = list(Stage.objects.filter(journey=journey).order_by("position"))
    for number in range(12):
        place_touchpoint(stages[number % 4], TouchpointFactory(name=f"T{number}").pk)
    errors = []

    def manager(seed):
        rng = random.Random(seed)
        try:
            for _move in range(40):
                step = Step.objects.filter(stage__journey=journey).order_by("?").first()
                target = rng.choice(stages)
                # PlacementError: that touchpoint was already on the target stage.
                with contextlib.suppress(PlacementError):
                    move_step(step, target, rng.randrange(0, 5))
                if rng.random() < 0.2:
                    move_stage(rng.choice(stages), rng.randrange(0, 4))
        except Exception as error:  # reported below, with the thread's view of it
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=manager, args=(seed,)) for seed in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert_clean(journey)
    assert Step.objects.filter(stage__journey=journey).count() == 12
    assert set(Step.objects.values_list("touchpoint__name", flat=True)) == {
        f"T{n}" for n in range(12)
    }


@pytest.mark.django_db
def test_an_edit_that_leaves_two_at_one_place_fails_when_it_ends():
    journey = JourneyFactory()
    first = add_stage(journey, "Aware")
    with pytest.raises(IntegrityError), edited_order(journey.pk):
        Stage.objects.create(journey=journey, name="Twin", position=first.position)
    assert names(journey) == ["Aware"]
