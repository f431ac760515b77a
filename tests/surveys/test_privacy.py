"""Erasing a person removes them everywhere and leaves the rollups exactly as they were."""

import pytest
from django.core.management import CommandError, call_command

from surveys.aggregation import rollups_differences, rollups_rebuild_all
from surveys.models import Response, SuppressedAddress, TouchpointDailyScore
from touchpoints.models import Complaint, Customer

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
