"""The identity changes page: what partner systems and department heads reported about
known customers that differs from their records, for a CX manager to accept or dismiss
(touchpoints/identity.py says why these are not applied on their own)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from touchpoints.identity import accept_change, dismiss_change
from touchpoints.models import IdentityChange
from touchpoints.roles import cx_manager_required


@require_GET
@cx_manager_required
def identity_changes(request):
    pending = IdentityChange.objects.filter(decided_at__isnull=True).select_related(
        "customer", "reported_by"
    )
    decided = IdentityChange.objects.filter(decided_at__isnull=False).select_related(
        "customer", "decided_by"
    )[:20]
    return render(
        request, "touchpoints/identity_changes.html", {"pending": pending, "decided": decided}
    )


@require_POST
@cx_manager_required
def identity_change_decide(request, pk):
    change = get_object_or_404(IdentityChange, pk=pk, decided_at__isnull=True)
    if request.POST.get("decision") == "accept":
        accept_change(change, request.user)
        messages.success(request, f"{change.customer}: {change.get_field_display()} updated.")
    else:
        dismiss_change(change, request.user)
        messages.success(request, f"{change.customer}: the reported {change.field} dismissed.")
    return redirect("touchpoints:identity_changes")
