"""The theme job: fits each touchpoint's themes over a window of comments, complaints and
short answers (to the surveys' own questions), and between fits places the texts that
arrived since. Beat runs it nightly.

A fit replaces the touchpoint's themes of that source. Placing is cheap and
keeps the shares current; a refit happens when the texts placed since the last fit grow
past a share of those it was fitted on, or when the fit is a week old, so topics that
are new get their own theme.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from surveys.counting.figure_cache import figures_changed
from surveys.models import (
    Complaint,
    QuestionAnswer,
    Response,
    Theme,
    ThemedAnswer,
    ThemeDay,
    ThemedComplaint,
    ThemeFit,
    ThemeSource,
)

UPDATE_BATCH = 5000
# Where the texts of a source other than comments (themed on the answer itself) keep
# their theme: the table and its key.
THEMED = {
    ThemeSource.COMPLAINTS: (ThemedComplaint, "complaint_id"),
    ThemeSource.ANSWERS: (ThemedAnswer, "answer_id"),
}


@dataclass
class Report:
    fitted: int = 0
    placed: int = 0
    themes: int = 0
    touchpoints: set = field(default_factory=set)


def _base(language: str | None) -> str:
    return (language or "en").split("-")[0].lower()


def _texts(
    source: str, touchpoint_id: int, since: dt.datetime, after: int = 0
) -> list[tuple[int, str, str]]:
    """(id, text, language) of the source's texts in the window (those past `after` only),
    oldest first."""
    if source == ThemeSource.COMMENTS:
        rows = (
            Response.objects.filter(
                touchpoint_id=touchpoint_id, submitted_at__gte=since, pk__gt=after
            )
            .exclude(comment="")
            .values_list("pk", "comment", "language")
        )
    elif source == ThemeSource.ANSWERS:
        rows = (
            QuestionAnswer.objects.filter(
                response__touchpoint_id=touchpoint_id,
                response__submitted_at__gte=since,
                pk__gt=after,
            )
            .exclude(text="")
            .values_list("pk", "text", "response__language")
        )
    else:
        rows = Complaint.objects.filter(
            touchpoint_id=touchpoint_id, received_at__gte=since, pk__gt=after
        ).values_list("pk", "text", Coalesce("customer__language", Value("en")))
    return sorted(rows)


def refresh_themes(now: dt.datetime | None = None, refit: bool = False) -> Report:
    """Bring every touchpoint's themes up to date; refit all when asked."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.TOUCHSTONE_THEME_WINDOW_DAYS)
    report = Report()
    touchpoint_ids = (
        set(
            Response.objects.filter(submitted_at__gte=since)
            .exclude(comment="")
            .values_list("touchpoint_id", flat=True)
            .distinct()
        )
        | set(
            Complaint.objects.filter(received_at__gte=since)
            .values_list("touchpoint_id", flat=True)
            .distinct()
        )
        | set(
            QuestionAnswer.objects.filter(response__submitted_at__gte=since)
            .exclude(text="")
            .values_list("response__touchpoint_id", flat=True)
            .distinct()
        )
    )
    for touchpoint_id in sorted(touchpoint_ids):
        for source in ThemeSource.values:
            _refresh(touchpoint_id, source, since, now, refit, report)
        if touchpoint_id in report.touchpoints:  # a quiet touchpoint's days are as they were
            rebuild_theme_days(touchpoint_id)
    return report


def _refresh(touchpoint_id, source, since, now, refit, report: Report) -> None:
    """Place the texts since the last fit, or refit on the whole window when due; only the
    new texts are read unless a refit is."""
    fit = ThemeFit.objects.filter(touchpoint_id=touchpoint_id, source=source).first()
    if fit is not None and not refit:
        new = _texts(source, touchpoint_id, since, after=fit.last_placed_id)
        if not new:
            return
        if not _due(fit, len(new), now):
            _place(fit, new, report)
            return
    rows = _texts(source, touchpoint_id, since)
    if rows:
        _fit(touchpoint_id, source, rows, now, report)


