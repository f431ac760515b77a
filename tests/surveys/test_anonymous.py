"""Anonymous surveys: the answer is kept and counted, with no link to the person or their
interaction and the day only; the link still works once; nobody is followed up."""

import pytest
from django.utils import timezone

from surveys.aggregation import rollups_differences, rollups_drain_all
from surveys.models import FollowUp, InvitationStatus, Response
from surveys.selectors import scores_by_touchpoint

from ..factories import SurveyFactory
from .test_survey_pages import GOOD, sent_invitation, url

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
