"""Sentiment of a comment, offline: VADER's English lexicon and rules, with the words
customers use about service that a general lexicon misses (waiting, being passed on).

Only English is scored. A comment in another language, or an empty one, is "not scored"
(None): a wrong number would be worse than none.
"""

from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from surveys.counting.aggregation import rollups_mark_dirty
from surveys.models import Complaint, Response

SCORED_LANGUAGES = {"en"}

# Service words and their valence on VADER's scale (-4 to 4).
SERVICE_LEXICON = {
    "hold": -1.6,
    "forever": -1.2,
    "ages": -1.2,
    "nobody": -1.4,
    "nowhere": -1.6,
    "nothing": -0.8,
    "hung": -1.8,
    "cut": -1.0,
    "dropped": -1.4,
    "transferred": -1.0,
    "repeat": -0.9,
    "again": -0.4,
    "stranger": -1.0,
    "script": -0.9,
    "late": -1.5,
    "waited": -1.2,
    "waiting": -1.0,
    "chase": -1.4,
    "chased": -1.4,
    "double-booked": -1.8,
    "freezes": -1.6,
    "broken": -1.8,
    "tidy": 1.4,
    "punctual": 1.6,
    "on-time": 1.4,
    "quick": 1.2,
    "helpful": 1.9,
    "patient": 1.4,
}


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(SERVICE_LEXICON)
    return analyzer


def score(text: str, language: str = "en") -> float | None:
    """The compound sentiment, -1 (very negative) to 1 (very positive), or None."""
    if not text or not text.strip():
        return None
    if (language or "en").split("-")[0].lower() not in SCORED_LANGUAGES:
        return None
    return round(_analyzer().polarity_scores(text)["compound"], 3)


def score_response(response_id: int) -> float | None:
    """Score a stored answer's comment and mark its day for the rollups."""
    response = Response.objects.filter(pk=response_id).first()
    if response is None:
        return None
    value = score(response.comment, response.language)
    if value != response.sentiment:
        Response.objects.filter(pk=response_id).update(sentiment=value)
        rollups_mark_dirty([(response.touchpoint_id, response.day)])
    return value


def score_complaint(complaint_id: int) -> float | None:
    complaint = Complaint.objects.select_related("customer").filter(pk=complaint_id).first()
    if complaint is None:
        return None
    language = complaint.customer.language if complaint.customer else "en"
    value = score(complaint.text, language)
    Complaint.objects.filter(pk=complaint_id).update(sentiment=value)
    return value


def score_unscored(batch: int = 5000) -> int:
    """Score the English comments that have no score yet (a lost task, an import); returns
    how many were scored. Run nightly by beat."""
    done = 0
    while True:
        rows = list(
            Response.objects.filter(sentiment__isnull=True, language__in=SCORED_LANGUAGES)
            .exclude(comment="")
            .values_list("pk", "comment", "language", "touchpoint_id", "day")[:batch]
        )
        if not rows:
            return done
        scored = [
            Response(pk=pk, sentiment=score(text, lang) or 0.0) for pk, text, lang, *_ in rows
        ]
        Response.objects.bulk_update(scored, ["sentiment"], batch_size=1000)
        rollups_mark_dirty({(tp, day) for *_, tp, day in rows})
        done += len(rows)
