"""The database itself rejects impossible data, whatever path wrote it."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import (
    ComplaintFactory,
    InteractionFactory,
    InvitationFactory,
    ResponseFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expectation", 0),
        ("expectation", 8),
        ("experience", 0),
        ("experience", 8),
        ("csat", 0),
        ("csat", 6),
        ("nps", 11),
        ("effort", 0),
        ("effort", 8),
    ],
)
def test_database_rejects_out_of_range_score(field, value):
    response = ResponseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(response).objects.filter(pk=response.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"), [("expectation", 1), ("experience", 7), ("nps", 0), ("csat", 5)]
)
def test_database_accepts_scores_at_the_edges_of_their_range(field, value):
    response = ResponseFactory(**{field: value})
    response.refresh_from_db()
    assert getattr(response, field) == value


def test_database_rejects_second_response_to_one_invitation():
    first = ResponseFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(invitation=first.invitation)


def test_database_rejects_duplicate_interaction_external_id():
    InteractionFactory(external_id="CALL-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        InteractionFactory(external_id="CALL-1")


def test_interactions_without_external_id_may_be_many():
    InteractionFactory(external_id=None)
    InteractionFactory(external_id=None)


def test_database_rejects_second_invitation_for_one_interaction():
    invitation = InvitationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(interaction=invitation.interaction)


def test_database_rejects_resolved_complaint_without_resolution_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintFactory(status="resolved", resolved_at=None)


def test_database_rejects_surveyed_touchpoint_without_survey():
    with pytest.raises(IntegrityError), transaction.atomic():
        TouchpointFactory(surveyed=True, survey=None)


def test_database_rejects_effort_estimate_out_of_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        TouchpointFactory(effort_estimate=6)
