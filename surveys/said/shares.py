"""What customers say, per touchpoint: the themes of comments (from the theme rollup), of
complaints and of short answers, over a period, with each theme's share, mean gap and
sentiment."""

from dataclasses import dataclass

from django.db.models import Count, Sum

from surveys.counting.periods import Period, moments
from surveys.models import (
    QuestionKind,
    ThemedAnswer,
    ThemeDay,
    ThemedComplaint,
    TouchpointDailyAnswer,
)

THEMES_SHOWN = 3


@dataclass
class ThemeShare:
    theme_id: int
    label: str
    count: int
    share: float  # of the touchpoint's comments (or complaints) in the period
    gap: float | None = None
    sentiment: float | None = None

    @property
    def percent(self) -> float:
        return 100 * self.share


def comment_themes(totals: dict[int, int], period: Period) -> dict[int, list[ThemeShare]]:
    """Per touchpoint (keys of totals: its comment count in the period, from the score
    rollups), its comment themes, most frequent first."""
    rows = (
        ThemeDay.objects.filter(
            theme__touchpoint_id__in=list(totals), day__range=(period.since, period.until)
        )
        .values("theme_id", "theme__touchpoint_id", "theme__label")
        .annotate(
            count=Sum("comments"),
            n=Sum("n"),
            sum_gap=Sum("sum_gap"),
            scored=Sum("sentiment_scored"),
            sum_sentiment=Sum("sum_sentiment_milli"),
        )
        .order_by("-count", "theme_id")
    )
    return _shares(rows, totals)


def complaint_themes(totals: dict[int, int], period: Period) -> dict[int, list[ThemeShare]]:
    """Per touchpoint (keys of totals: its complaints in the period), its complaint themes.
    Complaints are few beside answers; one indexed count."""
    return _themed_in(ThemedComplaint, "complaint", "complaint__received_at", totals, period)


def short_answer_totals(touchpoint_ids, period: Period) -> dict[int, int]:
    """Per touchpoint, its short answers in the period, from the answer rollups."""
    rows = (
        TouchpointDailyAnswer.objects.filter(
            touchpoint_id__in=list(touchpoint_ids),
            day__range=(period.since, period.until),
            option_id=0,
            question__kind=QuestionKind.TEXT,
        )
        .values("touchpoint_id")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {row["touchpoint_id"]: row["total"] for row in rows}


def short_answer_themes(totals: dict[int, int], period: Period) -> dict[int, list[ThemeShare]]:
    """Per touchpoint (keys of totals: its short answers in the period), the themes of its
    short answers; one indexed count, as for complaints."""
    return _themed_in(ThemedAnswer, "answer", "answer__response__submitted_at", totals, period)


def _themed_in(themed, key: str, moment: str, totals, period: Period):
    """The themes of the texts a themed table (keyed by `key`) holds whose `moment` falls
    in the period, each with its count and share."""
    start, stop = moments(period)
    within = {f"{moment}__gte": start, f"{moment}__lt": stop}
    rows = (
        themed.objects.filter(theme__touchpoint_id__in=list(totals), **within)
        .values("theme_id", "theme__touchpoint_id", "theme__label")
        .annotate(count=Count(f"{key}_id"))
        .order_by("-count", "theme_id")
    )
    return _shares(rows, totals)


def _shares(rows, totals: dict[int, int]) -> dict[int, list[ThemeShare]]:
    """Rows grouped by touchpoint, each with its share of the touchpoint's total, and its
    mean gap and sentiment when the rows have their sums."""
    found: dict[int, list[ThemeShare]] = {}
    for row in rows:
        touchpoint, count = row["theme__touchpoint_id"], row["count"]
        n, scored = row.get("n"), row.get("scored")
        found.setdefault(touchpoint, []).append(
            ThemeShare(
                row["theme_id"],
                row["theme__label"],
                count,
                count / max(totals[touchpoint], count, 1),
                row["sum_gap"] / n if n else None,
                row["sum_sentiment"] / 1000 / scored if scored else None,
            )
        )
    return found
