"""Reads for the dashboards: rollups only, never raw responses (comments and follow-ups,
which are lists of records, are read page by page through their indexes).

Every read is scoped by the user: a department head gets their department's touchpoints
and nothing else, whatever the filter asks for.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, Sum

from surveys.complaints.counts import ComplaintCount, complaint_counts
from surveys.counting.figure_cache import cached_figures
from surveys.counting.loops import LoopFigures, loop_figures_by
from surveys.counting.periods import Period, moments
from surveys.counting.scores import (
    Compliance,
    GapComparison,
    Scores,
    compare_gaps,
    control_false_discoveries,
    scores_from_sums,
)
from surveys.counting.selectors import compliance_by_touchpoint, sums_by_touchpoint
from surveys.models import (
    SUM_FIELDS,
    FollowUp,
    FollowUpStatus,
    QuestionAnswer,
    Response,
    TouchpointDailyScore,
    TouchpointSegmentDailyScore,
)
from surveys.said.shares import (
    ThemeShare,
    comment_themes,
    complaint_themes,
    short_answer_themes,
    short_answer_totals,
)
from touchpoints.models import Staff, Touchpoint


@dataclass(frozen=True)
class Who:
    """Whose answers: a customer segment, customers or prospects, answers from one source
    (an AnswerSource: the email invitation, the public link, ...); None: all. Any filter
    reads the per-segment daily rollups instead of the touchpoint ones."""

    segment: str | None = None
    prospect: bool | None = None
    source: str | None = None

    @property
    def filtered(self) -> bool:
        return any(value is not None for value in (self.segment, self.prospect, self.source))

    def rows(self):
        model = TouchpointSegmentDailyScore if self.filtered else TouchpointDailyScore
        rows = model.objects.all()
        if self.segment is not None:
            rows = rows.filter(segment=self.segment)
        if self.prospect is not None:
            rows = rows.filter(is_prospect=self.prospect)
        if self.source is not None:
            rows = rows.filter(source=self.source)
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


def add_sums(sums: list[dict]) -> dict:
    total = dict.fromkeys(SUM_FIELDS, 0)
    for part in sums:
        for name, value in part.items():
            total[name] += value
    return total


# --- One touchpoint's figures: a scorecard row, a point of the live map --------------------


@dataclass
class TouchpointFigures:
    touchpoint: Touchpoint
    scores: Scores
    compliance: Compliance | None = None
    complaints: ComplaintCount | None = None
    themes: list[ThemeShare] = field(default_factory=list)
    complaint_themes: list[ThemeShare] = field(default_factory=list)
    change: GapComparison | None = None  # against the previous period, where asked
    short_answer_themes: list[ThemeShare] = field(default_factory=list)

    @property
    def enough_data(self) -> bool:
        """Enough answers for the gap, which places and colours a touchpoint."""
        return self.scores.enough_gap

    @property
    def trend(self) -> str:
        """ "better", "worse" or "steady": only a change significant among the page's rows
        counts; "" without enough answers on both sides (or with all answers equal)."""
        if self.change is None or self.change.p_value is None:
            return ""
        return {"improved": "better", "worse": "worse"}.get(self.change.verdict, "steady")


@dataclass
class PeriodFigures:
    """What a period's pages read for a set of touchpoints, each part once."""

    sums: dict[int, dict]
    compliance: dict[int, Compliance]
    complaints: dict[int, ComplaintCount]
    themes: dict[int, list[ThemeShare]]
    complaint_themes: dict[int, list[ThemeShare]]
    short_answer_themes: dict[int, list[ThemeShare]]

    @classmethod
    def read(cls, ids, period: Period, who: Who = EVERYONE) -> "PeriodFigures":
        ids = list(ids)
        sums = sums_in(ids, period, who)
        complaints = complaint_counts(ids, *moments(period))
        comment_totals = {tp: sums.get(tp, {}).get("comments", 0) for tp in ids}
        complaint_totals = {tp: getattr(complaints.get(tp), "total", 0) for tp in ids}
        short_totals = dict.fromkeys(ids, 0) | short_answer_totals(ids, period)
        return cls(
            sums,
            compliance_by_touchpoint(ids, period.since, period.until),
            complaints,
            comment_themes(comment_totals, period),
            complaint_themes(complaint_totals, period),
            short_answer_themes(short_totals, period),
        )

    def of(self, touchpoint: Touchpoint, change: GapComparison | None = None):
        pk = touchpoint.pk
        return TouchpointFigures(
            touchpoint,
            change.compared if change else scores_from_sums(self.sums.get(pk, {})),
            self.compliance.get(pk),
            self.complaints.get(pk),
            self.themes.get(pk, []),
            self.complaint_themes.get(pk, []),
            change,
            self.short_answer_themes.get(pk, []),
        )


