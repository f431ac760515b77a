"""The answer's write (answer_sql.py) on its own: how it reaches the rollups, and why a
claim fails when the link changed between the page's lookup and the answer."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.asking import links
from surveys.asking.answer_sql import link_by_token_hash
from surveys.asking.answers import AlreadyAnswered, LinkExpired, record_response
from surveys.counting.aggregation import rollups_differences, rollups_drain_all, rollups_rebuild_all
from surveys.models import (
    DirtyRollup,
    Invitation,
    InvitationStatus,
    Question,
    QuestionAnswer,
    QuestionKind,
    QuestionOption,
    Response,
    TouchpointDailyScore,
    TouchpointDailyStandardEffect,
    UncountedResponse,
    Webhook,
)
from tests.factories import SurveyFactory
from tests.surveys.asking.test_views import sent_invitation

pytestmark = pytest.mark.django_db

# As the form cleans them.
GOOD = {"expectation": 6, "experience": 5, "csat": 4, "nps": 9, "effort": 2}


def loaded(**kwargs):
    """An invitation as the link's page loads it."""
    _invitation, token = sent_invitation(**kwargs)
    return link_by_token_hash(links.hash_token(token))


def test_the_link_loads_what_the_pages_read_with_the_orms_types():
    invitation = loaded(interaction__customer__language="de")
    stored = Invitation.objects.select_related("interaction__customer").get(pk=invitation.pk)
    assert invitation.expires_at == stored.expires_at and invitation.expires_at.tzinfo
    assert invitation.interaction.occurred_at == stored.interaction.occurred_at
    assert invitation.interaction.customer.language == "de"
    assert invitation.survey.asks_nps is True and invitation.survey.anonymous is False
    assert invitation.interaction.touchpoint.name == stored.interaction.touchpoint.name


def test_the_link_loads_the_active_webhooks_with_it():
    assert loaded().active_hooks == []
    told = Webhook.objects.create(
        url="https://hooks.example.com/a", events=["response.received"], secret="s"
    )
    Webhook.objects.create(
        url="https://hooks.example.com/b", events=["response.received"], secret="s",
        is_active=False,
    )  # fmt: skip
    hooks = loaded().active_hooks
    assert [(hook.pk, hook.events) for hook in hooks] == [(told.pk, ["response.received"])]


def test_an_unknown_hash_loads_nothing():
    assert link_by_token_hash("0" * 64) is None


def test_an_answer_is_listed_uncounted_and_added_to_its_day_and_its_interactions_day():
    yesterday = timezone.now() - dt.timedelta(days=1)
    invitation = loaded(
        interaction__occurred_at=yesterday,
        interaction__wait_seconds=30,
        interaction__touchpoint__target_wait_seconds=60,
    )
    rollups_rebuild_all()  # counts what the setup wrote, which marked nothing
    response = record_response(invitation, GOOD, "en")
    assert not DirtyRollup.objects.exists()
    assert list(UncountedResponse.objects.values_list("response_id", flat=True)) == [response.pk]
    rollups_drain_all()
    touchpoint = response.touchpoint_id
    assert TouchpointDailyScore.objects.get(touchpoint=touchpoint, day=response.day).responses == 1
    interaction_day = Invitation.objects.get(pk=invitation.pk).interaction.day
    effect = TouchpointDailyStandardEffect.objects.get(touchpoint=touchpoint, standard="wait")
    assert (effect.day, effect.met, effect.csat_answered) == (interaction_day, True, 1)
    assert rollups_differences() == []


def test_an_anonymous_answer_is_added_to_its_own_day_only():
    yesterday = timezone.now() - dt.timedelta(days=1)
    invitation = loaded(
        interaction__occurred_at=yesterday,
        interaction__wait_seconds=30,
        interaction__touchpoint__target_wait_seconds=60,
        survey=SurveyFactory(anonymous=True),
    )
    rollups_rebuild_all()
    response = record_response(invitation, GOOD, "en")
    assert response.invitation_id is None
    assert UncountedResponse.objects.filter(response_id=response.pk).exists()
    rollups_drain_all()
    assert TouchpointDailyScore.objects.get(day=response.day).responses == 1
    assert not TouchpointDailyStandardEffect.objects.exists()
    assert rollups_differences() == []


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"status": InvitationStatus.ANSWERED, "answered_at": timezone.now()}, AlreadyAnswered),
        ({"status": InvitationStatus.CANCELLED}, LinkExpired),
        ({"status": InvitationStatus.EXPIRED}, LinkExpired),
        ({"expires_at": timezone.now() - dt.timedelta(seconds=1)}, LinkExpired),
    ],
)
def test_a_link_changed_since_its_page_was_loaded_refuses_the_answer(change, refused):
    invitation = loaded()
    if "expires_at" in change:
        change["due_at"] = change["expires_at"] - dt.timedelta(days=14)
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    DirtyRollup.objects.all().delete()
    with pytest.raises(refused):
        record_response(invitation, GOOD, "en")
    assert not Response.objects.exists() and not DirtyRollup.objects.exists()
    assert Invitation.objects.get(pk=invitation.pk).status == change.get(
        "status", InvitationStatus.SENT
    )


def own_questions(survey):
    """A rating, a multiple choice and a short text of the survey's own."""
    rating = Question.objects.create(
        survey=survey, version=1, key="on_time", position=1, kind=QuestionKind.RATING,
        scale_points=5, wording={"en": "On time?"},
    )  # fmt: skip
    choice = Question.objects.create(
        survey=survey, version=1, key="what", position=2, kind=QuestionKind.MULTIPLE,
        wording={"en": "What went well?"},
    )  # fmt: skip
    options = [
        QuestionOption.objects.create(question=choice, key=key, position=n, wording={"en": key})
        for n, key in enumerate(("price", "speed", "manners"), 1)
    ]
    text = Question.objects.create(
        survey=survey, version=1, key="why", position=3, kind=QuestionKind.TEXT,
        wording={"en": "Why?"},
    )  # fmt: skip
    return rating, choice, options, text


def test_the_answers_to_own_questions_are_written_with_the_answer():
    invitation = loaded()
    rating, choice, options, text = own_questions(invitation.survey)
    given = [
        QuestionAnswer(question=rating, number=4),
        QuestionAnswer(question=choice, option=options[0]),
        QuestionAnswer(question=choice, option=options[2]),
        QuestionAnswer(question=text, text='Quote " and \\ and ünïcode'),
    ]
    response = record_response(invitation, GOOD, "en", given)
    stored = QuestionAnswer.objects.filter(response=response).order_by("pk")
    assert [(a.question_id, a.option_id, a.number, a.text) for a in stored] == [
        (rating.pk, None, 4, ""),
        (choice.pk, options[0].pk, None, ""),
        (choice.pk, options[2].pk, None, ""),
        (text.pk, None, None, 'Quote " and \\ and ünïcode'),
    ]
    rollups_drain_all()
    assert rollups_differences() == []


def test_a_refused_answer_leaves_no_answers_to_own_questions():
    invitation = loaded()
    rating, *_rest = own_questions(invitation.survey)
    record_response(invitation, GOOD, "en", [QuestionAnswer(question=rating, number=2)])
    with pytest.raises(AlreadyAnswered):
        record_response(invitation, GOOD, "en", [QuestionAnswer(question=rating, number=5)])
    assert list(QuestionAnswer.objects.values_list("number", flat=True)) == [2]
