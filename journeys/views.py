from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from touchpoints.roles import can_edit_maps, member_required

from .editing import duplicate_as_future_state
from .forms import JourneyForm
from .models import Journey
from .selectors import journey_with_map, journeys_for_list


def map_editor_required(view):
    """Only CX managers (and admins) change maps; heads get 403, anonymous users login."""

    @member_required
    def wrapper(request, *args, **kwargs):
        if not can_edit_maps(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@member_required
def journey_list(request):
    return render(
        request,
        "journeys/journey_list.html",
        {"journeys": journeys_for_list(request.user), "can_edit": can_edit_maps(request.user)},
    )


@member_required
def journey_board(request, pk):
    try:
        journey = journey_with_map(request.user, pk)
    except Journey.DoesNotExist as missing:
        raise Http404("No such journey.") from missing
    return render(
        request,
        "journeys/journey_board.html",
        {"journey": journey, "can_edit": can_edit_maps(request.user)},
    )


@require_http_methods(["GET", "POST"])
@map_editor_required
def journey_create(request):
    form = JourneyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        journey = form.save(commit=False)
        journey.owner = request.user
        journey.save()
        messages.success(request, f"Journey “{journey.name}” created.")
        return redirect("journeys:board", journey.pk)
    status = 400 if form.errors else 200
    return render(request, "journeys/journey_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@map_editor_required
def journey_edit(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    form = JourneyForm(request.POST or None, instance=journey)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Journey “{journey.name}” saved.")
        return redirect("journeys:board", journey.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "journey": journey}
    return render(request, "journeys/journey_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@map_editor_required
def journey_delete(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    if request.method == "POST":
        name = journey.name
        journey.delete()  # stages and steps go with it; touchpoints and their data stay
        messages.success(request, f"Journey “{name}” deleted.")
        return redirect("journeys:list")
    return render(request, "journeys/journey_confirm_delete.html", {"journey": journey})


@require_POST
@map_editor_required
def journey_duplicate(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    copy = duplicate_as_future_state(journey, owner=request.user)
    messages.success(request, f"Future-state copy “{copy.name}” created.")
    return redirect("journeys:board", copy.pk)
