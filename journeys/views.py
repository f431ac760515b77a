from django.http import Http404
from django.shortcuts import render

from touchpoints.roles import can_edit_maps, member_required

from .models import Journey
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
    return render(
        request,
        "journeys/journey_board.html",
        {"journey": journey, "can_edit": can_edit_maps(request.user)},
    )
