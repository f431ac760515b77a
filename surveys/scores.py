"""Figures derived from summed rollup rows: the one place where gap, CI, CSAT, NPS and CES
are computed, for pages, API and exports alike.

Every figure is None when nothing was answered, never 0: "no data" must not read as a score.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .models import STANDARD_FIELDS, SUM_FIELDS

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
    sentiment: float | None = None  # mean of the scored comments, -1 to 1

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
        sentiment=_ratio(s["sum_sentiment_milli"], s["sentiment_scored"], 0.001),
    )


# --- Did the gap change? Welch's t-test, from the same sums --------------------------------


@dataclass(frozen=True)
class GapChange:
    before: Scores
    after: Scores
    difference: float | None  # after - before: negative means the gap closed
    p_value: float | None
    significant: bool
    margin: float | None = None  # half-width of the 95% confidence interval of the difference

    @property
    def verdict(self) -> str:
        if self.difference is None:
            return "too few answers"
        if not self.significant:
            return "no significant change"
        return "improved" if self.difference < 0 else "worse"


def gap_change(before: Mapping[str, int], after: Mapping[str, int], alpha=0.05) -> GapChange:
    """Welch's t-test of the mean gap after vs before, from summed rollup rows: n, Σgap
    and Σgap² are all it needs, so no raw answer is read."""
    a, b = scores_from_sums(before), scores_from_sums(after)
    na, nb = a.gap_answered, b.gap_answered
    if na < 2 or nb < 2:
        return GapChange(a, b, None, None, False)
    va = _variance(na, before.get("sum_gap") or 0, before.get("sum_gap_squared") or 0)
    vb = _variance(nb, after.get("sum_gap") or 0, after.get("sum_gap_squared") or 0)
    difference = b.gap - a.gap
    se2 = va / na + vb / nb
    if se2 == 0:
        return GapChange(a, b, difference, 1.0 if difference == 0 else 0.0, difference != 0, 0.0)
    t = difference / math.sqrt(se2)
    df = se2**2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    p_value = t_two_sided_p(t, df)
    margin = t_critical_95(max(1, math.floor(df))) * math.sqrt(se2)
    return GapChange(a, b, difference, p_value, p_value < alpha, margin)


def _variance(n: int, total: int, squares: int) -> float:
    return max((squares - total * total / n) / (n - 1), 0.0)


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with df degrees of freedom."""
    return _betainc(df / 2, 0.5, df / (df + t * t))


def _betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b) (continued fraction, Lentz)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1) < 3e-14:
            break
    return h


# --- Service standards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Compliance:
    interactions: int
    measured: int  # interactions with a fact for at least one timed target
    met: int  # of those, the ones that met every timed target measured
    fcr_measured: int
    fcr_met: int

    @property
    def percent(self) -> float | None:
        return _ratio(self.met, self.measured, 100)

    @property
    def breaches(self) -> int:
        return self.measured - self.met

    @property
    def fcr_percent(self) -> float | None:
        return _ratio(self.fcr_met, self.fcr_measured, 100)


def compliance_from_sums(sums: Mapping[str, int | None]) -> Compliance:
    s = {name: sums.get(name) or 0 for name in STANDARD_FIELDS}
    return Compliance(
        s["interactions"], s["timed_measured"], s["timed_met"], s["fcr_measured"], s["fcr_met"]
    )
