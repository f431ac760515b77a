"""The action lists page: one list at a time, as a page or a CSV, and marking a row done
(a plain POST that redirects back, so it works without JavaScript)."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lib.csv_export import csv_response
from surveys.outreach.lists import AT_RISK, TITLES, NotOnList, mark_done, rows_of
from touchpoints.roles import staff_or_member_required

PER_PAGE = 50
NOTE_LENGTH = 2000


def _list_name(value) -> str:
    if value not in TITLES:
        raise Http404("No such list.")
    return value


@staff_or_member_required
def outreach_list(request, name=AT_RISK):
    name = _list_name(name)
    rows = rows_of(name, request.user)
    if request.GET.get("export") == "csv":
        return csv_response(
            TITLES[name],
            ["name", "email", "reference", "segment", "language", "why", "when",
             "further reasons"],
            ([row.customer.name, row.customer.email, row.customer.external_ref,
              row.customer.segment, row.customer.language, row.reason, row.at, row.more]
             for row in rows),
        )  # fmt: skip
    context = {
        "name": name,
        "title": TITLES[name],
        "titles": TITLES,
        "referral_days": settings.OUTREACH_REFERRAL_DAYS,
        "risk_days": settings.OUTREACH_RISK_DAYS,
        "page": Paginator(rows, PER_PAGE).get_page(request.GET.get("page")),
        "count": len(rows),
    }
    return render(request, "surveys/outreach/list.html", context)


@require_POST
@staff_or_member_required
def outreach_done(request, name, customer_id):
    name = _list_name(name)
    note = request.POST.get("note", "").replace("\x00", "")[:NOTE_LENGTH]
    try:
        mark_done(name, request.user, customer_id, note)
    except NotOnList as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Marked done: they are off the list.")
    return redirect("surveys:outreach", name)
