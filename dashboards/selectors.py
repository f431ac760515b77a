"""Reads for the dashboards: rollups only, never raw responses (comments and follow-ups,
which are lists of records, are read page by page through their indexes).

Every read is scoped by the user: a department head gets their department's touchpoints
and nothing else, whatever the filter asks for.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import DateField, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from dashboards.periods import ONE_DAY, Period, moments
from dashboards.themes import ThemeShare, comment_themes, complaint_themes
from journeys.models import Journey, Stage, Step
from surveys.complaints.counts import ComplaintCount, complaint_counts
from surveys.counting.figure_cache import cached_figures
from surveys.counting.rollup_sql import next_month
from surveys.counting.scores import (
    Compliance,
    GapChange,
    Scores,
    answers_needed,
    control_false_discoveries,
    gap_change,
    scores_from_sums,
)
from surveys.counting.selectors import compliance_by_touchpoint, sums_by_touchpoint
from surveys.models import (
    SUM_FIELDS,
    FollowUp,
    FollowUpStatus,
    Response,
    TouchpointDailyScore,
    TouchpointMonthlyScore,
    TouchpointSegmentDailyScore,
)
from touchpoints.models import Audience, ImprovementAction, Touchpoint, supporters_of


@dataclass(frozen=True)
class Who:
    """Whose answers: a customer segment and/or customers or prospects (None: all). Any
    filter reads the per-segment daily rollups instead of the touchpoint ones."""

    segment: str | None = None
    prospect: bool | None = None

    @property
    def filtered(self) -> bool:
        return self.segment is not None or self.prospect is not None

    def rows(self):
        model = TouchpointSegmentDailyScore if self.filtered else TouchpointDailyScore
        rows = model.objects.all()
        if self.segment is not None:
            rows = rows.filter(segment=self.segment)
        if self.prospect is not None:
            rows = rows.filter(is_prospect=self.prospect)
        return rows


EVERYONE = Who()


def segments() -> list[str]:
    """The customer segments that have answers, for the filters (cached: a DISTINCT over
    the segment rollups is not worth doing on every page)."""
    return cache.get_or_set(
        "touchstone:dashboards:segments",
        lambda: sorted(
            TouchpointSegmentDailyScore.objects.exclude(segment="")
            .order_by("segment")
            .values_list("segment", flat=True)
            .distinct()
        ),
        timeout=600,
    )


def sums_in(ids, period: Period, who: Who) -> dict[int, dict]:
    """Summed rollup fields per touchpoint: through the month-aware reader for everyone,
    from the per-segment daily rows when filtered."""
    if not who.filtered:
        return sums_by_touchpoint(ids, period.since, period.until)
    rows = (
        who.rows()
        .filter(touchpoint_id__in=list(ids), day__gte=period.since, day__lte=period.until)
        .values("touchpoint_id")
        .annotate(**{name: Sum(name) for name in SUM_FIELDS})
    )
    return {row.pop("touchpoint_id"): row for row in rows}


def enough(scores: Scores | None) -> bool:
    """Enough answers for the gap, which places and colours a touchpoint (surveys/counting/scores.py
    holds the rule, measure by measure)."""
    return scores is not None and scores.enough_gap


def add_sums(sums: list[dict]) -> dict:
    total = dict.fromkeys(SUM_FIELDS, 0)
    for part in sums:
        for name, value in part.items():
            total[name] += value
    return total


# --- Scorecard rows ----------------------------------------------------------------------


@dataclass
class TouchpointRow:
    touchpoint: Touchpoint
    scores: Scores
    change: GapChange  # against the previous period of the same length
    enough_data: bool
    compliance: Compliance | None = None
    complaints: ComplaintCount | None = None
    themes: list[ThemeShare] = field(default_factory=list)
    complaint_themes: list[ThemeShare] = field(default_factory=list)

    @property
    def trend(self) -> str:
        """ "better", "worse" or "steady": only a change significant among the page's rows
        counts; "" without enough answers on both sides (or with all answers equal)."""
        if self.change.p_value is None:
            return ""
        return {"improved": "better", "worse": "worse"}.get(self.change.verdict, "steady")


def touchpoint_rows(touchpoints: list[Touchpoint], period: Period) -> list[TouchpointRow]:
    ids = [tp.pk for tp in touchpoints]
    now, before, compliance, complaints, said, complained = cached_figures(
        "touchpoint-rows", (ids, period.since, period.until), lambda: _row_figures(ids, period)
    )
    changes = control_false_discoveries(
        [gap_change(before.get(tp.pk, {}), now.get(tp.pk, {})) for tp in touchpoints]
    )
    rows = []
    for touchpoint, change in zip(touchpoints, changes, strict=True):
        scores = change.after
        rows.append(
            TouchpointRow(
                touchpoint,
                scores,
                change,
                scores.enough_any,
                compliance.get(touchpoint.pk),
                complaints.get(touchpoint.pk),
                said.get(touchpoint.pk, []),
                complained.get(touchpoint.pk, []),
            )
        )
    return rows


def _row_figures(ids: list[int], period: Period) -> tuple:
    now = sums_by_touchpoint(ids, period.since, period.until)
    before_period = period.previous()
    before = sums_by_touchpoint(ids, before_period.since, before_period.until)
    compliance = compliance_by_touchpoint(ids, period.since, period.until)
    complaints = complaint_counts(ids, *moments(period))
    return now, before, compliance, complaints, *_themes(ids, now, complaints, period)


def _themes(ids, sums, complaints, period: Period):
    """Comment and complaint themes per touchpoint, their shares taken of the period's
    comments (from the score rollups) and complaints."""
    comment_totals = {tp: sums.get(tp, {}).get("comments", 0) for tp in ids}
    complaint_totals = {tp: getattr(complaints.get(tp), "total", 0) for tp in ids}
    return comment_themes(comment_totals, period), complaint_themes(complaint_totals, period)


def department_touchpoints(department) -> list[Touchpoint]:
    return list(
        Touchpoint.objects.filter(department=department)
        .select_related("department")
        .order_by("audience", "name")
    )


# --- Series over time ----------------------------------------------------------------------


# Up to half a year a series is drawn by week; longer ones by month.
WEEKLY_UP_TO_DAYS = 183


def _bucket(period: Period):
    unit = TruncWeek if period.days <= WEEKLY_UP_TO_DAYS else TruncMonth
    # A date, not a timestamp: no time zone conversion of every row on the way out.
    return unit("day", output_field=DateField())


def _summed_by_bucket(touchpoint_ids, period: Period, *by: str, who: Who = EVERYONE):
    """Rows summed per week (from Monday) or month in the database: one row per bucket (and
    per `by` column), whatever the number of days. By month, whole months come from the
    monthly rollups and only the partial months at the edges from the daily rows."""
    ids = list(touchpoint_ids)
    totals = {name: Sum(name) for name in SUM_FIELDS}
    by_month = period.days > WEEKLY_UP_TO_DAYS
    first_whole = period.since if period.since.day == 1 else next_month(period.since)
    after_whole = (
        next_month(period.until) if _is_month_end(period.until) else period.until.replace(day=1)
    )
    if not by_month or who.filtered or first_whole >= after_whole:
        daily_ranges = [(period.since, period.until)]
        whole = []
    else:
        daily_ranges = [(period.since, first_whole - ONE_DAY), (after_whole, period.until)]
        whole = list(
            TouchpointMonthlyScore.objects.filter(
                touchpoint_id__in=ids, month__gte=first_whole, month__lt=after_whole
            )
            .annotate(bucket=F("month"))
            .values(*by, "bucket")
            .annotate(**totals)
            .order_by()
        )
    days = Q()
    for since, until in daily_ranges:
        if since <= until:
            days |= Q(day__gte=since, day__lte=until)
    partial = (
        list(
            who.rows()
            .filter(days, touchpoint_id__in=ids)
            .annotate(bucket=_bucket(period))
            .values(*by, "bucket")
            .annotate(**totals)
            .order_by()
        )
        if days
        else []
    )
    return sorted(whole + partial, key=lambda row: tuple(row[name] for name in (*by, "bucket")))


def _is_month_end(day: dt.date) -> bool:
    return (day + ONE_DAY).day == 1


def weekly_scores(touchpoint_ids, period: Period) -> dict[int, list[tuple[dt.date, Scores]]]:
    """Each touchpoint's scores per week (per month over long periods)."""
    ids = list(touchpoint_ids)
    rows = cached_figures(
        "weekly-scores",
        (ids, period.since, period.until),
        lambda: _summed_by_bucket(ids, period, "touchpoint_id"),
    )
    series: dict[int, list[tuple[dt.date, Scores]]] = {}
    for row in rows:
        series.setdefault(row["touchpoint_id"], []).append((row["bucket"], scores_from_sums(row)))
    return series


