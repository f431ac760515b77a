"""Follow-up pages: the list (a staff member's own, a head's department board, everything
for CX managers), one follow-up with its history, and the actions on it.

Every action is a plain form POST that redirects back (it works without JavaScript); a
follow-up outside the caller's scope is a 404 for reads and actions alike.
"""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from surveys.counting import score_text
from surveys.counting.by_staff import staff_scores
from surveys.counting.periods import Period
from surveys.follow_ups import services
from surveys.follow_ups.forms import AssignForm, ContactForm, ReopenForm, ResolveForm
from surveys.models import FollowUp, FollowUpStatus, Response
from touchpoints.models import Department, Staff
from touchpoints.roles import Role, is_member, role_of, staff_of, staff_or_member_required

PER_PAGE = 40
SHOWS = {
    "open": "Not resolved",
    "overdue": "Overdue",
    "done": "Resolved",
    "all": "All",
}


def _readable(user):
    return FollowUp.objects.for_user(user).select_related(
        "assigned_to",
        "response__touchpoint__department",
        "response__invitation__interaction__customer",
    )


@staff_or_member_required
def follow_up_list(request):
    user = request.user
    follow_ups = _readable(user)
    show = request.GET.get("show", "open")
    now = timezone.now()
    if show == "open":
        follow_ups = follow_ups.not_done()
    elif show == "overdue":
        follow_ups = follow_ups.overdue(now)
    elif show == "done":
        follow_ups = follow_ups.filter(status=FollowUpStatus.DONE)
    departments = (
        Department.objects.for_user(user) if is_member(user) else Department.objects.none()
    )
    staff = Staff.objects.filter(department__in=departments).select_related("department")
    department = _picked(request.GET.get("department"), departments)
    if department is not None:
        follow_ups = follow_ups.filter(response__touchpoint__department=department)
    assignee = request.GET.get("assigned_to", "")
    if assignee == "nobody":
        follow_ups = follow_ups.filter(assigned_to__isnull=True)
    elif (picked := _picked(assignee, staff)) is not None:
        follow_ups = follow_ups.filter(assigned_to=picked)
    # Those to act on first: the earliest due, then the newest of the rest.
    follow_ups = follow_ups.order_by("status", "due_at", "-created_at")
    page = Paginator(follow_ups, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "now": now,
        "show": show,
        "shows": SHOWS,
        "departments": departments,
        "department": department,
        "staff": staff,
        "assignee": assignee,
        "query": query.urlencode(),
        "heading": _heading(user, departments),
        "overdue_count": FollowUp.objects.for_user(user).overdue(now).count(),
    }
    return render(request, "surveys/follow_ups/list.html", context)


def _picked(value, choices):
    return choices.filter(pk=value).first() if str(value).isdigit() else None


def _heading(user, departments) -> str:
    role = role_of(user)
    if role == Role.STAFF:
        return "My follow-ups"
    if role == Role.DEPARTMENT_HEAD:
        return "Follow-ups of " + ", ".join(d.name for d in departments)
    return "All follow-ups"


@staff_or_member_required
def follow_up_detail(request, pk, forms=None, status=200):
    follow_up = get_object_or_404(_readable(request.user), pk=pk)
    response = follow_up.response
    interaction = response.invitation.interaction if response.invitation else None
    department_id = response.touchpoint.department_id
    forms = forms or {}
    context = {
        "follow_up": follow_up,
        "response": response,
        "interaction": interaction,
        # A public answer's person left their email on it; an invited one is the interaction's.
        "customer": interaction.customer if interaction else response.customer,
        "events": follow_up.events.select_related("by", "assigned_to"),
        "overdue": follow_up.is_overdue(),
        "in_time": follow_up.contacted_in_time(),
        "contact_form": forms.get("contact") or ContactForm(),
        "resolve_form": forms.get("resolve") or ResolveForm(),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        "can_assign": is_member(request.user),
        "assign_form": forms.get("assign")
        or AssignForm(
            department_id=department_id, initial={"assigned_to": follow_up.assigned_to_id}
        ),
    }
    return render(request, "surveys/follow_ups/detail.html", context, status=status)


