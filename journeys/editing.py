"""Changes to whole journeys that touch more than one row."""

import contextlib

from django.db import connection, transaction
from django.utils import timezone

from journeys.models import Journey, JourneyState, Stage, Step


@transaction.atomic
def duplicate_as_future_state(journey: Journey, owner) -> Journey:
    """A future-state copy to redesign: same stages and placed touchpoints, linked back by
    based_on. The touchpoints themselves are shared, not copied: they are real things of
    the company, and their data stays with them."""
    copy = Journey.objects.create(
        name=f"{journey.name} (future state)",
        description=journey.description,
        kind=journey.kind,
        state=JourneyState.FUTURE,
        persona=journey.persona,
        based_on=journey,
        owner=owner,
    )
    stages = list(journey.stages.order_by("position"))
    new_stages = Stage.objects.bulk_create(
        Stage(
            journey=copy,
            name=stage.name,
            position=stage.position,
            customer_goal=stage.customer_goal,
        )
        for stage in stages
    )
    stage_map = {old.pk: new for old, new in zip(stages, new_stages, strict=True)}
    Step.objects.bulk_create(
        Step(
            stage=stage_map[step.stage_id], touchpoint_id=step.touchpoint_id, position=step.position
        )
        for step in Step.objects.filter(stage__journey=journey)
    )
    return copy


# --- Stages and steps: positions stay 0..n-1 whatever edits run at once ------------------
#
# Every change to a journey's order first locks the journey row (FOR UPDATE), so edits to
# one map run one after another while other maps are untouched. The unique (parent,
# position) constraints are deferred: a renumbering writes the new order directly, and the
# constraints are checked when the edit is done (edited_order), not row by row.
POSITION_CONSTRAINTS = "stage_position_unique_per_journey, step_position_unique_per_stage"


class PlacementError(ValueError):
    """An edit that would break the map (e.g. a touchpoint twice on one stage)."""


def lock_journey(journey_id: int) -> Journey:
    return Journey.objects.select_for_update().get(pk=journey_id)


@contextlib.contextmanager
def edited_order(journey_id: int):
    """Lock the journey, let the block renumber freely, then check the positions: an edit
    that left two at one place fails here, not at some later commit."""
    with transaction.atomic():
        lock_journey(journey_id)
        _set_position_constraints("DEFERRED")
        yield
        _set_position_constraints("IMMEDIATE")
        _touch(journey_id)


def _set_position_constraints(mode: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {POSITION_CONSTRAINTS} {mode}")


def _renumber(model, ordered_ids: list[int], **extra) -> None:
    rows = [model(pk=pk, position=index, **extra) for index, pk in enumerate(ordered_ids)]
    model.objects.bulk_update(rows, ["position", *extra])


def _moved(ids: list[int], item: int, index: int) -> list[int]:
    rest = [pk for pk in ids if pk != item]
    index = max(0, min(index, len(rest)))
    return [*rest[:index], item, *rest[index:]]


def add_stage(journey: Journey, name: str, customer_goal: str = "") -> Stage:
    with edited_order(journey.pk):
        position = Stage.objects.filter(journey=journey).count()
        return Stage.objects.create(
            journey=journey, name=name, customer_goal=customer_goal, position=position
        )


def move_stage(stage: Stage, index: int) -> None:
    with edited_order(stage.journey_id):
        ids = _ordered_stages(stage.journey_id)
        if stage.pk in ids:
            _renumber(Stage, _moved(ids, stage.pk, index))


@transaction.atomic
def rename_stage(stage: Stage, name: str, customer_goal: str = "") -> None:
    Stage.objects.filter(pk=stage.pk).update(name=name, customer_goal=customer_goal)
    _touch(stage.journey_id)


def delete_stage(stage: Stage) -> None:
    """The stage and its placements go; the touchpoints and their data stay."""
    with edited_order(stage.journey_id):
        Stage.objects.filter(pk=stage.pk).delete()
        _renumber(Stage, _ordered_stages(stage.journey_id))


def place_touchpoint(stage: Stage, touchpoint_id: int) -> Step:
    with edited_order(stage.journey_id):
        if Step.objects.filter(stage=stage, touchpoint_id=touchpoint_id).exists():
            raise PlacementError("This touchpoint is already on this stage.")
        return Step.objects.create(
            stage=stage,
            touchpoint_id=touchpoint_id,
            position=Step.objects.filter(stage=stage).count(),
        )


def move_step(step: Step, stage: Stage, index: int) -> None:
    """Move a card within its stage or to another stage of the same journey."""
    journey_id = Stage.objects.get(pk=step.stage_id).journey_id
    if stage.journey_id != journey_id:
        raise PlacementError("A card can only move within its own journey.")
    with edited_order(journey_id):
        step = Step.objects.get(pk=step.pk)  # re-read under the lock: another edit may have run
        source = step.stage_id
        if (
            stage.pk != source
            and Step.objects.filter(stage=stage, touchpoint_id=step.touchpoint_id).exists()
        ):
            raise PlacementError("This touchpoint is already on that stage.")
        others = [pk for pk in _ordered_steps(stage.pk) if pk != step.pk]
        _renumber(Step, _moved([*others, step.pk], step.pk, index), stage_id=stage.pk)
        if stage.pk != source:
            _renumber(Step, _ordered_steps(source), stage_id=source)


def remove_step(step: Step) -> None:
    """Take the card off the map; the touchpoint and all its data stay."""
    journey_id = Stage.objects.get(pk=step.stage_id).journey_id
    with edited_order(journey_id):
        Step.objects.filter(pk=step.pk).delete()
        _renumber(Step, _ordered_steps(step.stage_id), stage_id=step.stage_id)


def _ordered_stages(journey_id: int) -> list[int]:
    return list(
        Stage.objects.filter(journey_id=journey_id)
        .order_by("position")
        .values_list("pk", flat=True)
    )


def _ordered_steps(stage_id: int) -> list[int]:
    return list(
        Step.objects.filter(stage_id=stage_id).order_by("position").values_list("pk", flat=True)
    )


def _touch(journey_id: int) -> None:
    """The list shows each journey's last change."""
    Journey.objects.filter(pk=journey_id).update(updated_at=timezone.now())
