"""The action lists: who is on each and why, scoped per role, opt-outs never, and marking
a row done records who acted and takes the customer off."""

import pytest
from django.utils import timezone

from surveys.models import Outreach, OutreachKind
from surveys.outreach.lists import AT_RISK, REFERRAL, NotOnList, mark_done, rows_of
from tests.factories import ResponseFactory, TouchpointFactory
from tests.surveys.outreach.conftest import NOW

pytestmark = pytest.mark.django_db


def names(rows):
    return [row.customer.name for row in rows]


def test_a_cx_manager_sees_each_list_with_its_reasons(cx_manager, world):
    referral = rows_of(REFERRAL, cx_manager, now=NOW)
    assert names(referral) == ["Pat", "AskedLongAgo"]
    assert referral[0].reason == "Promoter: 10/10 at Showroom"
    at_risk = rows_of(AT_RISK, cx_manager, now=NOW)
    assert names(at_risk) == ["Walt", "Dan", "Paula", "Carl"]
    reasons = {row.customer.name: row.reason for row in at_risk}
    assert reasons == {
        "Walt": "Walked away at Showroom (lost)",
        "Dan": "Detractor: 3/10 at Showroom",
        "Paula": "Detractor: 5/10 at Billing",
        "Carl": "Complaint not resolved at Billing",
    }


def test_heads_and_staff_see_the_reasons_from_their_own_part(head_a, head_b, staff_a, world):
    assert names(rows_of(REFERRAL, head_a, now=NOW)) == ["Pat", "Paula", "AskedLongAgo"]
    assert names(rows_of(REFERRAL, head_b, now=NOW)) == []
    assert names(rows_of(AT_RISK, head_b, now=NOW)) == ["Paula", "Carl"]
    assert names(rows_of(REFERRAL, staff_a, now=NOW)) == ["Pat"]
    assert names(rows_of(AT_RISK, staff_a, now=NOW)) == ["Dan"]


def test_marking_done_records_who_acted_and_only_on_ones_own_list(head_a, head_b, world):
    dan = world["Dan"]
    with pytest.raises(NotOnList):
        mark_done(AT_RISK, head_b, dan.pk, "Called him")
    with pytest.raises(NotOnList):
        mark_done(AT_RISK, head_a, 10**9)
    assert not Outreach.objects.filter(customer=dan).exists()
    done = mark_done(AT_RISK, head_a, dan.pk, "  Called him, sending a voucher.  ")
    assert (done.kind, done.done_by, done.note) == (
        OutreachKind.RETENTION,
        head_a,
        "Called him, sending a voucher.",
    )
    assert "Dan" not in names(rows_of(AT_RISK, head_a))
    # A new reason after the outreach puts him back on.
    ResponseFactory(
        invitation__interaction__customer=dan,
        invitation__interaction__touchpoint=TouchpointFactory(
            department=head_a.headed_departments.get()
        ),
        submitted_at=timezone.now(),
        nps=1,
    )
    assert "Dan" in names(rows_of(AT_RISK, head_a))


def test_an_erased_customer_is_on_no_list(cx_manager, world):
    from surveys.privacy import erase_customer

    erase_customer(world["Dan"].email)
    erase_customer(world["Pat"].email)
    assert "" not in names(rows_of(AT_RISK, cx_manager, now=NOW))
    assert names(rows_of(REFERRAL, cx_manager, now=NOW)) == ["AskedLongAgo"]
