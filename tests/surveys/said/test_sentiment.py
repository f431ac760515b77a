"""Comment sentiment: the right sign on obvious comments, "not scored" rather than a wrong
number, computed after the answer arrives and rolled up with the other sums."""

import pytest
from django.utils import timezone

from surveys.asking.answers import record_response
from surveys.complaints.services import record_complaint
from surveys.counting.aggregation import rollups_differences, rollups_drain_all
from surveys.counting.selectors import scores_by_touchpoint
from surveys.models import Response
from surveys.said.sentiment import score, score_response, score_unscored
from tests.factories import InvitationFactory, ResponseFactory, TouchpointFactory


@pytest.mark.parametrize(
    "comment",
    [
        "On hold forever, nobody picked up.",
        "I was on hold for 16 minutes and then hung up.",
        "They transferred me twice and I had to repeat everything.",
        "The warranty form went nowhere, no reply.",
        "Terrible service, the installer was late and rude.",
    ],
)
def test_obviously_negative_comments_score_below_zero(comment):
    assert score(comment) < -0.2


@pytest.mark.parametrize(
    "comment",
    [
        "The installer was friendly and tidy.",
        "Great advice in the showroom, thank you!",
        "Quick answer in the chat, very helpful.",
    ],
)
def test_obviously_positive_comments_score_above_zero(comment):
    assert score(comment) > 0.2


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("", "en"),
        ("   ", "en"),
        ("Sehr schlechter Service", "de"),
        ("Très bien", "fr"),
        (None, "en"),
    ],
)
def test_what_cannot_be_scored_is_not_scored(text, language):
    assert score(text, language) is None


@pytest.mark.django_db
def test_an_answer_is_scored_after_it_arrives_and_rolled_up(
    eager_tasks, django_capture_on_commit_callbacks
):
    touchpoint = TouchpointFactory()
    invitation = InvitationFactory(interaction__touchpoint=touchpoint)
    german = InvitationFactory(interaction__touchpoint=touchpoint)
    with django_capture_on_commit_callbacks(execute=True):
        comment = {"comment": "On hold forever, nobody picked up."}
        response = record_response(invitation, comment, "en")
        record_response(german, {"comment": "Ewig in der Warteschleife."}, "de")
    response.refresh_from_db()
    assert response.sentiment < 0
    assert Response.objects.get(invitation=german).sentiment is None  # not scored, no crash
    rollups_drain_all()
    scores = scores_by_touchpoint([touchpoint.pk])[touchpoint.pk]
    assert scores.sentiment == pytest.approx(response.sentiment, abs=0.001)
    assert scores.comments == 2
    assert rollups_differences() == []


@pytest.mark.django_db
def test_a_lost_score_is_caught_up_and_a_missing_answer_is_harmless():
    touchpoint = TouchpointFactory()
    positive = ResponseFactory(touchpoint=touchpoint, comment="Friendly and helpful, thanks!")
    ResponseFactory(touchpoint=touchpoint, comment="")
    assert positive.sentiment is None
    assert score_unscored() == 1
    positive.refresh_from_db()
    assert positive.sentiment > 0
    assert score_unscored() == 0
    assert score_response(999_999) is None
    rollups_drain_all()
    assert scores_by_touchpoint([touchpoint.pk])[touchpoint.pk].sentiment > 0


@pytest.mark.django_db(transaction=True)
def test_complaints_are_scored_too(eager_tasks):
    complaint = record_complaint(
        touchpoint=TouchpointFactory(),
        source="email",
        text="Nobody called back, I waited for ages.",
        received_at=timezone.now(),
    ).complaint
    complaint.refresh_from_db()
    assert complaint.sentiment < 0
