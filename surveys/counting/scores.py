"""Figures derived from summed rollup rows: the one place where every score and its 95%
interval is computed, for pages, API and exports alike (docs/statistics.md gives each
formula with a worked example).

Every figure is None when nothing was answered, never 0: "no data" must not read as a
score. Each measure has its own n and its own "enough data" test (TOUCHSTONE_MIN_SAMPLE).
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from django.conf import settings
from scipy import stats

from surveys.models import STANDARD_FIELDS, SUM_FIELDS

CONFIDENCE = 0.95
POWER = 0.80
# The change a before/after check should be able to tell (points of the 1-7 gap).
CHANGE_WORTH_SEEING = 0.3


@lru_cache(maxsize=8192)
def t_critical_95(degrees_of_freedom: float) -> float:
    """Student's t quantile for a two-sided 95% interval (exact, from scipy; cached: the
    same degrees of freedom come back on every page)."""
    return float(stats.t.ppf(0.5 + CONFIDENCE / 2, degrees_of_freedom))


@lru_cache(maxsize=8192)
def _t_quantile(probability: float, degrees_of_freedom: float) -> float:
    return float(stats.t.ppf(probability, degrees_of_freedom))


Z_95 = float(stats.norm.ppf(0.5 + CONFIDENCE / 2))


def enough(n: int) -> bool:
    """The one "enough data" rule: a measure with fewer answers shows no figure."""
    return n >= settings.TOUCHSTONE_MIN_SAMPLE


@dataclass(frozen=True)
class Mean:
    """A mean of n answers with its 95% interval (Student's t)."""

    n: int
    mean: float | None
    margin: float | None  # half-width; None below two answers
    spread: float | None  # the sample standard deviation

    @property
    def all_equal(self) -> bool:
        """Two answers or more, every one the same: an interval of zero width would read as
        certainty, so none is shown, and no change is read from it."""
        return self.spread == 0.0


def mean_of(n: int, total: int, squares: int) -> Mean:
    if n == 0:
        return Mean(0, None, None, None)
    if n == 1:
        return Mean(1, total, None, None)
    spread = math.sqrt(_variance(n, total, squares))
    return Mean(n, total / n, t_critical_95(n - 1) * spread / math.sqrt(n), spread)


def _variance(n: int, total: int, squares: int) -> float:
    # Integer sums are exact; the float difference is never below 0 but for rounding.
    return max((squares - total * total / n) / (n - 1), 0.0)


def wilson(successes: int, n: int) -> tuple[float, float] | None:
    """The Wilson score 95% interval of a proportion, in percent."""
    if n == 0:
        return None
    share, z2 = successes / n, Z_95 * Z_95
    centre = (share + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_95 / (1 + z2 / n) * math.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return 100 * max(centre - half, 0.0), 100 * min(centre + half, 1.0)


def nps_interval(promoters: int, detractors: int, n: int) -> tuple[float, float] | None:
    """The adjusted-Wald 95% interval of the NPS (Rocks 2016): three answers are added,
    three quarters of one each to promoters and detractors, and the variance of the
    difference of two shares of one trinomial sample is used; bounded to -100..100."""
    if n == 0:
        return None
    size = n + 3
    promoted, detracted = (promoters + 0.75) / size, (detractors + 0.75) / size
    score = promoted - detracted
    margin = Z_95 * math.sqrt(max(promoted + detracted - score * score, 0.0) / size)
    return 100 * max(score - margin, -1.0), 100 * min(score + margin, 1.0)


@dataclass(frozen=True)
class Scores:
    responses: int
    invitations_sent: int
    gap_answered: int
    mean_expectation: float | None
    mean_experience: float | None
    gap: float | None
    gap_margin: float | None  # half-width of the gap's 95% interval (Student's t)
    csat_percent: float | None
    nps: float | None
    ces: float | None
    response_rate: float | None  # of the invitations sent in the period, % answered by now
    comments: int
    sentiment: float | None = None  # mean of the scored comments, -1 to 1
    invitations_answered: int = 0
    invitations_open: int = 0  # sent in the period, neither answered nor expired yet
    gap_spread: float | None = None
    csat_answered: int = 0
    csat_low: float | None = None  # Wilson 95% interval, %
    csat_high: float | None = None
    nps_answered: int = 0
    nps_low: float | None = None  # adjusted-Wald 95% interval
    nps_high: float | None = None
    effort_answered: int = 0
    ces_margin: float | None = None  # half-width of the CES's 95% interval (Student's t)
    ces_spread: float | None = None

    @property
    def gap_interval(self):
        if self.gap is None or self.gap_margin is None:
            return None
        return (self.gap - self.gap_margin, self.gap + self.gap_margin)

    @property
    def gap_all_equal(self) -> bool:
        return self.gap_spread == 0.0

    @property
    def ces_all_equal(self) -> bool:
        return self.ces_spread == 0.0

    # Each measure's own "enough data".
    @property
    def enough_gap(self) -> bool:
        return enough(self.gap_answered)

    @property
    def enough_csat(self) -> bool:
        return enough(self.csat_answered)

    @property
    def enough_nps(self) -> bool:
        return enough(self.nps_answered)

    @property
    def enough_ces(self) -> bool:
        return enough(self.effort_answered)

    @property
    def enough_any(self) -> bool:
        return self.enough_gap or self.enough_csat or self.enough_nps or self.enough_ces

    @property
    def detectable_change(self) -> float | None:
        """The smallest change of the gap a next period like this one could tell from it
        (80% power, 5% level): beneath it, "no change" means "too little data to see one"."""
        return detectable_change(self.gap_answered, self.gap_spread)


def _ratio(numerator, denominator, scale=1.0):
    return None if not denominator else scale * numerator / denominator


def scores_from_sums(sums: Mapping[str, int | None]) -> Scores:
    """Derive every figure from a mapping of summed rollup fields (missing means 0)."""
    s = {name: sums.get(name) or 0 for name in SUM_FIELDS}
    gap = mean_of(s["gap_answered"], s["sum_gap"], s["sum_gap_squared"])
    effort = mean_of(s["effort_answered"], s["sum_effort"], s["sum_effort_squared"])
    csat = wilson(s["csat_top2"], s["csat_answered"]) or (None, None)
    nps = nps_interval(s["promoters"], s["detractors"], s["nps_answered"]) or (None, None)
    sent, answered = s["invitations_sent"], s["invitations_answered"]
    return Scores(
        responses=s["responses"],
        invitations_sent=sent,
        gap_answered=gap.n,
        mean_expectation=_ratio(s["sum_expectation"], gap.n),
        mean_experience=_ratio(s["sum_experience"], gap.n),
        gap=gap.mean,
        gap_margin=gap.margin,
        csat_percent=_ratio(s["csat_top2"], s["csat_answered"], 100),
        nps=_ratio(s["promoters"] - s["detractors"], s["nps_answered"], 100),
        ces=effort.mean,
        response_rate=_ratio(answered, sent, 100),
        comments=s["comments"],
        sentiment=_ratio(s["sum_sentiment_milli"], s["sentiment_scored"], 0.001),
        invitations_answered=answered,
        invitations_open=sent - answered - s["invitations_expired"],
        gap_spread=gap.spread,
        csat_answered=s["csat_answered"],
        csat_low=csat[0],
        csat_high=csat[1],
        nps_answered=s["nps_answered"],
        nps_low=nps[0],
        nps_high=nps[1],
        effort_answered=effort.n,
        ces_margin=effort.margin,
        ces_spread=effort.spread,
    )


# --- How big a change can the data see? ------------------------------------------------------


def detectable_change(n: int, spread: float | None, other_n: int | None = None) -> float | None:
    """The smallest difference of two means (this sample of n, another of other_n, by
    default the same) that a two-sided Welch test at 5% finds with 80% power, given the
    spread: (t_0.975 + t_0.80) * spread * sqrt(1/n + 1/other_n)."""
    other_n = n if other_n is None else other_n
    if spread is None or n < 2 or other_n < 2:
        return None
    df = n + other_n - 2
    multiplier = t_critical_95(df) + _t_quantile(POWER, df)
    return multiplier * spread * math.sqrt(1 / n + 1 / other_n)


def answers_needed(
    before_n: int, spread: float | None, after_n: int, change: float = CHANGE_WORTH_SEEING
) -> int | None:
    """How many more answers after a change until its before/after check can tell a
    change of `change` points (80% power, 5% level): 0 when it already can, None when
    the answers before are too few for any number after (or the spread is unknown)."""
    if spread is None or before_n < 2:
        return None
    if spread == 0:
        return 0
    needed = after_n
    while detectable_change(before_n, spread, max(needed, 2)) > change:
        needed = max(needed * 2, 2)
        if needed > 10**7:
            return None
    low, high = after_n, needed  # the smallest n that can, by halving
    while low < high:
        middle = (low + high) // 2
        if middle >= 2 and detectable_change(before_n, spread, middle) <= change:
            high = middle
        else:
            low = middle + 1
    return max(low - after_n, 0)


def pooled_gap_spread(*samples: Scores) -> float | None:
    """The gap's spread of the samples together (of those that have one; None if none)."""
    parts = [(s.gap_answered, s.gap_spread) for s in samples if s.gap_spread is not None]
    if not parts:
        return None
    squares = sum((n - 1) * spread**2 for n, spread in parts)
    return (squares / sum(n - 1 for n, _ in parts)) ** 0.5


# --- Do two gaps differ? Welch's t-test, from the same sums --------------------------------


@dataclass(frozen=True)
class GapComparison:
    """The gap of one sample against a reference: a later period against an earlier one,
    or answers to interactions that missed a standard against those that met it."""

    reference: Scores
    compared: Scores
    difference: float | None  # compared - reference: negative means the gap is smaller
    p_value: float | None
    significant: bool = False  # after the false discovery rate control of its page
    margin: float | None = None  # half-width of the 95% interval of the difference
    df: float | None = None  # Welch-Satterthwaite, unrounded: interval and p agree
    reason: str = ""  # why there is no p-value: "too few answers", "all answers equal"
    p_adjusted: float | None = None  # Benjamini-Hochberg, among the rows of its page

    @property
    def verdict(self) -> str:
        """Read over time: the compared period against the reference one."""
        if self.p_value is None:
            return self.reason or "too few answers"
        if not self.significant:
            return "no significant change"
        return "improved" if self.difference < 0 else "worse"


def compare_gaps(reference: Mapping[str, int], compared: Mapping[str, int]) -> GapComparison:
    """Welch's t-test of the compared mean gap against the reference, from summed rollup
    rows: n, Σgap and Σgap² are all it needs, so no raw answer is read. Only with enough
    answers on both sides, and never from two samples whose answers are all equal (a
    variance of 0 is no evidence). Significance is decided across a page by
    control_false_discoveries."""
    a, b = scores_from_sums(reference), scores_from_sums(compared)
    if not (a.enough_gap and b.enough_gap):
        difference = b.gap - a.gap if a.gap is not None and b.gap is not None else None
        return GapComparison(a, b, difference, None, reason="too few answers")
    difference = b.gap - a.gap
    test = welch(
        Mean(a.gap_answered, a.gap, None, a.gap_spread),
        Mean(b.gap_answered, b.gap, None, b.gap_spread),
    )
    if test is None:
        return GapComparison(a, b, difference, None, reason="all answers equal: more needed")
    # Significant or not is decided among the page's rows (control_false_discoveries).
    return GapComparison(a, b, difference, test.p_value, margin=test.margin, df=test.df)


@dataclass(frozen=True)
class MeanDifference:
    """b's mean minus a's, with the 95% interval's half-width and Welch's p-value."""

    difference: float
    margin: float
    p_value: float
    df: float  # Welch-Satterthwaite, unrounded: interval and p agree


def welch(a: Mean, b: Mean) -> MeanDifference | None:
    """Welch's t-test of two means of two answers or more each; None when every answer of
    both is the same (a variance of 0 is no evidence)."""
    se2 = a.spread**2 / a.n + b.spread**2 / b.n
    if se2 == 0:
        return None
    df = se2**2 / ((a.spread**2 / a.n) ** 2 / (a.n - 1) + (b.spread**2 / b.n) ** 2 / (b.n - 1))
    difference = b.mean - a.mean
    p_value = t_two_sided_p(difference / math.sqrt(se2), df)
    return MeanDifference(difference, t_critical_95(df) * math.sqrt(se2), p_value, df)


def control_false_discoveries(
    changes: Sequence[GapComparison | None],
) -> list[GapComparison | None]:
    """The changes of one page's rows, each significant only where its Benjamini-Hochberg
    adjusted p-value is below 5%: with 30 rows of pure noise, one in twenty pages shows a
    change at most, not one and a half arrows a page."""
    tested = [i for i, change in enumerate(changes) if change and change.p_value is not None]
    result = list(changes)
    if not tested:
        return result
    adjusted = stats.false_discovery_control([changes[i].p_value for i in tested], method="bh")
    for i, p in zip(tested, adjusted, strict=True):
        result[i] = replace(changes[i], p_adjusted=float(p), significant=bool(p < 1 - CONFIDENCE))
    return result


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| ≥ |t|) for Student's t with df degrees of freedom."""
    return float(2 * stats.t.sf(abs(t), df))


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


# --- Do two shares differ? -------------------------------------------------------------------


@dataclass(frozen=True)
class ShareDifference:
    """b's share minus a's in percentage points, with Newcombe's 95% interval (from the two
    Wilson intervals) and the two-sided p-value of Fisher's exact test."""

    difference: float
    low: float
    high: float
    p_value: float


def compare_shares(a_successes: int, a_n: int, b_successes: int, b_n: int) -> ShareDifference:
    a_share, b_share = 100 * a_successes / a_n, 100 * b_successes / b_n
    (a_low, a_high), (b_low, b_high) = wilson(a_successes, a_n), wilson(b_successes, b_n)
    difference = b_share - a_share
    low = difference - math.hypot(b_share - b_low, a_high - a_share)
    high = difference + math.hypot(b_high - b_share, a_share - a_low)
    table = [[a_successes, a_n - a_successes], [b_successes, b_n - b_successes]]
    p_value = float(stats.fisher_exact(table).pvalue)
    return ShareDifference(difference, low, high, p_value)
