"""Journey list, board and every board edit.

Each board edit is a POST. A plain form post redirects back to the board (the path without
script, and the keyboard path); an htmx request gets the redrawn board in the response, so
the map changes without a page reload. A rejected edit redraws the board with the error
next to its field, status 400.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from journeys.board import build_board, build_card, scores_since
from journeys.editing import (
    PlacementError,
    add_stage,
    delete_stage,
    duplicate_as_future_state,
    move_stage,
    move_step,
    place_touchpoint,
    remove_step,
    rename_stage,
)
from journeys.forms import JourneyForm, JourneyImportForm, StageForm
from journeys.models import Journey, JourneyKind, Stage, Step
from journeys.portability import (
    ImportProblems,
    export_journey,
    import_document,
    parse_document,
    start_from,
    starters,
)
from journeys.selectors import journeys_for_list
from touchpoints.forms import NewTouchpointForm, TouchpointForm, bound_data
from touchpoints.models import Audience, Channel, Touchpoint
from touchpoints.roles import can_edit_maps, editor_required, member_required

PICKER_LIMIT = 12


@member_required
def journey_list(request):
    return render(
        request,
        "journeys/journey_list.html",
        {"journeys": journeys_for_list(request.user), "can_edit": can_edit_maps(request.user)},
    )


@require_GET
@member_required
def journey_board(request, pk):
    picker = None
    if can_edit_maps(request.user) and request.GET.get("place_in"):
        stage = get_object_or_404(Stage, pk=request.GET["place_in"], journey_id=pk)
        picker = _picker(stage, request.GET.get("q", ""))
    return _board_page(request, pk, picker=picker)


def _board_page(request, journey_pk, status=200, **extra):
    try:
        board = build_board(request.user, journey_pk, _wants_backstage(request))
    except Journey.DoesNotExist as missing:
        raise Http404("No such journey.") from missing
    can_edit = can_edit_maps(request.user)
    stage_edit = extra.pop("stage_edit", None)
    context = {"board": board, "journey": board.journey, "can_edit": can_edit, **extra}
    if can_edit:
        context.setdefault("stage_form", StageForm())
        for column in board.columns:
            pk = column.stage.pk
            column.edit_form = (
                stage_edit[1]
                if stage_edit and stage_edit[0] == pk
                else StageForm(instance=column.stage, prefix=f"stage-{pk}")
            )
    template = "journeys/_board.html" if request.htmx else "journeys/journey_board.html"
    return render(request, template, context, status=status)


def _wants_backstage(request):
    """The backstage lane stays shown across edits made from a page that showed it."""
    if "backstage" in request.GET:
        return request.GET["backstage"] == "1"
    if request.htmx and request.htmx.current_url:
        return parse_qs(urlsplit(request.htmx.current_url).query).get("backstage") == ["1"]
    return False


def _board_changed(request, journey_pk):
    if request.htmx:
        return _board_page(request, journey_pk)
    return redirect("journeys:board", journey_pk)


@require_http_methods(["GET", "POST"])
@editor_required
def journey_create(request):
    form = JourneyForm(*bound_data(request))
    if request.method == "POST" and form.is_valid():
        journey = form.save(commit=False)
        journey.owner = request.user
        journey.save()
        messages.success(request, f"Journey “{journey.name}” created.")
        return redirect("journeys:board", journey.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "starters": starters()}
    return render(request, "journeys/journey_form.html", context, status=status)


@require_POST
@editor_required
def journey_from_starter(request, slug):
    try:
        imported = start_from(slug, owner=request.user)
    except KeyError as unknown:
        raise Http404("No such template.") from unknown
    messages.success(
        request,
        f"Journey “{imported.journey.name}” started from a template: {imported.summary()}",
    )
    return redirect("journeys:board", imported.journey.pk)


@require_GET
@member_required
def journey_export(request, pk):
    journey = get_object_or_404(Journey.objects.for_user(request.user), pk=pk)
    response = JsonResponse(
        export_journey(journey), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    filename = slugify(journey.name) or "journey"
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


@require_http_methods(["GET", "POST"])
@editor_required
def journey_import(request):
    """A journey from an exported document: every problem is listed, and nothing is written
    unless the whole document is right."""
    form = JourneyImportForm(*bound_data(request, files=True))
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = import_document(parse_document(form.document_text()), request.user)
        except ImportProblems as rejected:
            problems = rejected.problems
        else:
            messages.success(
                request, f"Journey “{imported.journey.name}” imported: {imported.summary()}"
            )
            return redirect("journeys:board", imported.journey.pk)
    status = 400 if problems or form.errors else 200
    context = {"form": form, "problems": problems}
    return render(request, "journeys/journey_import.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def journey_edit(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    form = JourneyForm(*bound_data(request), instance=journey)
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


# --- Stages ------------------------------------------------------------------------------


@require_POST
@editor_required
def stage_add(request, pk):
    journey = get_object_or_404(Journey, pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        return _board_page(request, pk, status=400, stage_form=form)
    add_stage(journey, form.cleaned_data["name"], form.cleaned_data["customer_goal"])
    return _board_changed(request, pk)


@require_POST
@editor_required
def stage_edit(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    form = StageForm(request.POST, instance=Stage.objects.get(pk=pk), prefix=f"stage-{pk}")
    if not form.is_valid():
        return _board_page(request, stage.journey_id, status=400, stage_edit=(stage.pk, form))
    rename_stage(stage, form.cleaned_data["name"], form.cleaned_data["customer_goal"])
    return _board_changed(request, stage.journey_id)


@require_POST
@editor_required
def stage_move(request, pk):
    """To an explicit index (dragging) or one place left or right (buttons)."""
    stage = get_object_or_404(Stage, pk=pk)
    index = _target_index(request, stage.position, {"left": -1, "right": 1})
    if index is None:
        return HttpResponseBadRequest("index: a whole number is required.")
    move_stage(stage, index)
    return _board_changed(request, stage.journey_id)


@require_POST
@editor_required
def stage_delete(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    delete_stage(stage)
    messages.success(request, f"Stage “{stage.name}” removed; its touchpoints are kept.")
    return _board_changed(request, stage.journey_id)


def _target_index(request, current, directions):
    if "index" in request.POST:
        try:
            return max(int(request.POST["index"]), 0)
        except ValueError:
            return None
    return max(current + directions.get(request.POST.get("direction"), 0), 0)


# --- Cards -------------------------------------------------------------------------------


@require_GET
@editor_required
def stage_picker(request, pk):
    """Type-ahead: touchpoints matching by name, channel or department, and a form to
    create one on the spot. Without script, the board page shows the same picker."""
    stage = get_object_or_404(Stage, pk=pk)
    if not request.htmx:
        query = urlencode({"place_in": stage.pk, "q": request.GET.get("q", "")})
        return redirect(f"{reverse('journeys:board', args=[stage.journey_id])}?{query}")
    context = {"stage": stage, "picker": _picker(stage, request.GET.get("q", ""))}
    return render(request, "journeys/_picker_results.html", context)


def _picker(stage, query, form=None):
    query = query.strip()
    placed = Step.objects.filter(stage=stage).values("touchpoint_id")
    matches = Touchpoint.objects.exclude(pk__in=placed).select_related("department")
    if query:
        channels = [value for value, label in Channel.choices if query.lower() in label.lower()]
        matches = matches.filter(
            Q(name__icontains=query)
            | Q(department__name__icontains=query)
            | Q(channel__in=channels)
        )
    if form is None:
        form = NewTouchpointForm(initial={"name": query}, prefix=f"new-{stage.pk}")
    return {
        "stage_pk": stage.pk,
        "query": query,
        "matches": matches.order_by("name")[:PICKER_LIMIT],
        "form": form,
    }


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
    return _board_changed(request, stage.journey_id)


@require_POST
@editor_required
def step_create(request, pk):
    """Create a touchpoint on the spot and place it on the stage."""
    stage = get_object_or_404(Stage.objects.select_related("journey"), pk=pk)
    form = NewTouchpointForm(request.POST, prefix=f"new-{stage.pk}")
    if not form.is_valid():
        picker = _picker(stage, request.POST.get(f"new-{stage.pk}-name", ""), form)
        return _board_page(request, stage.journey_id, status=400, picker=picker)
    touchpoint = form.save(commit=False)
    if stage.journey.kind == JourneyKind.EMPLOYEE:
        touchpoint.audience = Audience.EMPLOYEE
    touchpoint.save()
    place_touchpoint(stage, touchpoint.pk)
    messages.success(request, f"Touchpoint “{touchpoint.name}” created and placed.")
    return _board_changed(request, stage.journey_id)


@require_POST
@editor_required
def step_move(request, pk):
    """To a stage and index (dragging), or one step up, down, left or right (buttons)."""
    step = get_object_or_404(Step.objects.select_related("stage"), pk=pk)
    stage, index = step.stage, step.position
    if "stage" in request.POST:
        stage = Stage.objects.filter(pk=request.POST["stage"] or 0).first()
        index = _target_index(request, index, {})
        if stage is None or index is None:
            return HttpResponseBadRequest("stage and index: a stage of this journey is required.")
    else:
        direction = request.POST.get("direction")
        if direction in ("up", "down"):
            index += -1 if direction == "up" else 1
        elif direction in ("left", "right"):
            stage = Stage.objects.filter(
                journey_id=stage.journey_id,
                position=stage.position + (-1 if direction == "left" else 1),
            ).first()
            if stage is None:
                return _board_changed(request, step.stage.journey_id)
    try:
        move_step(step, stage, max(index, 0))
    except PlacementError as error:
        messages.error(request, str(error))
    return _board_changed(request, step.stage.journey_id)


@require_POST
@editor_required
def step_remove(request, pk):
    step = get_object_or_404(Step.objects.select_related("stage", "touchpoint"), pk=pk)
    remove_step(step)
    messages.success(request, f"“{step.touchpoint.name}” taken off the map; its data is kept.")
    return _board_changed(request, step.stage.journey_id)


@require_GET
@member_required
def step_detail(request, pk):
    """The card's panel: the touchpoint, its standards and live scores, and for CX
    managers its edit form."""
    step = get_object_or_404(
        Step.objects.select_related("stage__journey", "touchpoint__department"), pk=pk
    )
    card = build_card(request.user, step)
    context = {"card": card, "journey": step.stage.journey, "since": scores_since()}
    if can_edit_maps(request.user):
        context["form"] = TouchpointForm(instance=card.touchpoint)
        context["touchpoint"] = card.touchpoint
    template = "journeys/_panel.html" if request.htmx else "journeys/step_detail.html"
    return render(request, template, context)
