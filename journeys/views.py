from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from touchpoints.models import Touchpoint
from touchpoints.roles import can_edit_maps, editor_required, member_required

from .editing import (
    PlacementError,
    add_stage,
    delete_stage,
    duplicate_as_future_state,
    move_stage,
    move_step,
    place_touchpoint,
    remove_step,
)
from .forms import JourneyForm, StageForm
from .models import Journey, Stage, Step
from .selectors import journey_with_map, journeys_for_list


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
    can_edit = can_edit_maps(request.user)
    context = {"journey": journey, "can_edit": can_edit}
    if can_edit:
        context |= {"stage_form": StageForm(), "touchpoints": Touchpoint.objects.order_by("name")}
    return render(request, "journeys/journey_board.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
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
@editor_required
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
@editor_required
def journey_delete(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    if request.method == "POST":
        name = journey.name
        journey.delete()  # stages and steps go with it; touchpoints and their data stay
        messages.success(request, f"Journey “{name}” deleted.")
        return redirect("journeys:list")
    return render(request, "journeys/journey_confirm_delete.html", {"journey": journey})


@require_POST
@editor_required
def journey_duplicate(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    copy = duplicate_as_future_state(journey, owner=request.user)
    messages.success(request, f"Future-state copy “{copy.name}” created.")
    return redirect("journeys:board", copy.pk)


# --- Board edits without script: each is a POST that returns to the board --------------
# These are also the keyboard alternative to dragging cards.


@require_POST
@editor_required
def stage_add(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        board = journey_with_map(request.user, pk)
        context = {"journey": board, "can_edit": True, "stage_form": form}
        return render(request, "journeys/journey_board.html", context, status=400)
    add_stage(journey, form.cleaned_data["name"], form.cleaned_data["customer_goal"])
    return _back_to_board(journey.pk)


@require_POST
@editor_required
def stage_move(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    step = {"left": -1, "right": 1}.get(request.POST.get("direction"), 0)
    move_stage(stage, stage.position + step)
    return _back_to_board(stage.journey_id)


@require_POST
@editor_required
def stage_delete(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    delete_stage(stage)
    messages.success(request, f"Stage “{stage.name}” removed; its touchpoints are kept.")
    return _back_to_board(stage.journey_id)


@require_POST
@editor_required
def step_place(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    touchpoint = Touchpoint.objects.filter(pk=request.POST.get("touchpoint") or 0).first()
    if touchpoint is None:
        messages.error(request, "Pick a touchpoint to place on the stage.")
    else:
        try:
            place_touchpoint(stage, touchpoint.pk)
        except PlacementError as error:
            messages.error(request, f"{touchpoint.name}: {error}")
    return _back_to_board(stage.journey_id)


@require_POST
@editor_required
def step_move(request, pk):
    step = get_object_or_404(Step.objects.select_related("stage"), pk=pk)
    direction = request.POST.get("direction")
    stage, index = step.stage, step.position
    if direction in ("up", "down"):
        index += -1 if direction == "up" else 1
    elif direction in ("left", "right"):
        neighbour = Stage.objects.filter(
            journey_id=stage.journey_id,
            position=stage.position + (-1 if direction == "left" else 1),
        ).first()
        if neighbour is None:
            return _back_to_board(stage.journey_id)
        stage = neighbour
    try:
        move_step(step, stage, max(index, 0))
    except PlacementError as error:
        messages.error(request, str(error))
    return _back_to_board(step.stage.journey_id)


@require_POST
@editor_required
def step_remove(request, pk):
    step = get_object_or_404(Step.objects.select_related("stage", "touchpoint"), pk=pk)
    remove_step(step)
    messages.success(request, f"“{step.touchpoint.name}” taken off the map; its data is kept.")
    return _back_to_board(step.stage.journey_id)


def _back_to_board(journey_id):
    return redirect("journeys:board", journey_id)
