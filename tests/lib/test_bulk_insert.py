"""bulk_insert stores what bulk_create would: every value as given (quotes, percent signs,
NULLs, other time zones), computed values (auto_now_add), keys read back in order."""

import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lib.bulk_insert import bulk_insert
from surveys.models import Invitation
from tests.factories import SurveyFactory, TouchpointFactory
from touchpoints.models import Customer, Interaction, Outcome

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def stored(obj):
    return model_to_dict(type(obj).objects.get(pk=obj.pk))


def test_new_rows_are_stored_as_given_with_their_keys(department_a):
    before = timezone.now()
    people = [
        Customer(email="o'brien@example.com", name='100% "sure"', external_ref=None),
        Customer(email="zoë@example.com", name="Zoë; DROP TABLE", external_ref="CRM-7"),
        Customer(email="x@example.com", segment="vip", language="de", is_prospect=True),
        # What an array literal must escape or could mistake for a NULL:
        Customer(email=" a@b.c ", name='back\\slash {a,b} "q"', external_ref="NULL", segment=""),
    ]
    with CaptureQueriesContext(connection) as queries:
        assert bulk_insert(people) is people
    assert len(queries) == 1
    assert [p.pk for p in people] == sorted(p.pk for p in people)
    for person in people:
        assert not person._state.adding and person.created_at >= before
        assert stored(person) == model_to_dict(person)

    place = TouchpointFactory(department=department_a, surveyed=True, survey=SurveyFactory())
    moments = [
        dt.datetime(2026, 3, 29, 1, 30, tzinfo=BERLIN),  # the night the clocks change
        dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC),
    ]
    # The customers are assigned before being saved: their keys are taken at insert time.
    fresh = Customer(email="late@example.com")
    interactions = [
        Interaction(
            customer=fresh,
            touchpoint=place,
            occurred_at=moment,
            day=moment.date(),
            outcome=Outcome.RESOLVED,
            wait_seconds=None if n else 30,
            first_contact_resolution=bool(n),
            external_id=f"E-{n}",
        )
        for n, moment in enumerate(moments)
    ]
    bulk_insert([fresh])
    bulk_insert(interactions)
    for interaction, moment in zip(interactions, moments, strict=True):
        row = Interaction.objects.get(pk=interaction.pk)
        assert row.customer_id == fresh.pk and row.occurred_at == moment
        assert stored(interaction) == model_to_dict(interaction)

    invitation = Invitation(
        interaction=interactions[0],
        survey=place.survey,
        token_hash="h" * 64,
        due_at=moments[0],
        expires_at=moments[0] + dt.timedelta(days=7),
    )
    bulk_insert([invitation])
    assert stored(invitation) == model_to_dict(invitation)
    assert Invitation.objects.get().attempts == 0 and Invitation.objects.get().last_error == ""


def test_nothing_to_insert_is_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert bulk_insert([]) == []
    assert not queries


def test_a_related_object_saved_after_it_was_assigned_gives_its_key(department_a):
    touchpoint = TouchpointFactory(department=department_a)
    person = Customer(email="late@example.com")
    interaction = Interaction(
        touchpoint=touchpoint,
        customer=person,
        occurred_at=timezone.now(),
        day=timezone.now().date(),
    )
    bulk_insert([person])
    bulk_insert([interaction])
    assert Interaction.objects.get(pk=interaction.pk).customer_id == person.pk


def test_an_unsaved_related_object_is_refused_and_nothing_is_written(department_a):
    touchpoint = TouchpointFactory(department=department_a)
    interaction = Interaction(
        touchpoint=touchpoint,
        customer=Customer(email="never@example.com"),
        occurred_at=timezone.now(),
        day=timezone.now().date(),
    )
    with pytest.raises(ValueError, match="customer is not saved"):
        bulk_insert([interaction])
    assert not Interaction.objects.exists()
