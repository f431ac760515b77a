"""Erasing a person removes them everywhere and leaves the rollups exactly as they were."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from surveys.aggregation import rollups_differences, rollups_rebuild_all
from surveys.models import Response, SuppressedAddress, TouchpointDailyScore
from surveys.privacy import Purge, purge_expired
from touchpoints.models import Complaint, ComplaintStatus, Customer

from ..factories import ComplaintFactory, CustomerFactory, ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def rollup_rows():
    rows = TouchpointDailyScore.objects.order_by("touchpoint", "day").values()
    return [{k: v for k, v in row.items() if k not in ("id", "updated_at")} for row in rows]


def test_a_person_is_erased_and_the_scores_do_not_change(capsys):
    touchpoint = TouchpointFactory()
    ann = CustomerFactory(email="Ann@Example.com", name="Ann Smith", external_ref="CRM-7")
    bob = CustomerFactory(email="bob@example.com")
    ResponseFactory(
        invitation__interaction__customer=ann,
        invitation__interaction__touchpoint=touchpoint,
        comment="Ann here, call me on 0171 555 123",
    )
    ResponseFactory(
        invitation__interaction__customer=bob,
        invitation__interaction__touchpoint=touchpoint,
        comment="Fine",
    )
    ComplaintFactory(customer=ann, touchpoint=touchpoint, text="I, Ann Smith, complain.")
    SuppressedAddress.objects.create(email="ann@example.com", reason="unsubscribed")
    rollups_rebuild_all()
    before = rollup_rows()

    call_command("erase_customer", "ann@example.com")
    assert "Erased 1 customer record(s)" in capsys.readouterr().out

    ann.refresh_from_db()
    assert (ann.name, ann.external_ref) == ("", None) and "example.com" not in ann.email
    assert not Customer.objects.filter(email__icontains="ann").exists()
    assert not Response.objects.filter(comment__icontains="Ann").exists()
    assert not Complaint.objects.filter(text__icontains="Ann").exists()
    assert not SuppressedAddress.objects.exists()
    assert Response.objects.count() == 2  # the answers stay
    assert rollups_differences() == []  # the rollups equal a recomputation...
    rollups_rebuild_all()
    assert rollup_rows() == before  # ...and did not change
    assert Customer.objects.get(pk=bob.pk).email == "bob@example.com"


def test_an_unknown_address_is_an_error():
    with pytest.raises(CommandError, match="No customer has the address"):
        call_command("erase_customer", "nobody@example.com")


def test_retention_purges_old_words_and_people_but_not_the_scores(settings):
    now = timezone.now()
    touchpoint = TouchpointFactory()
    old, recent = CustomerFactory(email="old@example.com"), CustomerFactory(email="new@example.com")
    ancient = now - dt.timedelta(days=400)

    def answered(customer, moment, comment):
        return ResponseFactory(
            invitation__interaction__customer=customer,
            invitation__interaction__touchpoint=touchpoint,
            invitation__interaction__occurred_at=moment,
            submitted_at=moment,
            comment=comment,
        )

    answered(old, ancient, "Old words, Ann's phone 555")
    answered(recent, now, "Recent words")
    ComplaintFactory(customer=old, touchpoint=touchpoint, received_at=ancient, text="Old complaint",
                     status=ComplaintStatus.RESOLVED, resolved_at=ancient)  # fmt: skip
    ComplaintFactory(customer=old, touchpoint=touchpoint, received_at=ancient, text="Still open")
    Customer.objects.filter(pk__in=[old.pk, recent.pk]).update(created_at=ancient)
    newcomer = CustomerFactory(email="newcomer@example.com")  # no interaction yet, but new
    rollups_rebuild_all()
    before = rollup_rows()

    result = purge_expired(365, now)
    assert (result.comments, result.complaints, result.customers) == (1, 1, 1)
    assert set(Response.objects.values_list("comment", flat=True)) == {"[expired]", "Recent words"}
    assert set(Complaint.objects.values_list("text", flat=True)) == {"[expired]", "Still open"}
    assert not Customer.objects.filter(email="old@example.com").exists()
    assert Customer.objects.filter(email="new@example.com").exists()
    assert Customer.objects.get(pk=newcomer.pk).email == "newcomer@example.com"
    assert purge_expired(365, now) == Purge()  # nothing twice
    assert purge_expired(0, now) == Purge()  # zero days keeps everything
    rollups_rebuild_all()
    assert rollup_rows() == before