def grouped_weekly(groups: dict[str, list[int]], period: Period, who: Who = EVERYONE):
    """Each group's scores per week (per month over long periods) from the sums of its
    touchpoints, so busy ones weigh more; summed in the database, a query per group."""
    return {
        name: [
            (row["bucket"], scores_from_sums(row))
            for row in _summed_by_bucket(ids, period, who=who)
        ]
        for name, ids in groups.items()
    }


def trend_groups(readable, choice: dict) -> dict[str, list[int]]:
    """What the trend lines are drawn for, always within the readable touchpoints: the
    chosen touchpoints, else the chosen stages, else one line per department."""
    if choice.get("channel"):
        readable = readable.filter(channel=choice["channel"])
    allowed = {tp.pk: tp for tp in readable}
    if choice.get("touchpoints"):
        return {tp.name: [tp.pk] for tp in choice["touchpoints"] if tp.pk in allowed}
    if choice.get("stages"):
        groups = {}
        for stage in choice["stages"]:
            ids = [
                pk for pk in stage.steps.values_list("touchpoint_id", flat=True) if pk in allowed
            ]
            if ids:
                groups[f"{stage.name} ({stage.journey.name})"] = ids
        return groups
    groups: dict[str, list[int]] = {}
    for tp in allowed.values():
        if tp.audience == Audience.CUSTOMER:
            groups.setdefault(tp.department.name, []).append(tp.pk)
    return dict(sorted(groups.items()))


