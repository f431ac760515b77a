"""Which touchpoints to fix first: the ranking rule of the priorities page."""

from dataclasses import dataclass

from surveys.counting.periods import Period
from surveys.counting.scores import (
    Scores,
    scores_from_sums,
)
from surveys.counting.selectors import sums_by_touchpoint
from touchpoints.models import Touchpoint


@dataclass
class Priority:
    touchpoint: Touchpoint
    scores: Scores
    impact: float  # 0-100, relative to the highest
    effort: int
    bucket: str  # "quick win", "next quarter", "the quarter after", "watch"


QUICK_WIN_EFFORT = 2


QUICK_WIN_IMPACT = 50


def priorities(touchpoints: list[Touchpoint], period: Period) -> list[Priority]:
    """Impact = gap x volume x detractor share, scaled to 100 for the worst touchpoint;
    effort is the touchpoint's own estimate. Quick wins: high impact, low effort. The rest
    of what hurts is planned over the next two quarters, best ratio first."""
    sums = sums_by_touchpoint([tp.pk for tp in touchpoints], period.since, period.until)
    raw = []
    for touchpoint in touchpoints:
        s = sums.get(touchpoint.pk, {})
        scores = scores_from_sums(s)
        if not scores.enough_gap:
            continue
        detractor_share = (s["detractors"] / s["nps_answered"]) if s["nps_answered"] else 0
        raw.append((touchpoint, scores, max(scores.gap, 0) * scores.gap_answered * detractor_share))
    top = max((value for *_, value in raw), default=0) or 1
    ranked = sorted(
        (
            Priority(tp, scores, 100 * value / top, tp.effort_estimate, "")
            for tp, scores, value in raw
        ),
        key=lambda p: (-p.impact / p.effort, -p.impact),
    )
    planned = [p for p in ranked if p.impact > 0]
    for p in ranked:
        if p.impact <= 0:
            p.bucket = "watch"
        elif p.impact >= QUICK_WIN_IMPACT and p.effort <= QUICK_WIN_EFFORT:
            p.bucket = "quick win"
    rest = [p for p in planned if not p.bucket]
    half = (len(rest) + 1) // 2
    for index, p in enumerate(rest):
        p.bucket = "next quarter" if index < half else "the quarter after"
    return ranked
