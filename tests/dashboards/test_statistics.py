"""The before/after test as pages use it: only with enough answers on both sides, never
from answers that are all equal, and significant only under the false discovery rate
control of the page's rows."""

import random

import pytest
from scipy import stats

from surveys.counting.scores import compare_gaps, control_false_discoveries, t_two_sided_p


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


def on_a_page(*changes):
    return control_false_discoveries(list(changes))


def test_a_real_improvement_is_detected():
    rng = random.Random(1)
    before, after = draw(rng, 3.0, 120), draw(rng, 1.5, 120)
    (change,) = on_a_page(compare_gaps(sums(before), sums(after)))
    assert change.significant and change.verdict == "improved"
    assert change.difference == pytest.approx(sum(after) / 120 - sum(before) / 120)
    assert change.p_value < 1e-4


def test_a_worse_gap_is_called_worse_and_too_few_answers_are_said(settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 30
    rng = random.Random(3)
    (worse,) = on_a_page(compare_gaps(sums(draw(rng, 1.0, 100)), sums(draw(rng, 2.5, 100))))
    assert worse.verdict == "worse"
    # Twenty-nine answers on one side: no p-value, whatever the difference.
    (thin,) = on_a_page(compare_gaps(sums(draw(rng, 0.0, 29)), sums(draw(rng, 4.0, 200))))
    assert thin.p_value is None and thin.verdict == "too few answers"
    assert compare_gaps({}, {}).p_value is None


def test_answers_all_equal_are_never_evidence_of_a_change():
    """Two answers with gap 2, then two with gap 1, once read as p = 0; forty identical
    answers on each side are still no evidence: more answers are needed, and it says so."""
    (change,) = on_a_page(compare_gaps(sums([2] * 40), sums([1] * 40)))
    assert change.p_value is None and not change.significant
    assert change.verdict == "all answers equal: more needed"


def test_noise_on_a_page_of_thirty_rows_shows_an_arrow_on_at_most_one_page_in_twenty():
    """Pure noise, 30 touchpoints a page: without control about 1.5 arrows a page moved;
    with Benjamini-Hochberg at 5%, at most 5% of pages show any arrow (within noise)."""
    rng = random.Random(11)
    pages, with_an_arrow = 400, 0
    for _ in range(pages):
        rows = [compare_gaps(sums(draw(rng, 2.0, 40)), sums(draw(rng, 2.0, 40))) for _ in range(30)]
        with_an_arrow += any(change.significant for change in control_false_discoveries(rows))
    assert with_an_arrow / pages <= 0.05 + 0.02  # 5%, and two standard errors of 400 pages


def test_the_control_is_benjamini_hochbergs():
    rng = random.Random(4)
    changes = [
        compare_gaps(sums(draw(rng, 2.0, 60)), sums(draw(rng, 2.0 + shift, 60)))
        for shift in (0, 0, 0.4, 0.8, 1.2, 0, 0.6)
    ]
    controlled = control_false_discoveries([*changes, None])
    expected = stats.false_discovery_control([c.p_value for c in changes], method="bh")
    for change, adjusted in zip(controlled, expected, strict=False):
        assert change.p_adjusted == pytest.approx(adjusted)
        assert change.significant == (adjusted < 0.05)
    assert controlled[-1] is None


def test_a_tiny_p_value_reads_as_below_a_thousandth_not_as_zero():
    from dashboards.templatetags.dashboard_tags import p_figure, p_is

    assert p_is(8e-21) == "< 0.001"
    assert p_is(0.0344) == "= 0.034"
    assert p_is(None) == ""
    assert (p_figure(8e-21), p_figure(0.0344), p_figure(None)) == ("< 0.001", "0.034", "")
