import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from touchpoints.models import Department
from touchpoints.roles import Role, member_required, role_of

from .selectors import department_touchpoint_rows

# The default window of the department page.
RECENT_DAYS = 90


@login_required
def home(request):
    """Send each role to its place."""
    role = role_of(request.user)
    if role == Role.DEPARTMENT_HEAD:
        department = Department.objects.for_user(request.user).first()
        return redirect("dashboards:department", pk=department.pk)
    if role in (Role.ADMIN, Role.CX_MANAGER):
        return redirect("journeys:list")
    return render(request, "dashboards/no_role.html", status=403)


@member_required
def department_detail(request, pk):
    # Outsiders get a 404, not a 403: another department's page does not "exist" for them.
    department = get_object_or_404(Department.objects.for_user(request.user), pk=pk)
    until = timezone.localdate()
    since = until - dt.timedelta(days=RECENT_DAYS - 1)
    return render(
        request,
        "dashboards/department_detail.html",
        {
            "department": department,
            "rows": department_touchpoint_rows(department, since, until),
            "since": since,
            "until": until,
        },
    )