def _due(fit: ThemeFit, new: int, now: dt.datetime) -> bool:
    grown = fit.placed_since_fit + new > settings.TOUCHSTONE_THEME_REFIT_GROWTH * max(
        fit.fitted_on, 1
    )
    old = now - fit.fitted_at >= dt.timedelta(days=settings.TOUCHSTONE_THEME_REFIT_DAYS)
    return grown or old


@transaction.atomic
def _fit(touchpoint_id, source, rows, now, report: Report) -> None:
    Theme.objects.filter(touchpoint_id=touchpoint_id, source=source).delete()
    # scikit-learn is loaded where themes are fitted, not by every page.
    from surveys.said import themes

    languages = {_base(language) for *_, language in rows}
    found = themes.find_themes([text for _, text, _ in rows], languages)
    for theme_found in found:
        theme = Theme.objects.create(
            touchpoint_id=touchpoint_id,
            source=source,
            label=theme_found.label[:200],
            usage=theme_found.usage,
            fitted_at=now,
        )
        _assign(source, theme, [rows[i][0] for i in theme_found.members])
    ThemeFit.objects.update_or_create(
        touchpoint_id=touchpoint_id,
        source=source,
        defaults={
            "fitted_at": now,
            "fitted_on": len(rows),
            "placed_since_fit": 0,
            "last_placed_id": max(pk for pk, *_ in rows),
        },
    )
    report.fitted += 1
    report.themes += len(found)
    report.touchpoints.add(touchpoint_id)


def _assign(source: str, theme: Theme, ids: list[int]) -> None:
    if source == ThemeSource.COMMENTS:
        for start in range(0, len(ids), UPDATE_BATCH):
            Response.objects.filter(pk__in=ids[start : start + UPDATE_BATCH]).update(theme=theme)
    else:
        model, key = THEMED[source]
        model.objects.filter(**{f"{key}__in": ids}).delete()
        model.objects.bulk_create(
            [model(**{key: pk}, theme=theme) for pk in ids], batch_size=UPDATE_BATCH
        )


@transaction.atomic
def _place(fit: ThemeFit, rows, report: Report) -> None:
    from surveys.said import themes

    known = list(Theme.objects.filter(touchpoint_id=fit.touchpoint_id, source=fit.source))
    placed = themes.place([t.usage for t in known], [text for _, text, _ in rows])
    members = defaultdict(list)
    for (pk, *_), index in zip(rows, placed, strict=True):
        if index is not None:
            members[known[index].pk].append(pk)
    for theme in known:
        if members[theme.pk]:
            _assign(fit.source, theme, members[theme.pk])
    ThemeFit.objects.filter(pk=fit.pk).update(
        placed_since_fit=F("placed_since_fit") + len(rows),
        last_placed_id=max(pk for pk, *_ in rows),
    )
    report.placed += len(rows)
    report.touchpoints.add(fit.touchpoint_id)


@transaction.atomic
def rebuild_theme_days(touchpoint_id: int) -> None:
    """The per-theme daily sums of one touchpoint's comments, from its answers."""
    ThemeDay.objects.filter(theme__touchpoint_id=touchpoint_id).delete()
    both = Q(expectation__isnull=False, experience__isnull=False)
    rows = (
        Response.objects.filter(theme__touchpoint_id=touchpoint_id)
        .values("theme_id", "day")
        .annotate(
            comments=Count("pk"),
            n=Count("pk", filter=both),
            sum_gap=Coalesce(Sum(F("expectation") - F("experience"), filter=both), 0),
            sentiment_scored=Count("sentiment"),
            sum_sentiment_milli=Coalesce(
                Sum(Cast(Round(F("sentiment") * 1000), IntegerField())), 0
            ),
        )
        .order_by()
    )
    ThemeDay.objects.bulk_create([ThemeDay(**row) for row in rows], batch_size=UPDATE_BATCH)
    # Once per refreshed touchpoint, after the texts of every source were placed.
    figures_changed()
