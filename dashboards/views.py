"""The dashboards. Every figure comes from the rollups through dashboards/selectors.py and
is drawn by static/js/charts.js from JSON embedded with json_script (no inline script)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dashboards import exports, figures
from dashboards.forms import ImprovementForm, JourneyMapForm, PeriodForm, ScorecardForm, TrendForm
from dashboards.improvements import improvement_checks
from dashboards.journey_map import journey_map
from dashboards.priorities import priorities
from dashboards.real_paths import real_paths
from dashboards.selectors import (
    comments,
    department_touchpoints,
    loop_rows,
    open_follow_ups,
    segments,
    short_answers,
    touchpoint_rows,
)
from dashboards.standards import breaches, standard_effects
from dashboards.trends import grouped_changes, grouped_weekly, trend_groups, weekly_scores
from journeys.models import Journey
from lib.csv_export import csv_response
from surveys.counting.own_questions import question_results
from surveys.counting.recovery import recovery
from surveys.counting.selectors import readable_theme
from surveys.models import AnswerSource, PathTransition, SetAsideAnswer, ThemeSource
from touchpoints.forms import bound_data
from touchpoints.models import Audience, Department, ImprovementAction, Touchpoint
from touchpoints.roles import Role, can_edit_maps, cx_manager_required, member_required, role_of

COMMENTS_PER_PAGE = 20
FOLLOW_UPS_SHOWN = 20


@login_required
def home(request):
    """Send each role to its place."""
    role = role_of(request.user)
    if role == Role.DEPARTMENT_HEAD:
        department = Department.objects.for_user(request.user).first()
        return redirect("dashboards:department", pk=department.pk)
    if role in (Role.ADMIN, Role.CX_MANAGER):
        return redirect("journeys:list")
    if role == Role.STAFF:
        return redirect("surveys:my_work")
    return render(request, "dashboards/no_role.html", status=403)


# --- Department scorecard ------------------------------------------------------------------


@member_required
def department_detail(request, pk):
    # Outsiders get a 404, not a 403: another department's page does not "exist" for them.
    department = get_object_or_404(Department.objects.for_user(request.user), pk=pk)
    form = ScorecardForm(request.GET or None)
    period = form.period()
    search = request.GET.get("q", "").strip()
    touchpoints = department_touchpoints(department)
    who = form.who()
    rows = touchpoint_rows(touchpoints, period, who)
    theme = _own_theme(request, "theme", ThemeSource.COMMENTS, touchpoints)
    answer_theme = _own_theme(request, "answer_theme", ThemeSource.ANSWERS, touchpoints)
    found = comments(touchpoints, period, search, theme)
    follow_ups = open_follow_ups(touchpoints)
    answered = question_results([tp.pk for tp in touchpoints], period, who.source)
    own_results = [(tp.name, result) for tp in touchpoints for result in answered.get(tp.pk, [])]
    tables = {
        "touchpoints": lambda: exports.touchpoint_table(rows),
        "comments": lambda: exports.comment_table(found.iterator()),
        "breaches": lambda: exports.breach_table(
            breaches(touchpoints, period, limit=None).iterator()
        ),
        "follow_ups": lambda: exports.follow_up_table(follow_ups.iterator()),
        "questions": lambda: exports.question_table(own_results),
    }
    export = request.GET.get("export")
    if export in tables:
        name = f"{department.name} {export.replace('_', ' ')} {period.since} {period.until}"
        if who.source:
            name += f" {who.source}"
        return csv_response(name, *tables[export]())
    weekly = weekly_scores([tp.pk for tp in touchpoints], period)
    names = {tp.pk: tp.name for tp in touchpoints}
    named = {names[tp]: points for tp, points in weekly.items()}
    trend_figure = figures.weekly_lines(named)
    sentiment_figure = figures.weekly_lines(named, "sentiment")
    page = comment_page(found, request.GET.get("page"))
    context = {
        "department": department,
        "form": form,
        "period": period,
        "rows": rows,
        "source_shown": AnswerSource(who.source).label if who.source else "",
        "trend_figure": trend_figure,
        "sentiment_figure": sentiment_figure,
        "comments": page,
        # The period's comment count comes from the rollups; a search is not counted, nor
        # are the comments of one source (the list below shows every source's).
        "comment_count": (
            None if search or theme or who.filtered else sum(r.scores.comments for r in rows)
        ),
        "search": search,
        "theme": theme,
        "themed_rows": [
            row for row in rows if row.themes or row.complaint_themes or row.short_answer_themes
        ],
        "follow_ups": follow_ups[:FOLLOW_UPS_SHOWN],
        "breaches": breaches(touchpoints, period),
        "follow_ups_count": follow_ups.count(),
        "loop_rows": loop_rows(touchpoints, department, period),
        "own_results": own_results,
        "short_answers": short_answers(touchpoints, period, search, answer_theme),
        "answer_theme": answer_theme,
        "kept_aside": SetAsideAnswer.objects.filter(
            touchpoint__in=touchpoints, day__range=(period.since, period.until)
        ).count(),
        "query_without_page": _query_without(request, "page", "export"),
        "query_without_theme": _query_without(request, "page", "export", "theme"),
        "query_without_answer_theme": _query_without(request, "page", "export", "answer_theme"),
    }
    return render(request, "dashboards/department_detail.html", context)


def _own_theme(request, parameter: str, source: str, touchpoints):
    """The theme the query names, if the user may read it and it is of this page's
    touchpoints (a CX manager may read another department's, which is not this page's)."""
    theme = readable_theme(request.user, request.GET.get(parameter), source)
    if theme is not None and theme.touchpoint_id not in {tp.pk for tp in touchpoints}:
        return None
    return theme


@dataclass
class CommentPage:
    items: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.items)


MAX_COMMENT_PAGE = 10**9


def comment_page(found, number) -> CommentPage:
    """One page of newest-first comments, without counting them all: a COUNT over months of
    answers would cost more than the whole page."""
    try:
        # Past the last page is an empty page; past any page a database can count, too.
        number = min(max(int(number or 1), 1), MAX_COMMENT_PAGE)
    except ValueError:
        number = 1
    start = (number - 1) * COMMENTS_PER_PAGE
    items = list(found[start : start + COMMENTS_PER_PAGE + 1])
    return CommentPage(items[:COMMENTS_PER_PAGE], number, len(items) > COMMENTS_PER_PAGE)


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- The live journey map ------------------------------------------------------------------


@cx_manager_required
def journey_dashboard(request, pk, template="dashboards/journey_map.html"):
    journey = get_object_or_404(Journey, pk=pk)
    form = JourneyMapForm(request.GET or None)
    period = form.period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    stages = journey_map(journey, period, data.get("channel", ""))
    if request.GET.get("export") == "stages":
        return csv_response(
            f"{journey.name} {period.since} {period.until}",
            ["stage", "touchpoint", "department", *exports.SCORE_HEADER],
            _journey_rows(stages),
        )
    context = {
        "journey": journey,
        "form": form,
        "period": period,
        "stages": stages,
        "map_figure": figures.journey_map(stages, show_backstage=data.get("backstage", False)),
        "min_sample": settings.TOUCHSTONE_MIN_SAMPLE,
        "query": _query_without(request, "export"),
    }
    return render(request, template, context)


def _journey_rows(stages):
    for s in stages:
        yield [s.stage.name, "(whole stage)", "", *exports.score_cells(s.scores)]
        for p in s.points:
            yield [
                s.stage.name,
                p.touchpoint.name,
                p.touchpoint.department.name,
                *exports.score_cells(p.scores),
            ]


@cx_manager_required
def journey_paths(request, pk):
    """The paths customers really take, against the designed map."""
    journey = get_object_or_404(Journey, pk=pk)
    form = PeriodForm(request.GET or None)
    period = form.period()
    links = real_paths(journey, period)
    if request.GET.get("export") == "csv":
        return csv_response(
            f"{journey.name} paths {period.since} {period.until}",
            ["step", "from", "to", "customers", "kind"],
            (
                [link.step, link.source.name, link.target.name if link.target else "(end)",
                 link.count, link.kind]
                for link in links
            ),
        )  # fmt: skip
    context = {
        "journey": journey,
        "form": form,
        "period": period,
        "links": links,
        "figure": figures.real_paths(links),
        "built": PathTransition.objects.exists(),
        "query": _query_without(request, "export"),
    }
    return render(request, "dashboards/journey_paths.html", context)


@cx_manager_required
def journey_report(request, pk):
    """The same figures on one printable page (the browser saves it as PDF)."""
    return journey_dashboard(request, pk, template="dashboards/journey_report.html")


# --- Priorities ----------------------------------------------------------------------------


@member_required
def priority_list(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    readable = list(
        Touchpoint.objects.for_user(request.user)
        .filter(audience=Audience.CUSTOMER)
        .select_related("department")
    )
    ranked = priorities(readable, period)
    if request.GET.get("export") == "csv":
        return csv_response(
            f"priorities {period.since} {period.until}",
            ["touchpoint", "department", "plan", "impact", "effort", *exports.SCORE_HEADER],
            (
                [p.touchpoint.name, p.touchpoint.department.name, p.bucket, p.impact, p.effort,
                 *exports.score_cells(p.scores)]
                for p in ranked
            ),
        )  # fmt: skip
    context = {
        "form": form,
        "period": period,
        "ranked": ranked,
        "quick_wins": [p for p in ranked if p.bucket == "quick win"],
        "plan": [p for p in ranked if p.bucket in ("next quarter", "the quarter after")],
        "figure": figures.impact_effort(ranked),
        "query": _query_without(request, "export"),
    }
    return render(request, "dashboards/priorities.html", context)


# --- Proof of improvement ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def improvement_list(request):
    can_edit = can_edit_maps(request.user)
    form = None
    if can_edit:
        form = ImprovementForm(*bound_data(request))
        form.fields["touchpoint"].queryset = Touchpoint.objects.select_related("department")
        if request.method == "POST" and form.is_valid():
            action = form.save(commit=False)
            action.created_by = request.user
            action.save()
            messages.success(request, f"Improvement “{action.title}” recorded.")
            return redirect("dashboards:improvements")
    elif request.method == "POST":
        raise PermissionDenied
    actions = ImprovementAction.objects.for_user(request.user).select_related(
        "touchpoint__department"
    )
    checks = improvement_checks(actions, timezone.localdate())
    if request.GET.get("export") == "csv":
        return csv_response(
            "improvements",
            ["action", "touchpoint", "status", "changed on", "gap before", "n before",
             "gap after", "n after", "difference", "p value", "verdict"],
            (_improvement_row(check) for check in checks),
        )  # fmt: skip
    context = {
        "checks": checks,
        "figure": figures.before_after(checks),
        "recovery": recovery(request.user),
        "form": form,
        "can_edit": can_edit,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "dashboards/improvements.html", context, status=status)


def _improvement_row(check):
    action, change = check.action, check.change
    base = [action.title, action.touchpoint.name, action.get_status_display(), action.changed_on]
    if change is None:
        return [*base, None, None, None, None, None, None, "not yet in effect"]
    return [
        *base,
        change.reference.gap,
        change.reference.gap_answered,
        change.compared.gap,
        change.compared.gap_answered,
        change.difference,
        change.p_value,
        change.verdict,
    ]


# --- Does the standard matter? -------------------------------------------------------------


@member_required
def standards(request):
    form = PeriodForm(request.GET or None)
    period = form.period()
    readable = list(
        Touchpoint.objects.for_user(request.user)
        .select_related("department")
        .order_by("department__name", "name")
    )
    effects = standard_effects(readable, period)
    if request.GET.get("export") == "csv":
        return csv_response(
            f"standards {period.since} {period.until}",
            ["touchpoint", "standard", "target s", "measured", "met", "gap when met",
             "gap when missed", "difference", "95% margin", "p value", "CSAT % met",
             "CSAT % missed", "customers feel it"],
            (
                [e.touchpoint.name, e.standard, e.target_seconds, e.measured, e.met,
                 e.change.reference.gap, e.change.compared.gap, e.change.difference,
                 e.change.margin, e.change.p_value, e.csat_met, e.csat_missed,
                 "yes" if e.felt else "no"]
                for e in effects
            ),
        )  # fmt: skip
    context = {
        "form": form,
        "period": period,
        "effects": effects,
        "figure": figures.standard_effects([e for e in effects if e.change.p_value is not None]),
        "query": _query_without(request, "export"),
    }
    return render(request, "dashboards/standards.html", context)


# --- Trends --------------------------------------------------------------------------------


@member_required
def trends(request):
    """Weekly lines for chosen touchpoints, stages or (by default) departments, and an
    optional comparison of the period with another, tested for significance."""
    readable = Touchpoint.objects.for_user(request.user).select_related("department")
    form = TrendForm(
        request.GET or None, touchpoints=readable.order_by("name"), segments=segments()
    )
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    period = form.period()
    groups = trend_groups(readable, data)
    measure = data.get("measure") or "gap"
    who = form.who()
    series = grouped_weekly(groups, period, who)
    compare = data.get("compare")
    if request.GET.get("export") == "csv":
        return csv_response(
            f"trends {period.since} {period.until}",
            ["group", "week", *exports.SCORE_HEADER],
            (
                [name, week, *exports.score_cells(scores)]
                for name, points in series.items()
                for week, scores in points
            ),
        )
    context = {
        "form": form,
        "period": period,
        "compare": compare,
        "comparison": grouped_changes(groups, compare, period, who) if compare else [],
        "measure": measure,
        "figure": figures.weekly_lines(series, measure),
        "query": _query_without(request, "export"),
    }
    return render(request, "dashboards/trends.html", context)
