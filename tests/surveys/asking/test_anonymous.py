"""Anonymous surveys: the answer is kept and counted, with no link to the person or their
interaction and the day only; the link still works once; nobody is followed up."""

import pytest
from django.utils import timezone

from surveys.counting.aggregation import rollups_differences, rollups_drain_all
from surveys.counting.selectors import scores_by_touchpoint
from surveys.models import FollowUp, InvitationStatus, Response
from tests.factories import SurveyFactory
from tests.surveys.asking.test_views import GOOD, sent_invitation, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous_invitation():
    return sent_invitation(survey=SurveyFactory(name="Anonymous pulse", anonymous=True))


def test_an_anonymous_answer_keeps_no_link_and_only_the_day(client, anonymous_invitation):
    invitation, token = anonymous_invitation
    page = client.get(url(token))
    assert "anonymous" in page.content.decode()
    assert client.post(url(token), {**GOOD, "nps": "2", "comment": "Too slow"}).status_code == 200
    response = Response.objects.get()
    assert response.invitation is None
    local = timezone.localtime(response.submitted_at)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    assert response.day == timezone.localdate()
    assert response.touchpoint == invitation.interaction.touchpoint
    assert not FollowUp.objects.exists()  # a detractor, but nobody to call back
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED


def test_the_link_still_works_once(client, anonymous_invitation):
    _invitation, token = anonymous_invitation
    assert client.post(url(token), GOOD).status_code == 200
    assert client.post(url(token), GOOD).status_code == 409
    assert Response.objects.count() == 1


def test_anonymous_answers_count_in_the_scores(client, anonymous_invitation):
    invitation, token = anonymous_invitation
    client.post(url(token), GOOD)
    rollups_drain_all()
    scores = scores_by_touchpoint([invitation.interaction.touchpoint_id])
    assert scores[invitation.interaction.touchpoint_id].gap_answered == 1
    assert rollups_differences() == []


def test_a_survey_page_in_german_says_so(client, anonymous_invitation):
    _invitation, token = anonymous_invitation
    page = client.get(url(token) + "?lang=de", HTTP_ACCEPT_LANGUAGE="de")
    assert "Diese Umfrage ist anonym" in page.content.decode()


def test_staff_cannot_pair_an_anonymous_answer_with_its_person(
    client, anonymous_invitation, client_for, cx_manager
):
    """Who answered an anonymous survey, and when, is nowhere to be read: the invitation
    keeps the day only, and the API shows it as sent, with no reminder or answer time."""
    invitation, token = anonymous_invitation
    named = sent_invitation()[0]  # a survey with names, answered the same day
    client.post(url(token), GOOD)
    invitation.refresh_from_db()
    local = timezone.localtime(invitation.answered_at)
    assert (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0)
    api = client_for(cx_manager)
    shown = api.get(f"/api/v1/invitations/{invitation.pk}/").json()
    assert shown["status"] == "sent" and shown["answered_at"] is None
    assert shown["reminded_at"] is None
    answered = api.get("/api/v1/invitations/", {"status": "answered"}).json()["results"]
    assert invitation.pk not in {row["id"] for row in answered}
    assert api.get(f"/api/v1/invitations/{named.pk}/").json()["status"] == "sent"
    # The answer itself points at no invitation, and carries the day only.
    (answer,) = api.get("/api/v1/responses/").json()["results"]
    assert answer["invitation"] is None and answer["submitted_at"].endswith("T00:00:00Z")