def grouped_changes(groups, earlier: Period, later: Period, who: Who = EVERYONE):
    """Each group's gap in `later` against `earlier`: [(name, GapChange)], two queries."""
    ids = {pk for members in groups.values() for pk in members}
    then, now = sums_in(ids, earlier, who), sums_in(ids, later, who)

    def total(sums, members):
        return add_sums([sums.get(pk, {}) for pk in set(members)])

    changes = control_false_discoveries(
        [gap_change(total(then, members), total(now, members)) for members in groups.values()]
    )
    return list(zip(groups, changes, strict=True))


# --- The live journey map ------------------------------------------------------------------


@dataclass
class MapPoint:
    touchpoint: Touchpoint
    scores: Scores
    enough_data: bool
    compliance: Compliance | None = None
    complaints: ComplaintCount | None = None
    themes: list[ThemeShare] = field(default_factory=list)
    complaint_themes: list[ThemeShare] = field(default_factory=list)


@dataclass
class MapStage:
    stage: Stage
    points: list[MapPoint]
    scores: Scores  # the stage's figures from the sums of its touchpoints
    backstage: list[MapPoint] = field(default_factory=list)


def journey_map(journey: Journey, period: Period, channel: str = "") -> list[MapStage]:
    steps = Step.objects.filter(stage__journey=journey).select_related("touchpoint__department")
    if channel:
        steps = steps.filter(touchpoint__channel=channel)
    by_stage: dict[int, list[Touchpoint]] = {}
    for step in steps.order_by("position"):
        by_stage.setdefault(step.stage_id, []).append(step.touchpoint)
    supporters = supporters_of({tp.pk for tps in by_stage.values() for tp in tps})
    ids = {tp.pk for tps in by_stage.values() for tp in tps}
    ids |= {tp.pk for tps in supporters.values() for tp in tps}
    sums = sums_by_touchpoint(ids, period.since, period.until)
    compliance = compliance_by_touchpoint(ids, period.since, period.until)
    complaints = complaint_counts(ids, *moments(period))
    said, complained = _themes(ids, sums, complaints, period)

    def point(touchpoint):
        scores = scores_from_sums(sums.get(touchpoint.pk, {}))
        return MapPoint(
            touchpoint,
            scores,
            enough(scores),
            compliance.get(touchpoint.pk),
            complaints.get(touchpoint.pk),
            said.get(touchpoint.pk, []),
            complained.get(touchpoint.pk, []),
        )

    stages = []
    for stage in journey.stages.order_by("position"):
        touchpoints = by_stage.get(stage.pk, [])
        backstage = {s.pk: s for tp in touchpoints for s in supporters.get(tp.pk, [])}
        stage_sums = add_sums(
            [sums.get(tp.pk, {}) for tp in {tp.pk: tp for tp in touchpoints}.values()]
        )
        stages.append(
            MapStage(
                stage,
                [point(tp) for tp in touchpoints],
                scores_from_sums(stage_sums),
                [point(tp) for tp in backstage.values()],
            )
        )
    return stages


# --- Priorities ----------------------------------------------------------------------------


@dataclass
class Priority:
    touchpoint: Touchpoint
    scores: Scores
    impact: float  # 0-100, relative to the highest
    effort: int
    bucket: str  # "quick win", "next quarter", "the quarter after", "watch"


QUICK_WIN_EFFORT = 2
QUICK_WIN_IMPACT = 50