def touchpoint_rows(
    touchpoints: list[Touchpoint], period: Period, who: Who = EVERYONE
) -> list[TouchpointFigures]:
    """The scorecard: each touchpoint's figures and its gap against the previous period,
    of whose answers are asked for."""
    ids = [tp.pk for tp in touchpoints]
    now, before = cached_figures(
        "touchpoint-figures",
        (ids, period.since, period.until, who),
        lambda: _row_figures(ids, period, who),
    )
    changes = control_false_discoveries(
        [compare_gaps(before.get(tp.pk, {}), now.sums.get(tp.pk, {})) for tp in touchpoints]
    )
    return [now.of(tp, change) for tp, change in zip(touchpoints, changes, strict=True)]


def _row_figures(ids: list[int], period: Period, who: Who) -> tuple:
    return PeriodFigures.read(ids, period, who), sums_in(ids, period.previous(), who)


def department_touchpoints(department) -> list[Touchpoint]:
    return list(
        Touchpoint.objects.filter(department=department)
        .select_related("department")
        .order_by("audience", "name")
    )


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


SHORT_ANSWERS_SHOWN = 20


def short_answers(touchpoints, period: Period, search: str = "", theme=None):
    """The newest short-text answers to the surveys' own questions, beside the comments
    and found by the same search; one of their themes if given."""
    start, stop = moments(period)
    found = QuestionAnswer.objects.filter(
        response__touchpoint__in=touchpoints,
        response__submitted_at__gte=start,
        response__submitted_at__lt=stop,
    ).exclude(text="")
    if theme is not None:
        found = found.filter(themed__theme=theme)
    if search:
        found = found.filter(text__icontains=search)
    return found.select_related("question", "response__touchpoint").order_by(
        "-response__submitted_at", "-pk"
    )[:SHORT_ANSWERS_SHOWN]


def loop_rows(touchpoints, department, period: Period) -> list[tuple[str, str, LoopFigures]]:
    """Closing the loop on the scorecard, as (kind, name, figures): the department, each
    touchpoint with follow-ups, each staff member with follow-ups (and nobody's)."""
    ids = [tp.pk for tp in touchpoints]
    by_touchpoint, by_staff, whole = loop_figures_by(ids, period, "touchpoint", "staff", "all")
    names = {s.pk: s.name for s in Staff.objects.filter(pk__in=by_staff)}
    rows = [("Department", department.name, whole.get(None, LoopFigures()))]
    rows += [
        ("Touchpoint", tp.name, by_touchpoint[tp.pk])
        for tp in touchpoints
        if tp.pk in by_touchpoint
    ]
    staff = [("Staff", names.get(pk, "Assigned to nobody"), f) for pk, f in by_staff.items()]
    return rows + sorted(staff, key=lambda row: row[1])


def open_follow_ups(touchpoints):
    return (
        FollowUp.objects.filter(response__touchpoint__in=touchpoints)
        .exclude(status=FollowUpStatus.DONE)
        .select_related("response__touchpoint", "assigned_to")
        .order_by("created_at")
    )
