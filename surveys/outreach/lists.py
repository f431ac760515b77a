"""The action lists for sales and marketing: promoters to ask for a referral, and customers
at risk to reach out to. Each row says why the customer is on it; customers who opted out
(or were erased) are never on one, and whoever was asked or reached out to recently enough
drops off.

Scoped like every read: a CX manager's lists cover every touchpoint, a head's the reasons
at their department's touchpoints, a staff member's the reasons from their own customers
(answers to interactions they handled, complaints they own, customers who walked away from
them)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from surveys.models import Complaint, ComplaintStatus, Outreach, OutreachKind, Response
from surveys.privacy import not_erased
from touchpoints.models import WALKED_AWAY_OUTCOMES, Customer, Interaction, Touchpoint
from touchpoints.roles import Role, role_of

REFERRAL, AT_RISK = "referral", "at_risk"
TITLES = {REFERRAL: "Ask for a referral", AT_RISK: "Customers at risk"}
KINDS = {REFERRAL: OutreachKind.REFERRAL, AT_RISK: OutreachKind.RETENTION}
ANSWER_CUSTOMER = "invitation__interaction__customer_id"


@dataclass(frozen=True)
class Row:
    customer: Customer
    at: dt.datetime  # when the reason happened
    reason: str
    more: int = 0  # further reasons in the window


class NotOnList(Exception):
    """The customer is not on this list for this user (or does not exist: one answer)."""


def rows_of(name: str, user, now=None, customer_ids=None) -> list[Row]:
    builder = {REFERRAL: referral_rows, AT_RISK: at_risk_rows}[name]
    return builder(user, now or timezone.now(), customer_ids)


def mark_done(name: str, user, customer_id: int, note: str = "") -> Outreach:
    """Record that `user` acted on a row of their list; refused for anyone not on it."""
    if not rows_of(name, user, customer_ids=[customer_id]):
        raise NotOnList("This customer is not on your list.")
    return Outreach.objects.create(
        customer_id=customer_id, kind=KINDS[name], done_by=user, note=note.strip()
    )


def _scope(user, touchpoint: str, handled_by: str) -> Q:
    role = role_of(user)
    if role in (Role.ADMIN, Role.CX_MANAGER):
        return Q()
    if role == Role.DEPARTMENT_HEAD:
        return Q(**{f"{touchpoint}__in": Touchpoint.objects.for_user(user)})
    if role == Role.STAFF:
        return Q(**{f"{handled_by}__user": user})
    return Q(pk__in=[])


def _only(queryset, path: str, customer_ids):
    return queryset if customer_ids is None else queryset.filter(**{f"{path}__in": customer_ids})


def _reachable(customer_ids) -> dict[int, Customer]:
    """Neither opted out nor erased: people one may contact."""
    reachable = Customer.objects.filter(pk__in=list(customer_ids), opted_out_at__isnull=True)
    return not_erased(reachable).in_bulk()


def referral_rows(user, now: dt.datetime, customer_ids=None) -> list[Row]:
    """Customers whose latest likelihood-to-recommend answer of the window is 9 or 10, not
    asked for a referral within it."""
    since = now - dt.timedelta(days=settings.OUTREACH_REFERRAL_DAYS)
    answers = Response.objects.filter(
        _scope(user, "touchpoint", "invitation__interaction__handled_by"),
        nps__isnull=False,
        submitted_at__gte=since,
        submitted_at__lte=now,
        invitation__isnull=False,
    )
    latest = (
        _only(answers, ANSWER_CUSTOMER, customer_ids)
        .order_by(ANSWER_CUSTOMER, "-submitted_at", "-pk")
        .distinct(ANSWER_CUSTOMER)
        .values_list(ANSWER_CUSTOMER, "nps", "submitted_at", "touchpoint__name")
    )
    promoters = {customer: (nps, at, where) for customer, nps, at, where in latest if nps >= 9}
    asked = Outreach.objects.filter(
        kind=OutreachKind.REFERRAL, done_at__gte=since, customer_id__in=list(promoters)
    ).values_list("customer_id", flat=True)
    customers = _reachable(promoters.keys() - set(asked))
    rows = [
        Row(customers[pk], at, f"Promoter: {nps}/10 at {where}")
        for pk, (nps, at, where) in promoters.items()
        if pk in customers
    ]
    return sorted(rows, key=lambda row: (row.at, row.customer.pk), reverse=True)


def at_risk_rows(user, now: dt.datetime, customer_ids=None) -> list[Row]:
    """Customers with a detractor answer, a complaint not resolved or an interaction they
    walked away from in the window, and since the newest of them neither a positive answer
    (recommend 9-10 or satisfaction 4-5, anywhere) nor someone reaching out to them."""
    since = now - dt.timedelta(days=settings.OUTREACH_RISK_DAYS)
    reasons: dict[int, list[tuple[dt.datetime, str]]] = {}

    def add(customer, at, reason):
        reasons.setdefault(customer, []).append((at, reason))

    detractors = Response.objects.filter(
        _scope(user, "touchpoint", "invitation__interaction__handled_by"),
        nps__lte=6,
        submitted_at__gte=since,
        submitted_at__lte=now,
        invitation__isnull=False,
    )
    for customer, nps, at, where in _only(detractors, ANSWER_CUSTOMER, customer_ids).values_list(
        ANSWER_CUSTOMER, "nps", "submitted_at", "touchpoint__name"
    ):
        add(customer, at, f"Detractor: {nps}/10 at {where}")
    complaints = Complaint.objects.filter(
        _scope(user, "touchpoint", "owner"),
        customer__isnull=False,
        received_at__gte=since,
        received_at__lte=now,
    ).exclude(status=ComplaintStatus.RESOLVED)
    for customer, at, where in _only(complaints, "customer_id", customer_ids).values_list(
        "customer_id", "received_at", "touchpoint__name"
    ):
        add(customer, at, f"Complaint not resolved at {where}")
    walked = Interaction.objects.filter(
        _scope(user, "touchpoint", "handled_by"),
        outcome__in=WALKED_AWAY_OUTCOMES,
        occurred_at__gte=since,
        occurred_at__lte=now,
    )
    for customer, at, where, outcome in _only(walked, "customer_id", customer_ids).values_list(
        "customer_id", "occurred_at", "touchpoint__name", "outcome"
    ):
        add(customer, at, f"Walked away at {where} ({outcome})")

    newest = {customer: max(found) for customer, found in reasons.items()}
    settled = set()
    positive = Response.objects.filter(
        Q(nps__gte=9) | Q(csat__gte=4),
        submitted_at__gte=since,
        submitted_at__lte=now,
        **{f"{ANSWER_CUSTOMER}__in": list(newest)},
    ).values_list(ANSWER_CUSTOMER, "submitted_at")
    reached = Outreach.objects.filter(
        kind=OutreachKind.RETENTION, done_at__gte=since, customer_id__in=list(newest)
    ).values_list("customer_id", "done_at")
    for customer, at in [*positive, *reached]:
        if at > newest[customer][0]:
            settled.add(customer)
    customers = _reachable(newest.keys() - settled)
    rows = [
        Row(customers[pk], at, reason, len(reasons[pk]) - 1)
        for pk, (at, reason) in newest.items()
        if pk in customers
    ]
    return sorted(rows, key=lambda row: (row.at, row.customer.pk), reverse=True)
