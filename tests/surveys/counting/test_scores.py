"""Every figure and interval derived from the rollup sums, against an independent
computation by scipy over the raw answers, to 1e-9, on random answer sets (hypothesis);
and the gap's interval holds its 95% on normal data."""

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from surveys.counting.scores import (
    answers_needed,
    compare_gaps,
    detectable_change,
    scores_from_sums,
    t_critical_95,
)

TOLERANCE = 1e-9
Z = stats.norm.ppf(0.975)


def sums_of(gaps=(), expectations=None, csat=(), nps=(), effort=(), statuses=()):
    """The rollup sums of raw answers, as the aggregation's SQL adds them; `statuses`:
    the invitations sent in the period, by their status now."""
    expectations = expectations or [4] * len(gaps)
    return {
        "responses": max(len(gaps), len(csat), len(nps), len(effort)),
        "invitations_sent": len(statuses),
        "invitations_answered": statuses.count("answered"),
        "invitations_expired": statuses.count("expired"),
        "gap_answered": len(gaps),
        "sum_expectation": sum(expectations),
        "sum_experience": sum(e - g for e, g in zip(expectations, gaps, strict=True)),
        "sum_gap": sum(gaps),
        "sum_gap_squared": sum(g * g for g in gaps),
        "csat_answered": len(csat),
        "csat_top2": sum(1 for c in csat if c >= 4),
        "nps_answered": len(nps),
        "promoters": sum(1 for n in nps if n >= 9),
        "detractors": sum(1 for n in nps if n <= 6),
        "effort_answered": len(effort),
        "sum_effort": sum(effort),
        "sum_effort_squared": sum(e * e for e in effort),
    }


def t_interval(values):
    """scipy's Student t interval of a mean: (mean, half-width)."""
    values = np.asarray(values, dtype=float)
    mean = values.mean()
    low, high = stats.t.interval(0.95, len(values) - 1, loc=mean, scale=stats.sem(values))
    return mean, (high - low) / 2


gaps = st.lists(st.integers(-6, 6), min_size=2, max_size=400)
scale_1_5 = st.lists(st.integers(1, 5), min_size=1, max_size=400)
scale_0_10 = st.lists(st.integers(0, 10), min_size=1, max_size=400)
scale_1_7 = st.lists(st.integers(1, 7), min_size=2, max_size=400)


@settings(max_examples=200, deadline=None)
@given(gaps)
def test_the_gap_and_its_interval_equal_scipys(values):
    scores = scores_from_sums(sums_of(gaps=values))
    assert scores.gap == pytest.approx(np.mean(values), abs=TOLERANCE)
    if len(set(values)) == 1:  # all equal: no interval that would read as certainty
        assert scores.gap_all_equal and scores.gap_margin == 0
        return
    _mean, margin = t_interval(values)
    assert scores.gap_margin == pytest.approx(margin, abs=TOLERANCE)


@settings(max_examples=200, deadline=None)
@given(scale_1_7)
def test_the_ces_and_its_interval_equal_scipys(values):
    scores = scores_from_sums(sums_of(effort=values))
    assert scores.ces == pytest.approx(np.mean(values), abs=TOLERANCE)
    if len(set(values)) > 1:
        assert scores.ces_margin == pytest.approx(t_interval(values)[1], abs=TOLERANCE)


@settings(max_examples=200, deadline=None)
@given(scale_1_5)
def test_csat_and_its_wilson_interval_equal_scipys(values):
    scores = scores_from_sums(sums_of(csat=values))
    top2 = sum(1 for v in values if v >= 4)
    assert scores.csat_percent == pytest.approx(100 * top2 / len(values), abs=TOLERANCE)
    interval = stats.binomtest(top2, len(values)).proportion_ci(0.95, method="wilson")
    assert scores.csat_low == pytest.approx(100 * interval.low, abs=TOLERANCE)
    assert scores.csat_high == pytest.approx(100 * interval.high, abs=TOLERANCE)


@settings(max_examples=200, deadline=None)
@given(scale_0_10)
def test_nps_and_its_adjusted_wald_interval(values):
    """Against the adjusted-Wald method written out on the raw answers: three pseudo
    answers (0.75 promoter, 1.5 passive, 0.75 detractor) and the variance of the mean of
    the +1/0/-1 scores, a trinomial variable."""
    scores = scores_from_sums(sums_of(nps=values))
    points = np.array([1 if v >= 9 else -1 if v <= 6 else 0 for v in values], dtype=float)
    assert scores.nps == pytest.approx(100 * points.mean(), abs=TOLERANCE)
    weights = np.concatenate([np.ones(len(points)), [0.75, 1.5, 0.75]])
    scored = np.concatenate([points, [1.0, 0.0, -1.0]])
    adjusted = np.average(scored, weights=weights)
    variance = np.average((scored - adjusted) ** 2, weights=weights)
    margin = Z * math.sqrt(variance / weights.sum())
    assert scores.nps_low == pytest.approx(100 * max(adjusted - margin, -1), abs=TOLERANCE)
    assert scores.nps_high == pytest.approx(100 * min(adjusted + margin, 1), abs=TOLERANCE)
    assert -100 <= scores.nps_low <= scores.nps_high <= 100


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["sent", "answered", "expired"]), min_size=1, max_size=500))
def test_the_response_rate_is_the_share_of_a_cohort_and_never_above_100(statuses):
    scores = scores_from_sums(sums_of(statuses=statuses))
    answered = statuses.count("answered")
    assert scores.response_rate == pytest.approx(100 * answered / len(statuses), abs=TOLERANCE)
    assert 0 <= scores.response_rate <= 100
    assert scores.invitations_open == statuses.count("sent")


