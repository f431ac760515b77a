"""The customer page: find a person by email, name or reference, read their timeline;
admins erase them from there. A customer outside the reader's scope is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from surveys.customers.forms import EraseForm
from surveys.customers.timeline import SEARCH_LIMIT, search_customers, timeline
from surveys.privacy import erase_customer, is_erased
from touchpoints.models import Customer
from touchpoints.roles import Role, member_required, role_of


@member_required
def customer_search(request):
    # A NUL cannot be in any stored text: dropped, so it matches as the rest does.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    found = list(search_customers(request.user, query)) if query else []
    if len(found) == 1:
        return redirect("surveys:customer", found[0].pk)
    context = {"query": query, "found": found, "limit": SEARCH_LIMIT}
    return render(request, "surveys/customers/search.html", context)


@member_required
def customer_detail(request, pk):
    customer = get_object_or_404(Customer.objects.for_user(request.user), pk=pk)
    return _detail(request, customer, EraseForm(customer=customer))


@require_POST
@member_required
def customer_erase(request, pk):
    customer = get_object_or_404(Customer.objects.for_user(request.user), pk=pk)
    if role_of(request.user) != Role.ADMIN:
        raise PermissionDenied
    form = EraseForm(request.POST, customer=customer)
    if not form.is_valid():
        return _detail(request, customer, form, status=400)
    erased = erase_customer(customer.email)
    messages.success(
        request,
        f"Erased: {erased.customers} customer record{'s' * (erased.customers != 1)} made "
        f"anonymous, {erased.comments} comments, {erased.short_answers} short answers and "
        f"{erased.complaints} complaints replaced. "
        "Their measurements still count.",
    )
    return redirect("surveys:customer", customer.pk)


def _detail(request, customer, erase_form, status=200):
    events, cut = timeline(request.user, customer)
    context = {
        "customer": customer,
        "events": events,
        "cut": cut,
        "can_erase": role_of(request.user) == Role.ADMIN,
        "erased": is_erased(customer),
        "erase_form": erase_form,
    }
    return render(request, "surveys/customers/detail.html", context, status=status)
