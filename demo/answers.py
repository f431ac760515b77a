"""Simulated survey answers for the demo: scores that follow each touchpoint's story."""

import random

from demo.catalogue import CUSTOMER_TOUCHPOINTS, NEGATIVE_COMMENTS, POSITIVE_COMMENTS
from demo.paths import SimulatedInteraction

NEUTRAL_COMMENTS = ["Fine.", "OK overall.", "As expected.", "Nothing special."]
PROSPECT_COMMENTS = [
    "Went with a cheaper offer elsewhere.",
    "Nobody got back to me in time.",
    "Could not get through on the phone.",
    "Found what I needed at another store.",
]


def _clip(value: float, low: int, high: int) -> int:
    return int(min(high, max(low, round(value))))


def experience_penalty(fact: SimulatedInteraction) -> float:
    """How much the facts of the interaction (waits, late replies, strangers) hurt."""
    penalty = 0.0
    if fact.wait_seconds and fact.touchpoint == "hotline":
        penalty += min(fact.wait_seconds / 300, 3.0) - 0.5
    if fact.touchpoint == "sales_callback" and (fact.response_seconds or 0) > 3600:
        penalty += 1.2
    if fact.outcome in ("unresolved", "escalated"):
        penalty += 0.8
    return penalty


def simulate_answer(rng: random.Random, fact: SimulatedInteraction, prospect: bool) -> dict:
    """The fields of a Response for one answered invitation."""
    mean_expectation, mean_experience = CUSTOMER_TOUCHPOINTS[fact.touchpoint][5]
    if prospect:
        mean_experience -= 1.0
    expectation = _clip(rng.gauss(mean_expectation, 0.9), 1, 7)
    experience = _clip(rng.gauss(mean_experience - experience_penalty(fact), 1.1), 1, 7)
    answer = {
        "expectation": expectation,
        "experience": experience,
        "nps": _clip(experience * 1.45 + rng.gauss(0, 1.4), 0, 10),
        "comment": _comment(rng, fact.touchpoint, expectation - experience, prospect),
    }
    if not prospect:
        answer["csat"] = _clip((experience - 1) / 6 * 4 + 1 + rng.gauss(0, 0.6), 1, 5)
        answer["effort"] = _clip(8 - experience + rng.gauss(0, 1.0), 1, 7)
    return answer


def _comment(rng: random.Random, touchpoint: str, gap: int, prospect: bool) -> str:
    if rng.random() > 0.45:
        return ""
    if prospect:
        return rng.choice(PROSPECT_COMMENTS)
    if gap >= 2 and touchpoint in NEGATIVE_COMMENTS:
        return rng.choice(NEGATIVE_COMMENTS[touchpoint])
    if gap <= -1 and touchpoint in POSITIVE_COMMENTS:
        return rng.choice(POSITIVE_COMMENTS[touchpoint])
    return rng.choice(NEUTRAL_COMMENTS)
