"""Derived figures against values computed by hand."""

import math

import pytest

from surveys.scores import scores_from_sums, t_critical_95


def sums_of(gaps=(), expectations=None, csat=(), nps=(), effort=(), sent=0, responses=None):
    expectations = expectations or [4] * len(gaps)
    return {
        "responses": len(gaps) if responses is None else responses,
        "invitations_sent": sent,
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
    }


def test_no_answers_give_no_figures_not_zeros():
    scores = scores_from_sums({})
    assert scores.gap is None
    assert scores.gap_margin is None
    assert scores.csat_percent is None
    assert scores.nps is None
    assert scores.ces is None
    assert scores.response_rate is None


def test_one_answer_has_a_gap_but_no_interval():
    scores = scores_from_sums(sums_of(gaps=[2], expectations=[6]))
    assert scores.gap == 2
    assert scores.mean_expectation == 6
    assert scores.mean_experience == 4
    assert scores.gap_margin is None


def test_gap_and_confidence_interval_by_hand():
    # gaps 1, 2, 3: mean 2, sample sd 1, n 3 → margin = t(2) * 1/√3 = 4.303 / 1.732
    scores = scores_from_sums(sums_of(gaps=[1, 2, 3]))
    assert scores.gap == 2
    assert scores.gap_margin == pytest.approx(4.303 / math.sqrt(3))
    low, high = scores.gap_interval
    assert low == pytest.approx(2 - 2.4843, abs=1e-3)
    assert high == pytest.approx(2 + 2.4843, abs=1e-3)


def test_identical_gaps_have_zero_width_interval():
    scores = scores_from_sums(sums_of(gaps=[-1, -1, -1, -1]))
    assert scores.gap == -1
    assert scores.gap_margin == 0


def test_csat_is_share_of_top_two_boxes():
    scores = scores_from_sums(sums_of(csat=[5, 4, 3, 1]))
    assert scores.csat_percent == 50


def test_nps_is_promoters_minus_detractors():
    # 2 promoters, 1 passive, 1 detractor of 4 → (2 - 1) / 4 = +25
    assert scores_from_sums(sums_of(nps=[10, 9, 7, 3])).nps == 25


def test_all_detractors_give_nps_of_minus_100():
    assert scores_from_sums(sums_of(nps=[0, 6, 5])).nps == -100


def test_ces_is_mean_effort_and_response_rate_uses_sent_invitations():
    scores = scores_from_sums(sums_of(gaps=[0, 0], effort=[2, 5], sent=8))
    assert scores.ces == 3.5
    assert scores.response_rate == 25


def test_t_critical_value_falls_back_to_normal_for_large_samples():
    assert t_critical_95(1) == 12.706
    assert t_critical_95(30) == 2.042
    assert t_critical_95(500) == 1.96
