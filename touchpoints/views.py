"""The touchpoints page: every touchpoint of the company in one table; CX managers edit.

Department heads see their own department's touchpoints, read-only.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_htmx.http import trigger_client_event

from touchpoints.filters import TouchpointFilter
from touchpoints.forms import TouchpointForm, bound_data
from touchpoints.models import Touchpoint
from touchpoints.roles import can_edit_maps, editor_required, member_required


@member_required
def touchpoint_list(request):
    # Journeys are read through the reverse relations: this app imports no other.
    readable = (
        Touchpoint.objects.for_user(request.user)
        .select_related("department")
        .prefetch_related("steps__stage__journey", "supports")
        .order_by("department__name", "name")
    )
    filters = TouchpointFilter(request.GET or None, queryset=readable)
    rows = [(tp, _journeys_of(tp)) for tp in filters.qs]
    context = {"filters": filters, "rows": rows, "can_edit": can_edit_maps(request.user)}
    return render(request, "touchpoints/touchpoint_list.html", context)


def _journeys_of(touchpoint):
    journeys = {step.stage.journey for step in touchpoint.steps.all()}
    return sorted(journeys, key=lambda journey: journey.name)


@require_http_methods(["GET", "POST"])
@editor_required
def touchpoint_create(request):
    return _edit(request, Touchpoint())


@require_http_methods(["GET", "POST"])
@editor_required
def touchpoint_edit(request, pk):
    return _edit(request, get_object_or_404(Touchpoint, pk=pk))


def _edit(request, touchpoint):
    """One form for the page and for the map's card panel (an htmx request swaps the form
    in place and tells the board to redraw)."""
    form = TouchpointForm(*bound_data(request), instance=touchpoint)
    if request.method == "POST" and form.is_valid():
        touchpoint = form.save()
        if request.htmx:
            saved = TouchpointForm(instance=touchpoint)
            context = {"form": saved, "touchpoint": touchpoint, "saved": True, "in_panel": True}
            response = render(request, "touchpoints/_touchpoint_form.html", context)
            return trigger_client_event(response, "board-changed")
        messages.success(request, f"Touchpoint “{touchpoint.name}” saved.")
        return redirect(_safe_next(request) or "touchpoints:list")
    status = 400 if form.errors else 200
    context = {
        "form": form,
        "touchpoint": touchpoint,
        "next": _safe_next(request),
        "in_panel": bool(request.htmx),
    }
    template = (
        "touchpoints/_touchpoint_form.html" if request.htmx else "touchpoints/touchpoint_form.html"
    )
    return render(request, template, context, status=status)


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
