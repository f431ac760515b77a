"""The live journey map: each stage's touchpoints with their scores, standards, complaints
and themes."""

from dataclasses import dataclass, field

from dashboards.selectors import PeriodFigures, TouchpointFigures, add_sums
from journeys.models import Journey, Stage, Step
from surveys.counting.periods import Period
from surveys.counting.scores import (
    Scores,
    scores_from_sums,
)
from touchpoints.models import Touchpoint, supporters_of


@dataclass
class MapStage:
    stage: Stage
    points: list[TouchpointFigures]
    scores: Scores  # the stage's figures from the sums of its touchpoints
    backstage: list[TouchpointFigures] = field(default_factory=list)


def journey_map(journey: Journey, period: Period, channel: str = "") -> list[MapStage]:
    steps = Step.objects.filter(stage__journey=journey).select_related("touchpoint__department")
    if channel:
        steps = steps.filter(touchpoint__channel=channel)
    by_stage: dict[int, list[Touchpoint]] = {}
    for step in steps.order_by("position"):
        by_stage.setdefault(step.stage_id, []).append(step.touchpoint)
    supporters = supporters_of({tp.pk for tps in by_stage.values() for tp in tps})
    ids = {tp.pk for tps in by_stage.values() for tp in tps}
    ids |= {tp.pk for tps in supporters.values() for tp in tps}
    figures = PeriodFigures.read(ids, period)
    sums = figures.sums
    point = figures.of

    stages = []
    for stage in journey.stages.order_by("position"):
        touchpoints = by_stage.get(stage.pk, [])
        backstage = {s.pk: s for tp in touchpoints for s in supporters.get(tp.pk, [])}
        stage_sums = add_sums(
            [sums.get(tp.pk, {}) for tp in {tp.pk: tp for tp in touchpoints}.values()]
        )
        stages.append(
            MapStage(
                stage,
                [point(tp) for tp in touchpoints],
                scores_from_sums(stage_sums),
                [point(tp) for tp in backstage.values()],
            )
        )
    return stages