def _act(request, pk, name, form, change, done: str):
    """Validate the action's form and apply it; a bad form is shown beside its fields (400),
    a refused change as a message."""
    follow_up = get_object_or_404(FollowUp.objects.for_user(request.user), pk=pk)
    if not form.is_valid():
        return follow_up_detail(request, pk, forms={name: form}, status=400)
    try:
        change(follow_up, form.cleaned_data)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("surveys:follow_up", pk)


@require_POST
@staff_or_member_required
def log_contact(request, pk):
    def change(follow_up, data):
        services.log_contact(
            follow_up, request.user, data["channel"], data["outcome"], data["note"]
        )

    return _act(request, pk, "contact", ContactForm(request.POST), change, "Contact logged.")


@require_POST
@staff_or_member_required
def resolve(request, pk):
    def change(follow_up, data):
        services.resolve(follow_up, request.user, data["note"])

    return _act(request, pk, "resolve", ResolveForm(request.POST), change, "Resolved.")


@require_POST
@staff_or_member_required
def reopen(request, pk):
    def change(follow_up, data):
        services.reopen(follow_up, request.user, data["note"])

    return _act(request, pk, "reopen", ReopenForm(request.POST), change, "Reopened.")


@require_POST
@staff_or_member_required
def assign(request, pk):
    follow_up = get_object_or_404(
        FollowUp.objects.for_user(request.user).select_related("response__touchpoint"), pk=pk
    )
    if not is_member(request.user):
        # Staff see the follow-up but do not hand it on: the board is the heads'.
        messages.error(request, "Only the department's heads and CX managers reassign.")
        return redirect("surveys:follow_up", pk)
    form = AssignForm(request.POST, department_id=follow_up.response.touchpoint.department_id)

    def change(follow_up, data):
        services.assign(follow_up, data["assigned_to"], request.user, data["note"])

    return _act(request, pk, "assign", form, change, "Assigned.")


# --- A staff member's desk -----------------------------------------------------------------

DESK_PERIODS = {"30": "Last 30 days", "90": "Last 90 days", "365": "Last 12 months"}
DESK_ANSWERS = 30


@staff_or_member_required
def my_work(request):
    """A front-line staff member's own place: their follow-ups, their scores, and what their
    customers said. Members have the dashboards instead."""
    staff = staff_of(request.user)
    if staff is None:
        return redirect("surveys:follow_ups")
    days = request.GET.get("days", "90")
    days = days if days in DESK_PERIODS else "90"
    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=int(days) - 1), today)
    mine = FollowUp.objects.for_user(request.user)
    now = timezone.now()
    context = {
        "staff": staff,
        "days": days,
        "periods": DESK_PERIODS,
        "period": period,
        "figures": _figures(staff_scores([staff.pk], period)[staff.pk]),
        "open_count": mine.not_done().count(),
        "overdue_count": mine.overdue(now).count(),
        "next_due": mine.not_done().filter(first_contact_at__isnull=True).order_by("due_at")[:5],
        "answers": Response.objects.for_user(request.user)
        .select_related("touchpoint", "invitation__interaction__customer", "follow_up")
        .order_by("-submitted_at")[:DESK_ANSWERS],
    }
    return render(request, "surveys/follow_ups/my_work.html", context)


def _figures(scores) -> list[tuple[str, str, str]]:
    """(measure, figure, detail): each with its n and interval, none below the minimum."""
    return [
        ("Gap", *score_text.gap(scores)),
        ("CSAT", *score_text.csat(scores)),
        ("NPS", *score_text.nps(scores)),
        ("Effort (CES)", *score_text.ces(scores)),
        ("Response rate", *score_text.response_rate(scores)),
    ]
