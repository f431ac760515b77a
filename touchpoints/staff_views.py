"""The staff page: the people of the departments one may read, and who of them can sign in.
CX managers and a department's heads invite their staff to sign in."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from touchpoints.models import Staff
from touchpoints.roles import member_required
from touchpoints.staff_accounts import InviteRefused, invite


@member_required
def staff_list(request):
    people = (
        Staff.objects.for_user(request.user)
        .select_related("department", "user")
        .order_by("department__name", "name")
    )
    return render(request, "touchpoints/staff_list.html", {"people": people})


@require_POST
@member_required
def staff_invite(request, pk):
    staff = get_object_or_404(Staff.objects.for_user(request.user), pk=pk)
    try:
        invite(staff, request.user)
    except InviteRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{staff.name} was emailed a link to set a password.")
    return redirect("touchpoints:staff")
