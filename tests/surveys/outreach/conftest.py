"""Customers on and off the action lists, one reason each (see test_lists.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import ComplaintStatus, Outreach, OutreachKind
from tests.factories import (
    ComplaintFactory,
    CustomerFactory,
    InteractionFactory,
    ResponseFactory,
    TouchpointFactory,
)
from touchpoints.models import Outcome

NOW = timezone.now()


def ago(days):
    return NOW - dt.timedelta(days=days)


def answer(customer, touchpoint, days, nps, csat=3, staff=None):
    return ResponseFactory(
        invitation__interaction__customer=customer,
        invitation__interaction__touchpoint=touchpoint,
        invitation__interaction__handled_by=staff,
        invitation__interaction__occurred_at=ago(days) - dt.timedelta(hours=1),
        submitted_at=ago(days),
        nps=nps,
        csat=csat,
    )


@pytest.fixture
def world(department_a, department_b, staff_a):
    showroom = TouchpointFactory(name="Showroom", department=department_a)
    billing = TouchpointFactory(name="Billing", department=department_b)
    people = {name: CustomerFactory(name=name) for name in (
        "Pat", "Paula", "Olga", "Asked", "AskedLongAgo",
        "Dan", "Dana", "Carl", "Walt", "Rita", "Old",
    )}  # fmt: skip
    answer(people["Pat"], showroom, 5, 10, staff=staff_a.staff_profile)
    answer(people["Paula"], showroom, 10, 9)
    answer(people["Paula"], billing, 2, 5)  # her latest, at B: a detractor now
    people["Olga"].opted_out_at = ago(1)
    people["Olga"].save()
    answer(people["Olga"], showroom, 3, 10)
    answer(people["Asked"], showroom, 20, 10)
    Outreach.objects.create(customer=people["Asked"], kind=OutreachKind.REFERRAL, done_at=ago(10))
    answer(people["AskedLongAgo"], showroom, 20, 10)
    Outreach.objects.create(
        customer=people["AskedLongAgo"], kind=OutreachKind.REFERRAL, done_at=ago(200)
    )

    answer(people["Dan"], showroom, 2, 3, staff=staff_a.staff_profile)
    answer(people["Dana"], showroom, 6, 2)
    answer(people["Dana"], billing, 3, 7, csat=5)  # happy since
    ComplaintFactory(customer=people["Carl"], touchpoint=billing, received_at=ago(4))
    ComplaintFactory(
        customer=people["Carl"],
        touchpoint=billing,
        received_at=ago(8),
        status=ComplaintStatus.RESOLVED,
        resolved_at=ago(7),
    )
    InteractionFactory(
        customer=people["Walt"], touchpoint=showroom, occurred_at=ago(1), outcome=Outcome.LOST
    )
    answer(people["Rita"], showroom, 5, 1)
    Outreach.objects.create(customer=people["Rita"], kind=OutreachKind.RETENTION, done_at=ago(2))
    answer(people["Old"], showroom, 40, 0)
    return people
