"""Loop figures: how well follow-ups are worked, per touchpoint or per staff member, read
from the daily loop rollups (TouchpointDailyLoop) of a period's days.

First contact in time is a share of the follow-ups whose fate is known (contacted,
escalated or resolved); those still within their due time are not counted either way.
Medians are exact: the rollups keep every wait."""

import statistics
from collections import defaultdict
from dataclasses import dataclass

from surveys.counting.periods import Period
from surveys.counting.scores import enough, wilson
from surveys.models import LOOP_FIELDS, TouchpointDailyLoop

COUNTS = [name for name in LOOP_FIELDS if not name.endswith("_seconds")]


@dataclass(frozen=True)
class LoopFigures:
    opened: int = 0
    decided: int = 0
    contacted: int = 0
    contacted_in_time: int = 0
    resolved: int = 0
    overdue: int = 0
    median_contact_hours: float | None = None
    median_resolve_hours: float | None = None

    @property
    def open(self) -> int:
        return self.opened - self.resolved

    @property
    def in_time_interval(self) -> tuple[float, float] | None:
        """The Wilson 95% interval of the share contacted in time, in %."""
        return wilson(self.contacted_in_time, self.decided)

    @property
    def in_time_percent(self) -> float | None:
        """Shown only from the minimum sample on, as every other share."""
        if not enough(self.decided):
            return None
        return 100 * self.contacted_in_time / self.decided

    def as_dict(self) -> dict:
        interval = self.in_time_interval if self.in_time_percent is not None else None
        return {
            "opened": self.opened,
            "open": self.open,
            "overdue": self.overdue,
            "resolved": self.resolved,
            "decided": self.decided,
            "contacted_in_time": self.contacted_in_time,
            "in_time_percent": self.in_time_percent,
            "in_time_low": interval[0] if interval else None,
            "in_time_high": interval[1] if interval else None,
            "median_hours_to_first_contact": self.median_contact_hours,
            "median_hours_to_resolution": self.median_resolve_hours,
        }


def loop_figures(touchpoint_ids, period: Period, by="touchpoint") -> dict:
    """LoopFigures of these touchpoints over the follow-ups their answers of `period`
    opened, keyed by touchpoint id, or by staff id (`by="staff"`, 0: nobody), or all
    together (`by="all"`, key None), or by a mapping of touchpoint id to a key."""
    return loop_figures_by(touchpoint_ids, period, by)[0]


def loop_figures_by(touchpoint_ids, period: Period, *groupings) -> list[dict]:
    """loop_figures for each of these groupings, from one read of the rollups."""
    rows = TouchpointDailyLoop.objects.filter(
        touchpoint_id__in=list(touchpoint_ids), day__range=(period.since, period.until)
    ).values("touchpoint_id", "staff_id", *LOOP_FIELDS)
    counts = [defaultdict(lambda: dict.fromkeys(COUNTS, 0)) for _ in groupings]
    waits = [defaultdict(lambda: ([], [])) for _ in groupings]
    for row in rows:
        for index, by in enumerate(groupings):
            key = _key(by, row)
            for name in COUNTS:
                counts[index][key][name] += row[name]
            waits[index][key][0].extend(row["contact_seconds"])
            waits[index][key][1].extend(row["resolve_seconds"])
    return [
        {
            key: LoopFigures(
                **summed,
                median_contact_hours=_median_hours(grouped_waits[key][0]),
                median_resolve_hours=_median_hours(grouped_waits[key][1]),
            )
            for key, summed in grouped.items()
        }
        for grouped, grouped_waits in zip(counts, waits, strict=True)
    ]


def _key(by, row):
    if by == "touchpoint":
        return row["touchpoint_id"]
    if by == "staff":
        return row["staff_id"]
    if by == "all":
        return None
    return by[row["touchpoint_id"]]


def _median_hours(seconds: list[int]) -> float | None:
    return statistics.median(seconds) / 3600 if seconds else None
