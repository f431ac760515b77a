"""Service standards on the dashboards: the breaches behind the counts, and whether a
standard matters to customers (answers to interactions that met it against those that
missed it). Rollups only, but for the breaches, read a page at a time."""

from dataclasses import dataclass, replace

from django.db.models import F, Q, Sum

from surveys.counting.periods import Period
from surveys.counting.scores import (
    GapComparison,
    compare_gaps,
    control_false_discoveries,
    scores_from_sums,
)
from surveys.models import (
    EFFECT_FIELDS,
    DirtyRollup,
    TimedStandard,
    TouchpointDailyStandardEffect,
    TouchpointDailyStandards,
)
from touchpoints.models import Interaction, Touchpoint

BREACH_LIMIT = 20
TARGETS = ("target_wait_seconds", "target_response_seconds", "target_resolution_seconds")


def breaches(touchpoints, period: Period, limit: int | None = BREACH_LIMIT):
    """The latest interactions that missed a timed service standard, with who handled them
    (all of them for an export).

    Only the days with a miss are read: those the standards rollup counts, and those still
    waiting to be counted (read first, so a day being recomputed meanwhile is in one or the
    other). Without that, a touchpoint with no breach had every interaction of the period
    scanned for one, on every scorecard view."""
    timed = [
        tp.pk for tp in touchpoints if any(getattr(tp, target) is not None for target in TARGETS)
    ]
    window = {"touchpoint_id__in": timed, "day__gte": period.since, "day__lte": period.until}
    pending = set(DirtyRollup.objects.filter(**window).values_list("day", flat=True))
    missed_days = TouchpointDailyStandards.objects.filter(
        **window, timed_measured__gt=F("timed_met")
    ).values_list("day", flat=True)
    days = pending | set(missed_days)
    missed = (
        Q(wait_seconds__gt=F("touchpoint__target_wait_seconds"))
        | Q(response_seconds__gt=F("touchpoint__target_response_seconds"))
        | Q(resolution_seconds__gt=F("touchpoint__target_resolution_seconds"))
    )
    return (
        Interaction.objects.filter(touchpoint_id__in=timed, day__in=sorted(days))
        .filter(missed)
        .select_related("touchpoint", "handled_by")
        .order_by("-occurred_at")
    )[:limit]


@dataclass
class StandardEffect:
    touchpoint: Touchpoint
    standard: str  # "wait", "response" or "resolution"
    target_seconds: int
    met: int  # interactions measured and met in the period
    measured: int
    # The gap of answers to interactions that missed the standard (compared) against those
    # that met it (reference).
    change: GapComparison
    csat_met: float | None
    csat_missed: float | None

    @property
    def felt(self) -> bool:
        """Customers feel it: missing the standard widens the gap, significantly."""
        return self.change.significant and (self.change.difference or 0) > 0


def standard_effects(touchpoints, period: Period) -> list[StandardEffect]:
    """For each timed standard of these touchpoints: compliance, and the satisfaction of
    interactions that met it against those that missed it, with Welch's test."""
    ids = [tp.pk for tp in touchpoints]
    window = {"touchpoint_id__in": ids, "day__gte": period.since, "day__lte": period.until}
    answered = (
        TouchpointDailyStandardEffect.objects.filter(**window)
        .values("touchpoint_id", "standard", "met")
        .annotate(**{name: Sum(name) for name in EFFECT_FIELDS})
        .order_by()
    )
    sums = {(r.pop("touchpoint_id"), r.pop("standard"), r.pop("met")): r for r in answered}
    counted = (
        TouchpointDailyStandards.objects.filter(**window)
        .values("touchpoint_id")
        .annotate(
            **{
                f"{standard}_{part}": Sum(f"{standard}_{part}")
                for standard in TimedStandard.values
                for part in ("measured", "met")
            }
        )
        .order_by()
    )
    counts = {row.pop("touchpoint_id"): row for row in counted}
    effects = []
    for touchpoint in touchpoints:
        for standard in TimedStandard.values:
            target = getattr(touchpoint, f"target_{standard}_seconds")
            total = counts.get(touchpoint.pk, {})
            if target is None or not total.get(f"{standard}_measured"):
                continue
            met = sums.get((touchpoint.pk, standard, True), {})
            missed = sums.get((touchpoint.pk, standard, False), {})
            effects.append(
                StandardEffect(
                    touchpoint,
                    standard,
                    target,
                    total[f"{standard}_met"],
                    total[f"{standard}_measured"],
                    compare_gaps(met, missed),
                    scores_from_sums(met).csat_percent,
                    scores_from_sums(missed).csat_percent,
                )
            )
    changes = control_false_discoveries([effect.change for effect in effects])
    return [replace(effect, change=change) for effect, change in zip(effects, changes, strict=True)]
