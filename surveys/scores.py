"""Figures derived from summed rollup rows: the one place where gap, CI, CSAT, NPS and CES
are computed, for pages, API and exports alike.

Every figure is None when nothing was answered, never 0: "no data" must not read as a score.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .models import SUM_FIELDS

# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom; past 30 the
# normal approximation (1.96) is within 2% and is used instead.
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t_critical_95(degrees_of_freedom: int) -> float:
    if degrees_of_freedom <= len(_T_975):
        return _T_975[degrees_of_freedom - 1]
    return 1.96


@dataclass(frozen=True)
class Scores:
    responses: int
    invitations_sent: int
    gap_answered: int
    mean_expectation: float | None
    mean_experience: float | None
    gap: float | None
    gap_margin: float | None  # half-width of the 95% confidence interval of the gap
    csat_percent: float | None
    nps: float | None
    ces: float | None
    response_rate: float | None
    comments: int

    @property
    def gap_interval(self):
        if self.gap is None or self.gap_margin is None:
            return None
        return (self.gap - self.gap_margin, self.gap + self.gap_margin)


def _ratio(numerator, denominator, scale=1.0):
    return None if not denominator else scale * numerator / denominator


def _gap_margin(n: int, sum_gap: int, sum_gap_squared: int) -> float | None:
    if n < 2:
        return None
    variance = max((sum_gap_squared - sum_gap * sum_gap / n) / (n - 1), 0.0)
    return t_critical_95(n - 1) * math.sqrt(variance / n)


def scores_from_sums(sums: Mapping[str, int | None]) -> Scores:
    """Derive every figure from a mapping of summed rollup fields (missing means 0)."""
    s = {name: sums.get(name) or 0 for name in SUM_FIELDS}
    n = s["gap_answered"]
    return Scores(
        responses=s["responses"],
        invitations_sent=s["invitations_sent"],
        gap_answered=n,
        mean_expectation=_ratio(s["sum_expectation"], n),
        mean_experience=_ratio(s["sum_experience"], n),
        gap=_ratio(s["sum_gap"], n),
        gap_margin=_gap_margin(n, s["sum_gap"], s["sum_gap_squared"]),
        csat_percent=_ratio(s["csat_top2"], s["csat_answered"], 100),
        nps=_ratio(s["promoters"] - s["detractors"], s["nps_answered"], 100),
        ces=_ratio(s["sum_effort"], s["effort_answered"]),
        response_rate=_ratio(s["responses"], s["invitations_sent"], 100),
        comments=s["comments"],
    )
