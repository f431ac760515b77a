"""Changes to whole journeys that touch more than one row."""

from django.db import transaction

from .models import Journey, JourneyState, Stage, Step


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
