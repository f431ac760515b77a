"""The paths customers really take, from the nightly path rollup, marked against the
designed map."""

from dataclasses import dataclass

from django.db.models import Sum

from journeys.models import Journey, Step
from surveys.counting.periods import Period
from surveys.models import PathEnd, PathTransition
from touchpoints.models import Touchpoint

PATH_LINKS_SHOWN = 60


@dataclass
class PathLink:
    step: int
    source: Touchpoint
    target: Touchpoint | None
    ended: str
    count: int
    kind: str  # "designed", "off the map", "walked away", "stopped"


def real_paths(journey: Journey, period: Period) -> list[PathLink]:
    """The most travelled steps of real paths in the period's months, each marked against
    the designed map: forward along the journey's stages, or off it."""
    rows = (
        PathTransition.objects.filter(
            month__gte=period.since.replace(day=1), month__lte=period.until.replace(day=1)
        )
        .values("step", "source_id", "target_id", "ended")
        .annotate(total=Sum("count"))
        .order_by("-total")[:PATH_LINKS_SHOWN]
    )
    rows = list(rows)
    ids = {row["source_id"] for row in rows} | ({row["target_id"] for row in rows} - {None})
    touchpoints = Touchpoint.objects.select_related("department").in_bulk(ids)
    stage_of = dict(
        Step.objects.filter(stage__journey=journey).values_list("touchpoint_id", "stage__position")
    )
    links = []
    for row in rows:
        source, target = touchpoints[row["source_id"]], touchpoints.get(row["target_id"])
        if row["ended"] == PathEnd.DROPPED:
            kind = "walked away"
        elif row["ended"] == PathEnd.STOPPED:
            kind = "stopped"
        elif (
            source.pk in stage_of
            and target.pk in stage_of
            and stage_of[target.pk] >= stage_of[source.pk]
        ):
            kind = "designed"
        else:
            kind = "off the map"
        links.append(PathLink(row["step"], source, target, row["ended"], row["total"], kind))
    return links