@settings(max_examples=200, deadline=None)
@given(gaps.filter(lambda v: len(v) >= 30), gaps.filter(lambda v: len(v) >= 30))
def test_the_welch_test_and_its_interval_equal_scipys_and_agree(before, after):
    change = compare_gaps(sums_of(gaps=before), sums_of(gaps=after))
    if len(set(before)) == 1 and len(set(after)) == 1:
        assert change.p_value is None and "all answers equal" in change.verdict
        return
    welch = stats.ttest_ind(after, before, equal_var=False)
    low, high = welch.confidence_interval(0.95)
    assert change.difference == pytest.approx(np.mean(after) - np.mean(before), abs=TOLERANCE)
    assert change.p_value == pytest.approx(welch.pvalue, abs=TOLERANCE)
    assert change.df == pytest.approx(welch.df, rel=TOLERANCE)
    assert change.margin == pytest.approx((high - low) / 2, abs=TOLERANCE)
    # The interval excludes 0 exactly when p < 0.05: the unrounded df makes them agree.
    excludes_zero = abs(change.difference) > change.margin
    assert excludes_zero == (change.p_value < 0.05) or math.isclose(change.p_value, 0.05)


def test_no_answers_give_no_figures_not_zeros():
    scores = scores_from_sums({})
    assert (scores.gap, scores.gap_margin, scores.csat_percent, scores.csat_low) == (None,) * 4
    assert (scores.nps, scores.nps_low, scores.ces, scores.response_rate) == (None,) * 4


def test_one_answer_has_a_gap_but_no_interval():
    scores = scores_from_sums(sums_of(gaps=[2], expectations=[6]))
    assert (scores.gap, scores.mean_expectation, scores.mean_experience) == (2, 6, 4)
    assert scores.gap_margin is None and not scores.gap_all_equal


def test_the_t_quantiles_are_exact_past_thirty_degrees_of_freedom():
    """The old table fell back to 1.96 past 30: at 31 degrees of freedom 3.9% too narrow."""
    assert t_critical_95(31) == pytest.approx(2.0395134463964077, abs=TOLERANCE)
    assert t_critical_95(33) / 1.96 - 1 > 0.03
    assert t_critical_95(12.5) == pytest.approx(stats.t.ppf(0.975, 12.5), abs=TOLERANCE)


def test_each_measure_has_its_own_enough_data(settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 30
    # 40 CSAT and NPS answers, no expectation question: enough for those, not for the gap.
    scores = scores_from_sums(sums_of(csat=[4] * 40, nps=[9] * 40))
    assert scores.enough_csat and scores.enough_nps and not scores.enough_gap
    assert scores.enough_any and not scores.enough_ces


@pytest.mark.parametrize("n", [5, 31, 200])
def test_the_gaps_interval_holds_95_percent_on_normal_gaps(n):
    """Coverage of the t interval over 6,000 normal samples of n: 95% within 1%. (The
    printed study over the demo-like scales is bench/interval_coverage.py.)"""
    rng = np.random.default_rng(n)
    true_mean, runs, covered = 1.3, 6000, 0
    for _ in range(runs):
        sample = rng.normal(true_mean, 1.7, n)
        total, squares = sample.sum(), (sample * sample).sum()
        # The figure's own formula over real-valued gaps (the rollups hold integers).
        margin = t_critical_95(n - 1) * math.sqrt((squares - total * total / n) / (n - 1) / n)
        covered += abs(total / n - true_mean) <= margin
    assert covered / runs == pytest.approx(0.95, abs=0.01)


def test_the_detectable_change_is_where_the_test_has_80_percent_power():
    """Simulated: two samples of 50 whose means differ by the detectable change are told
    apart in 80% of trials (within 3%)."""
    rng = random.Random(5)
    n, spread = 50, 1.5
    shift = detectable_change(n, spread)
    found = 0
    for _ in range(2000):
        before = [rng.gauss(0, spread) for _ in range(n)]
        after = [rng.gauss(shift, spread) for _ in range(n)]
        found += stats.ttest_ind(after, before, equal_var=False).pvalue < 0.05
    assert found / 2000 == pytest.approx(0.80, abs=0.03)


def test_answers_needed_to_tell_a_three_tenths_change():
    needed = answers_needed(before_n=200, spread=1.5, after_n=40)
    assert needed > 0
    assert (
        detectable_change(200, 1.5, 40 + needed)
        <= 0.3
        < detectable_change(200, 1.5, 40 + needed - 1)
    )
    assert answers_needed(before_n=5000, spread=1.0, after_n=5000) == 0
    assert answers_needed(before_n=20, spread=1.5, after_n=0) is None  # too few before
