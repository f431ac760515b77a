"""Recording interactions: customer matching, idempotency and the invitation policy."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from surveys.asking import links
from surveys.asking.intake import CustomerDetails, record_interaction, record_interactions
from surveys.models import (
    DirtyRollup,
    Invitation,
    InvitationStatus,
    SuppressedAddress,
    SurveyAudience,
)
from tests.factories import CustomerFactory, SurveyFactory, TouchpointFactory
from touchpoints.models import Customer, Interaction, Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def touchpoint():
    return TouchpointFactory(
        name="Service hotline",
        surveyed=True,
        survey=SurveyFactory(name="Contact survey"),
        survey_delay=dt.timedelta(hours=2),
        survey_cap_days=30,
    )


def record(touchpoint, email="ann@example.com", when=None, **kwargs):
    kwargs.setdefault("outcome", Outcome.RESOLVED)
    return record_interaction(
        touchpoint=touchpoint,
        customer=CustomerDetails(email=email, name=kwargs.pop("name", "Ann")),
        occurred_at=when or timezone.now(),
        **kwargs,
    )


def test_an_invitation_is_written_with_the_interaction_and_due_after_the_delay(touchpoint):
    occurred = timezone.now()
    recorded = record(touchpoint, when=occurred, external_id="CALL-1")
    invitation = recorded.invitation
    assert recorded.created and invitation.pk
    assert invitation.interaction == recorded.interaction
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.due_at == occurred + dt.timedelta(hours=2)
    assert invitation.expires_at == invitation.due_at + dt.timedelta(days=14)
    # The token is derivable for the email, and only its hash is stored.
    token = links.current_token(invitation)
    assert links.is_well_formed(token)
    assert invitation.token_hash == links.hash_token(token) != token


def test_the_same_external_id_returns_the_stored_interaction(touchpoint):
    first = record(touchpoint, external_id="CALL-7")
    again = record(touchpoint, external_id="CALL-7", name="Someone else")
    assert not again.created
    assert again.interaction.pk == first.interaction.pk
    assert again.invitation.pk == first.invitation.pk
    assert Interaction.objects.count() == Invitation.objects.count() == 1


def test_customers_are_matched_by_external_ref_then_by_email(touchpoint):
    known = CustomerFactory(email="old@example.com", external_ref="CRM-1")
    record_interaction(
        touchpoint=touchpoint,
        customer=CustomerDetails(email="new@example.com", name="Bea", external_ref="CRM-1"),
        occurred_at=timezone.now(),
        outcome=Outcome.RESOLVED,
    )
    known.refresh_from_db()
    assert (known.email, known.name) == ("new@example.com", "Bea")
    record(touchpoint, email="NEW@example.com")
    assert Customer.objects.count() == 1


def test_a_customer_is_invited_at_most_once_per_cap_window(touchpoint):
    other = TouchpointFactory(surveyed=True, survey=touchpoint.survey, survey_cap_days=30)
    start = timezone.now() - dt.timedelta(days=3)
    assert record(touchpoint, when=start).invitation
    capped = record(other, when=start + dt.timedelta(days=2))
    assert capped.invitation is None and capped.skipped == "customer invited recently"
    # A different person is not affected, and an invitation that failed does not count.
    assert record(touchpoint, email="bob@example.com", when=start).invitation
    Invitation.objects.update(status=InvitationStatus.FAILED)
    assert record(touchpoint, when=start + dt.timedelta(days=2)).invitation


def test_the_cap_window_ends(touchpoint):
    earlier = record(touchpoint).invitation
    Invitation.objects.filter(pk=earlier.pk).update(
        due_at=earlier.due_at - dt.timedelta(days=31),
        expires_at=earlier.expires_at - dt.timedelta(days=31),
    )
    assert record(touchpoint).invitation


@pytest.mark.parametrize("how", ["opted_out", "suppressed"])
def test_opted_out_and_suppressed_addresses_are_never_invited(touchpoint, how):
    if how == "opted_out":
        CustomerFactory(email="ann@example.com", opted_out_at=timezone.now())
    else:
        SuppressedAddress.objects.create(email="Ann@Example.com", reason="bounced")
    recorded = record(touchpoint)
    assert recorded.created and recorded.invitation is None
    assert recorded.skipped in {"customer opted out", "address suppressed"}


def test_a_customer_who_walked_away_gets_the_prospect_survey(touchpoint):
    prospect = SurveyFactory(name="Why elsewhere", audience=SurveyAudience.PROSPECT)
    recorded = record(touchpoint, outcome=Outcome.LOST)
    assert recorded.invitation.survey == prospect
    assert record(touchpoint, email="x@example.com").invitation.survey == touchpoint.survey


def test_no_prospect_survey_means_no_invitation_for_walk_aways(touchpoint):
    recorded = record(touchpoint, outcome=Outcome.ABANDONED)
    assert recorded.invitation is None and recorded.skipped == "no active prospect survey"


def test_unsurveyed_touchpoints_and_old_interactions_get_no_invitation(touchpoint):
    quiet = TouchpointFactory(surveyed=False)
    assert record(quiet).skipped == "touchpoint not surveyed"
    old = record(touchpoint, when=timezone.now() - dt.timedelta(days=30))
    assert old.created and old.skipped == "interaction too old to survey"


def test_an_interaction_recorded_late_is_due_now_not_in_the_past(touchpoint):
    before = timezone.now()
    recorded = record(touchpoint, when=before - dt.timedelta(days=2))
    assert recorded.invitation.due_at >= before


def test_with_redis_down_recording_succeeds_and_the_invitation_waits_for_beat(
    settings, touchpoint, django_capture_on_commit_callbacks, caplog, broker_tasks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    touchpoint.survey_delay = None
    touchpoint.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        recorded = record(touchpoint)
    assert callbacks  # the wake-up was attempted after commit, and failed quietly
    assert "Could not wake" in caplog.text
    invitation = Invitation.objects.get(pk=recorded.invitation.pk)
    assert invitation.status == InvitationStatus.PENDING and invitation.due_at <= timezone.now()


# --- Batches: the same rules, a few statements for all ----------------------------------------


def item(touchpoint, email, external_id=None, ref=None, **kwargs):
    return {
        "touchpoint": touchpoint,
        "customer": CustomerDetails(email=email, external_ref=ref),
        "occurred_at": kwargs.pop("when", timezone.now()),
        "outcome": Outcome.RESOLVED,
        "external_id": external_id,
        **kwargs,
    }


def test_a_batch_follows_the_rules_of_one_at_a_time(touchpoint):
    CustomerFactory(email="known@example.com", name="Known")
    record(touchpoint, email="earlier@example.com", external_id="till-1")
    results = record_interactions(
        [
            item(touchpoint, "new@example.com", "till-2"),
            item(touchpoint, "NEW@example.com", "till-3"),  # same person, inside the cap
            item(touchpoint, "known@example.com", "till-4"),
            item(touchpoint, "other@example.com", "till-1"),  # known external_id
            item(touchpoint, "new@example.com", "till-2"),  # repeated in the batch
            item(touchpoint, "ref@example.com", ref="crm-9"),
            item(touchpoint, "changed@example.com", ref="crm-9"),  # same ref: same person
        ]
    )
    assert [r.created for r in results] == [True, True, True, False, False, True, True]
    assert results[4].interaction == results[0].interaction
    assert results[3].interaction.customer.email == "earlier@example.com"
    assert results[0].interaction.customer == results[1].interaction.customer
    assert results[0].invitation is not None and results[1].invitation is None
    assert results[1].skipped == "customer invited recently"
    assert results[2].interaction.customer.name == "Known"
    assert results[5].interaction.customer == results[6].interaction.customer
    assert Customer.objects.get(external_ref="crm-9").email == "changed@example.com"
    assert Interaction.objects.count() == 6
    assert Customer.objects.filter(email__iexact="new@example.com").count() == 1
    # The standards' days are marked, as saving one interaction marks them.
    assert DirtyRollup.objects.filter(touchpoint_id=touchpoint.pk).exists()


def test_a_batch_is_all_or_nothing(touchpoint):
    refused = item(touchpoint, "b@example.com", "x-2", wait_seconds=-1)  # a CHECK fails
    with pytest.raises(IntegrityError):
        record_interactions([item(touchpoint, "a@example.com", "x-1"), refused])
    assert not Interaction.objects.exists() and not Customer.objects.exists()
