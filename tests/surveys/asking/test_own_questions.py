"""A survey's own questions on the customer's page: worded in the customer's language (or
visibly in English), required only when shown, a branch's hidden question keeping no
answer, and every answer stored against the question version it was asked."""

import pytest

from surveys.models import Question, QuestionAnswer, QuestionOption
from tests.factories import SurveyFactory
from tests.surveys.asking.test_views import sent_invitation, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    survey = SurveyFactory(languages=["en", "de"], asks_own_questions=True, asks_csat=False,
                           asks_effort=False)  # fmt: skip
    Question.objects.create(
        survey=survey, version=1, key="q1", position=1, kind="yes_no", required=True,
        wording={"en": "Was the installer on time?", "de": "War der Monteur pünktlich?"},
    )  # fmt: skip
    wrong = Question.objects.create(
        survey=survey, version=1, key="q2", position=2, kind="multiple",
        wording={"en": "What went wrong?"}, required=True,
        show_if="experience", show_if_test="lte", show_if_value="3",
    )  # fmt: skip
    for position, (key, en, de) in enumerate(
        [("o1", "Late", "Zu spät"), ("o2", "Messy", "Unordentlich"), ("o3", "Rude", "Unhöflich")],
        1,
    ):
        QuestionOption.objects.create(question=wrong, key=key, position=position,
                                      wording={"en": en, "de": de})  # fmt: skip
    Question.objects.create(
        survey=survey, version=1, key="q3", position=3, kind="rating", scale_points=4,
        wording={"en": "How tidy did they leave it?"}, low_label={"en": "a mess"},
        high_label={"en": "spotless"},
    )  # fmt: skip
    return survey


def test_the_page_asks_them_in_the_customers_language_or_visibly_in_english(client, survey):
    _invitation, token = sent_invitation(survey=survey, interaction__customer__language="de")
    page = client.get(url(token)).content.decode()
    assert "War der Monteur pünktlich?" in page
    assert "Unordentlich" in page  # the options are worded in German
    wrong = page.split('id="ask-q2"', 1)[1].split("</fieldset>", 1)[0]
    assert 'lang="en"' in wrong and "(in English)" in wrong and "What went wrong?" in wrong
    assert 'data-show-if="experience" data-test="lte" data-value="3"' in wrong
    assert "survey-branches.js" in page


def test_a_shown_required_question_needs_an_answer(client, survey):
    invitation, token = sent_invitation(survey=survey)
    refused = client.post(url(token), {"expectation": "6", "experience": "2", "q_q1": "yes"})
    assert refused.status_code == 400
    assert "Please answer this question." in refused.content.decode()
    assert not QuestionAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.status == "sent"


def test_the_answers_are_stored_against_their_questions(client, survey):
    _invitation, token = sent_invitation(survey=survey)
    answered = client.post(url(token), {"expectation": "6", "experience": "2", "q_q1": "no",
                                        "q_q2": ["o1", "o3"], "q_q3": "2"})  # fmt: skip
    assert answered.status_code == 200, answered.content.decode()
    rows = {(a.question.key, a.option and a.option.key, a.number)
            for a in QuestionAnswer.objects.select_related("question", "option")}  # fmt: skip
    assert rows == {("q1", None, 0), ("q2", "o1", None), ("q2", "o3", None), ("q3", None, 2)}


def test_a_hidden_branch_keeps_no_answer_and_needs_none(client, survey):
    _invitation, token = sent_invitation(survey=survey)
    answered = client.post(url(token), {"expectation": "5", "experience": "6", "q_q1": "yes",
                                        "q_q2": ["o2"]})  # fmt: skip
    assert answered.status_code == 200
    assert set(QuestionAnswer.objects.values_list("question__key", "number")) == {("q1", 1)}


def test_bad_values_are_refused_not_stored(client, survey):
    _invitation, token = sent_invitation(survey=survey)
    refused = client.post(url(token), {"experience": "2", "expectation": "6", "q_q1": "maybe",
                                       "q_q2": ["o9"], "q_q3": "5"})  # fmt: skip
    assert refused.status_code == 400
    assert not QuestionAnswer.objects.exists()
