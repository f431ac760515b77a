"""One customer's history as a reader may see it: interactions, answers, complaints and
follow-ups, newest first. A head sees only what happened at their department's
touchpoints; CX managers see everything."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from surveys.models import Complaint, FollowUp, Response
from touchpoints.models import Customer, Interaction, Touchpoint

# A long-standing customer's history is cut here; the page says so.
TIMELINE_LIMIT = 200
SEARCH_LIMIT = 50


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # "interaction", "answer", "complaint", "follow_up"
    item: object


def search_customers(user, query: str):
    """Customers the user may read whose email or reference is the query (any case), or
    whose name contains it."""
    query = query.strip()
    if not query:
        return Customer.objects.none()
    found = Q(email__iexact=query) | Q(external_ref__iexact=query)
    if "@" not in query:
        found |= Q(name__icontains=query)
    return Customer.objects.for_user(user).filter(found).order_by("name", "email")[:SEARCH_LIMIT]


def timeline(user, customer: Customer) -> tuple[list[Event], bool]:
    """The customer's events the user may read, newest first, and whether older ones were
    left out."""
    touchpoints = Touchpoint.objects.for_user(user)
    interactions = (
        Interaction.objects.filter(customer=customer, touchpoint__in=touchpoints)
        .select_related("touchpoint__department", "handled_by")
        .order_by("-occurred_at")[:TIMELINE_LIMIT]
    )
    # Invited answers through their interaction; public ones name the person themselves.
    answers = (
        Response.objects.filter(
            Q(invitation__interaction__customer=customer) | Q(customer=customer)
        )
        .filter(touchpoint__in=touchpoints)
        .select_related("touchpoint", "theme")
        .order_by("-submitted_at")[:TIMELINE_LIMIT]
    )
    complaints = (
        Complaint.objects.filter(customer=customer, touchpoint__in=touchpoints)
        .select_related("touchpoint", "owner")
        .order_by("-received_at")[:TIMELINE_LIMIT]
    )
    follow_ups = (
        FollowUp.objects.filter(
            Q(response__invitation__interaction__customer=customer) | Q(response__customer=customer)
        )
        .filter(touchpoint__in=touchpoints)
        .select_related("touchpoint", "assigned_to")
        .order_by("-created_at")[:TIMELINE_LIMIT]
    )
    events = [Event(i.occurred_at, "interaction", i) for i in interactions]
    events += [Event(r.submitted_at, "answer", r) for r in answers]
    events += [Event(c.received_at, "complaint", c) for c in complaints]
    events += [Event(f.created_at, "follow_up", f) for f in follow_ups]
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:TIMELINE_LIMIT], len(events) > TIMELINE_LIMIT
