"""The live journey map: each stage's touchpoints with their scores, standards, complaints
and themes."""

from dataclasses import dataclass, field

from dashboards.selectors import (
    add_sums,
    enough,
    themes_of,
)
from journeys.models import Journey, Stage, Step
from surveys.complaints.counts import ComplaintCount, complaint_counts
from surveys.counting.periods import Period, moments
from surveys.counting.scores import (
    Compliance,
    Scores,
    scores_from_sums,
)
from surveys.counting.selectors import compliance_by_touchpoint, sums_by_touchpoint
from surveys.said.shares import ThemeShare
from touchpoints.models import Touchpoint, supporters_of


@dataclass
class MapPoint:
    touchpoint: Touchpoint
    scores: Scores
    enough_data: bool
    compliance: Compliance | None = None
    complaints: ComplaintCount | None = None
    themes: list[ThemeShare] = field(default_factory=list)
    complaint_themes: list[ThemeShare] = field(default_factory=list)


@dataclass
class MapStage:
    stage: Stage
    points: list[MapPoint]
    scores: Scores  # the stage's figures from the sums of its touchpoints
    backstage: list[MapPoint] = field(default_factory=list)


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
    sums = sums_by_touchpoint(ids, period.since, period.until)
    compliance = compliance_by_touchpoint(ids, period.since, period.until)
    complaints = complaint_counts(ids, *moments(period))
    said, complained = themes_of(ids, sums, complaints, period)

    def point(touchpoint):
        scores = scores_from_sums(sums.get(touchpoint.pk, {}))
        return MapPoint(
            touchpoint,
            scores,
            enough(scores),
            compliance.get(touchpoint.pk),
            complaints.get(touchpoint.pk),
            said.get(touchpoint.pk, []),
            complained.get(touchpoint.pk, []),
        )

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