def priorities(touchpoints: list[Touchpoint], period: Period) -> list[Priority]:
    """Impact = gap x volume x detractor share, scaled to 100 for the worst touchpoint;
    effort is the touchpoint's own estimate. Quick wins: high impact, low effort. The rest
    of what hurts is planned over the next two quarters, best ratio first."""
    sums = sums_by_touchpoint([tp.pk for tp in touchpoints], period.since, period.until)
    raw = []
    for touchpoint in touchpoints:
        s = sums.get(touchpoint.pk, {})
        scores = scores_from_sums(s)
        if not enough(scores):
            continue
        detractor_share = (s["detractors"] / s["nps_answered"]) if s["nps_answered"] else 0
        raw.append((touchpoint, scores, max(scores.gap, 0) * scores.gap_answered * detractor_share))
    top = max((value for *_, value in raw), default=0) or 1
    ranked = sorted(
        (
            Priority(tp, scores, 100 * value / top, tp.effort_estimate, "")
            for tp, scores, value in raw
        ),
        key=lambda p: (-p.impact / p.effort, -p.impact),
    )
    planned = [p for p in ranked if p.impact > 0]
    for p in ranked:
        if p.impact <= 0:
            p.bucket = "watch"
        elif p.impact >= QUICK_WIN_IMPACT and p.effort <= QUICK_WIN_EFFORT:
            p.bucket = "quick win"
    rest = [p for p in planned if not p.bucket]
    half = (len(rest) + 1) // 2
    for index, p in enumerate(rest):
        p.bucket = "next quarter" if index < half else "the quarter after"
    return ranked


# --- Proof of improvement ------------------------------------------------------------------

IMPROVEMENT_WINDOW_DAYS = 60


@dataclass
class ImprovementCheck:
    action: ImprovementAction
    before: Period | None
    after: Period | None
    change: GapChange | None

    @property
    def answers_needed(self) -> int | None:
        """More answers since the change before its check can tell a 0.3-point change (80%
        power); None when the answers before the change are too few for any number."""
        if self.change is None:
            return None
        before, after = self.change.before, self.change.after
        spread = _pooled_spread(before, after)
        return answers_needed(before.gap_answered, spread, after.gap_answered)


def _pooled_spread(before: Scores, after: Scores) -> float | None:
    """The gap's spread of both periods together (of the one that has it, else None)."""
    parts = [(s.gap_answered, s.gap_spread) for s in (before, after) if s.gap_spread is not None]
    if not parts:
        return None
    squares = sum((n - 1) * spread**2 for n, spread in parts)
    return (squares / sum(n - 1 for n, _ in parts)) ** 0.5


def improvement_checks(actions, today: dt.date, window: int = IMPROVEMENT_WINDOW_DAYS):
    """For each action that took effect: the gap in the `window` days before it against the
    days since (up to `window`), with Welch's test. Planned actions have no check yet.
    The daily rows of every window are read in one query, whatever the number of actions."""
    actions = list(actions)
    windows = {}
    for action in actions:
        if action.changed_on is not None and action.changed_on <= today:
            start = action.changed_on
            windows[action.pk] = (
                Period(start - window * ONE_DAY, start - ONE_DAY),
                Period(start, min(today, start + (window - 1) * ONE_DAY)),
            )
    days = Q(pk__in=[])
    for action in actions:
        for period in windows.get(action.pk, ()):
            days |= Q(
                touchpoint_id=action.touchpoint_id, day__gte=period.since, day__lte=period.until
            )
    rows = list(
        TouchpointDailyScore.objects.filter(days).values("touchpoint_id", "day", *SUM_FIELDS)
    )

    def summed(touchpoint_id, period):
        return add_sums(
            [
                {name: row[name] for name in SUM_FIELDS}
                for row in rows
                if row["touchpoint_id"] == touchpoint_id
                and period.since <= row["day"] <= period.until
            ]
        )

    checks = []
    for action in actions:
        if action.pk not in windows:
            checks.append(ImprovementCheck(action, None, None, None))
            continue
        before, after = windows[action.pk]
        tp = action.touchpoint_id
        change = gap_change(summed(tp, before), summed(tp, after))
        checks.append(ImprovementCheck(action, before, after, change))
    controlled = control_false_discoveries([check.change for check in checks])
    for check, change in zip(checks, controlled, strict=True):
        check.change = change
    return checks


# --- Comments and follow-ups ---------------------------------------------------------------


def comments(touchpoints, period: Period, search: str = "", theme=None):
    """Newest first, for paging; only the given (already scoped) touchpoints, and one of
    their themes if given. Bounded by time, not day, so the partial index of comments by
    time is read backwards."""
    start, stop = moments(period)
    found = Response.objects.filter(
        touchpoint__in=touchpoints, submitted_at__gte=start, submitted_at__lt=stop
    ).exclude(comment="")
    if theme is not None:
        found = found.filter(theme=theme)
    if search:
        found = found.filter(Q(comment__icontains=search))
    return found.select_related("touchpoint").order_by("-submitted_at", "-pk")


def open_follow_ups(touchpoints):
    return (
        FollowUp.objects.filter(response__touchpoint__in=touchpoints)
        .exclude(status=FollowUpStatus.DONE)
        .select_related("response__touchpoint", "assigned_to")
        .order_by("created_at")
    )
