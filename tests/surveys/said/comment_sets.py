"""Constructed comment sets with known topics, for the theme tests and bench/themes.py.

Each topic is said in several wordings that share only the words carrying it, with
numbers and filler varying, as customers write: the hard case for topic models, which
like to split one topic by its wordings."""

import random

TOPICS = {
    "on hold": [
        "I was on hold for {n} minutes",
        "on hold forever, nobody picked up",
        "endless hold music, had to call {n} times",
        "kept on hold far too long",
        "the hold time is ridiculous",
        "waited on hold {n} minutes before anyone answered",
        "put on hold again and again",
    ],
    "call back": [
        "no call back after {n} days",
        "they promised a call back and never called",
        "still waiting for the call back I was promised",
        "nobody called me back",
        "asked for a call back, nothing happened",
        "call back never came",
    ],
    "friendly installer": [
        "the installer was friendly and tidy",
        "friendly installer, explained everything",
        "our installer was so friendly and punctual",
        "lovely friendly installer",
        "installer cleaned up after the job, very friendly",
        "great installer, friendly and quick",
    ],
}
FILLER = ["", " overall", " honestly", " to be fair", " this week", "!"]


def comment(rng: random.Random, topic: str) -> str:
    wording = rng.choice(TOPICS[topic]).format(n=rng.randint(2, 60))
    return wording + rng.choice(FILLER)


def comment_set(shares: dict[str, float], total: int, seed: int = 0) -> tuple[list, list]:
    """(texts, topics): `total` comments, each topic's share as given, shuffled."""
    rng = random.Random(seed)
    topics = [topic for topic, share in shares.items() for _ in range(round(total * share))]
    rng.shuffle(topics)
    return [comment(rng, topic) for topic in topics], topics
