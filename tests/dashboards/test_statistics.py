"""The before/after test and the t distribution behind it, on constructed cases."""

import random

import pytest

from surveys.scores import gap_change, t_two_sided_p


@pytest.mark.parametrize(
    ("t", "df", "p"),
    [(2.228, 10, 0.05), (12.706, 1, 0.05), (1.96, 1e6, 0.05), (3.0, 30, 0.0054), (0.0, 5, 1.0)],
)
def test_the_t_distribution_matches_tables(t, df, p):
    assert t_two_sided_p(t, df) == pytest.approx(p, abs=2e-4)


def sums(gaps):
    return {
        "gap_answered": len(gaps),
        "sum_gap": sum(gaps),
        "sum_gap_squared": sum(g * g for g in gaps),
        "sum_expectation": 5 * len(gaps),
        "sum_experience": 5 * len(gaps) - sum(gaps),
    }


def draw(rng, mean, n):
    return [max(-6, min(6, round(rng.gauss(mean, 1.5)))) for _ in range(n)]


def test_a_real_improvement_is_detected():
    rng = random.Random(1)
    before, after = draw(rng, 3.0, 120), draw(rng, 1.5, 120)
    change = gap_change(sums(before), sums(after))
    assert change.significant and change.verdict == "improved"
    assert change.difference == pytest.approx(sum(after) / 120 - sum(before) / 120)
    assert change.p_value < 1e-4


def test_noise_is_not_taken_for_a_change():
    """Same distribution before and after: at the 5% level, about 5 in 100 trials may
    differ by chance, and no more."""
    rng = random.Random(7)
    flagged = sum(
        gap_change(sums(draw(rng, 2.0, 80)), sums(draw(rng, 2.0, 80))).significant
        for _ in range(200)
    )
    assert flagged <= 20


def test_a_worse_gap_is_called_worse_and_too_few_answers_are_said():
    rng = random.Random(3)
    assert gap_change(sums(draw(rng, 1.0, 100)), sums(draw(rng, 2.5, 100))).verdict == "worse"
    assert gap_change(sums([3]), sums(draw(rng, 1.0, 50))).verdict == "too few answers"
    assert gap_change({}, {}).p_value is None


def test_identical_constant_gaps_are_no_change():
    change = gap_change(sums([2] * 40), sums([2] * 40))
    assert change.p_value == 1.0 and not change.significant
