"""How far to trust each 95% interval on small samples: their coverage, simulated on answers
drawn like the demo's (whole numbers on the survey's 1-7, 1-5 and 0-10 scales).

For each measure and each n, draws many samples from a fixed distribution of answers,
computes the interval as the app does (surveys/counting/scores.py, from the same sums the rollups
keep) and counts how often it holds the distribution's true value. A 95% interval should
hold it about 95% of the time; below that it is too narrow for so few answers.

    make bench-coverage
    make bench-coverage BENCH_ARGS="--runs 20000"
"""

import argparse
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from surveys.counting.scores import scores_from_sums  # noqa: E402

# Answer distributions like the demo's: a frustrating touchpoint's, skewed, with ties.
GAP = {-1: 0.05, 0: 0.2, 1: 0.25, 2: 0.25, 3: 0.15, 4: 0.07, 5: 0.03}  # expected - experienced
CSAT = {1: 0.08, 2: 0.12, 3: 0.25, 4: 0.35, 5: 0.20}
NPS = {0: 0.03, 2: 0.04, 4: 0.06, 5: 0.07, 6: 0.10, 7: 0.15, 8: 0.20, 9: 0.20, 10: 0.15}
EFFORT = {1: 0.15, 2: 0.25, 3: 0.25, 4: 0.15, 5: 0.10, 6: 0.06, 7: 0.04}


def true_value(distribution: dict, measure: str) -> float:
    values, weights = np.array(list(distribution)), np.array(list(distribution.values()))
    if measure == "CSAT":
        return 100 * weights[values >= 4].sum()
    if measure == "NPS":
        return 100 * (weights[values >= 9].sum() - weights[values <= 6].sum())
    return float((values * weights).sum())


def sums(measure: str, sample: np.ndarray) -> dict:
    n = len(sample)
    if measure == "gap":
        return {"gap_answered": n, "sum_gap": int(sample.sum()),
                "sum_gap_squared": int((sample**2).sum())}  # fmt: skip
    if measure == "CES":
        return {"effort_answered": n, "sum_effort": int(sample.sum()),
                "sum_effort_squared": int((sample**2).sum())}  # fmt: skip
    if measure == "CSAT":
        return {"csat_answered": n, "csat_top2": int((sample >= 4).sum())}
    return {"nps_answered": n, "promoters": int((sample >= 9).sum()),
            "detractors": int((sample <= 6).sum())}  # fmt: skip


def interval(measure: str, scores) -> tuple[float, float] | None:
    if measure == "gap" and scores.gap_margin is not None:
        return scores.gap - scores.gap_margin, scores.gap + scores.gap_margin
    if measure == "CES" and scores.ces_margin is not None:
        return scores.ces - scores.ces_margin, scores.ces + scores.ces_margin
    if measure == "CSAT":
        return scores.csat_low, scores.csat_high
    if measure == "NPS":
        return scores.nps_low, scores.nps_high
    return None


def coverage(measure: str, distribution: dict, n: int, runs: int, rng) -> float:
    values, weights = list(distribution), list(distribution.values())
    truth, held = true_value(distribution, measure), 0
    for _ in range(runs):
        sample = rng.choice(values, size=n, p=weights)
        bounds = interval(measure, scores_from_sums(sums(measure, sample)))
        # An interval of answers all equal has no width: it holds the truth only by chance.
        held += bounds is not None and bounds[0] <= truth <= bounds[1]
    return held / runs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--sizes", default="5,10,30,100,200")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rng = np.random.default_rng(2026)
    print(f"Coverage of the 95% intervals, {args.runs:,} samples per cell")
    print("| measure (interval) | " + " | ".join(f"n = {n}" for n in sizes) + " |")
    print("| --- |" + " --- |" * len(sizes))
    for measure, distribution, name in (
        ("gap", GAP, "gap (Student's t)"),
        ("CSAT", CSAT, "CSAT (Wilson)"),
        ("NPS", NPS, "NPS (adjusted Wald)"),
        ("CES", EFFORT, "CES (Student's t)"),
    ):
        cells = [f"{100 * coverage(measure, distribution, n, args.runs, rng):.1f}%" for n in sizes]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
