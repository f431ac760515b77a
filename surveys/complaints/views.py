"""Complaints pages: log one quickly, list and filter them, work one to resolution.

CX managers see every complaint; a department head sees, logs and resolves only their
department's (another department's complaint is a 404).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from surveys.asking.intake import CustomerDetails
from surveys.complaints.forms import ComplaintForm, ComplaintUpdateForm
from surveys.complaints.services import (
    ComplaintRefused,
    due_at,
    is_overdue,
    record_complaint,
    resolution_standard,
    update_complaint,
)
from surveys.counting.selectors import readable_theme
from surveys.models import Complaint, ComplaintSource, ComplaintStatus, ThemeSource
from touchpoints.forms import bound_data
from touchpoints.identity import Reporter, readable_customer_ids
from touchpoints.roles import can_edit_maps, member_required

PER_PAGE = 30


@member_required
def complaint_list(request):
    complaints = Complaint.objects.for_user(request.user).select_related(
        "touchpoint__department", "customer", "owner"
    )
    status = request.GET.get("status", "unresolved")
    if status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    elif status == "unresolved":
        complaints = complaints.exclude(status=ComplaintStatus.RESOLVED)
    if request.GET.get("source") in ComplaintSource.values:
        complaints = complaints.filter(source=request.GET["source"])
    theme = readable_theme(request.user, request.GET.get("theme"), ThemeSource.COMPLAINTS)
    if theme is not None:
        complaints = complaints.filter(themed__theme=theme)
    if request.GET.get("overdue"):
        complaints = complaints.exclude(status=ComplaintStatus.RESOLVED).filter(
            received_at__lt=timezone.now() - resolution_standard()
        )
    page = Paginator(complaints, PER_PAGE).get_page(request.GET.get("page"))
    readable = readable_customer_ids(request.user, [c.customer_id for c in page])
    rows = [
        (complaint, due_at(complaint), is_overdue(complaint), complaint.customer_id in readable)
        for complaint in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": ComplaintStatus.choices,
        "sources": ComplaintSource.choices,
        "standard_hours": int(resolution_standard().total_seconds() // 3600),
        "query": query.urlencode(),
        "theme": theme,
    }
    return render(request, "surveys/complaints/list.html", context)


@require_http_methods(["GET", "POST"])
@member_required
def complaint_create(request):
    form = ComplaintForm(*bound_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = None
        if data["customer_email"]:
            customer = CustomerDetails(email=data["customer_email"], name=data["customer_name"])
        complaint = record_complaint(
            touchpoint=data["touchpoint"],
            source=data["source"],
            text=data["text"],
            received_at=data["received_at"],
            customer=customer,
            owner=data["owner"],
            reporter=_reporter(request.user),
        ).complaint
        messages.success(request, f"Complaint about “{complaint.touchpoint}” logged.")
        return redirect("surveys:complaint", complaint.pk)
    status = 400 if form.errors else 200
    return render(request, "surveys/complaints/form.html", {"form": form}, status=status)


def _reporter(user) -> Reporter | None:
    """A head may not change a known customer's identity (touchpoints/identity.py)."""
    return None if can_edit_maps(user) else Reporter(user, f"complaint form, {user.get_username()}")


@require_http_methods(["GET", "POST"])
@member_required
def complaint_detail(request, pk):
    complaint = get_object_or_404(
        Complaint.objects.for_user(request.user).select_related(
            "touchpoint__department", "customer", "owner"
        ),
        pk=pk,
    )
    form = ComplaintUpdateForm(*bound_data(request), instance=Complaint.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            update_complaint(
                complaint,
                status=form.cleaned_data["status"],
                owner=form.cleaned_data["owner"],
                resolution_notes=form.cleaned_data["resolution_notes"],
            )
        except ComplaintRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "Complaint updated.")
            return redirect("surveys:complaint", complaint.pk)
    context = {
        "complaint": complaint,
        # Matching may have tied it to a customer this user may not read: not shown then.
        "customer": complaint.customer
        if readable_customer_ids(request.user, [complaint.customer_id])
        else None,
        "form": form,
        "due": due_at(complaint),
        "overdue": is_overdue(complaint),
    }
    return render(
        request, "surveys/complaints/detail.html", context, status=400 if form.errors else 200
    )
