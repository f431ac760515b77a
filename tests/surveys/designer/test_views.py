"""The survey designer: a CX manager designs a survey with her own questions and a branch;
bad input gets an error beside its field and nothing is saved; editing questions that have
answers makes a new version and the answers keep theirs."""

import pytest

from surveys.models import Question, QuestionAnswer, QuestionKind, Survey
from tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db

SETTINGS = {
    "name": "Installation",
    "audience": "customer",
    "intro": "",
    "languages": ["en", "de"],
    "asks_expectation_experience": "on",
    "asks_nps": "on",
    "asks_comment": "on",
    "reminder_after_days": "3",
    "expires_after_days": "14",
    "is_active": "on",
}


def questions(*rows, initial=0):
    """The formset's POST data for these question rows (dicts of field: value)."""
    data = {
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows):
        data |= {f"questions-{index}-{name}": value for name, value in row.items()}
    return data


ON_TIME = {"kind": "yes_no", "required": "on", "wording_en": "Was the installer on time?",
           "wording_de": "War der Monteur pünktlich?", "ORDER": "1"}  # fmt: skip
WHAT_WRONG = {
    "kind": "single",
    "wording_en": "What went wrong?",
    "options_en": "Late\nMessy\nRude",
    "options_de": "Zu spät\nUnordentlich\nUnhöflich",
    "show_if": "experience",
    "show_if_test": "lte",
    "show_if_value": "3",
    "ORDER": "2",
}


def design(client, pk=None, rows=(ON_TIME, WHAT_WRONG), initial=0, **settings):
    url = f"/surveys/{pk}/" if pk else "/surveys/new/"
    return client.post(url, {**SETTINGS, **settings, **questions(*rows, initial=initial)})


def test_a_cx_manager_designs_a_survey_with_her_own_questions_and_a_branch(client_for, cx_manager):
    client = client_for(cx_manager)
    saved = design(client)
    assert saved.status_code == 302, saved.content.decode()
    survey = Survey.objects.get(name="Installation")
    assert survey.languages == ["en", "de"] and survey.asks_own_questions
    on_time, what_wrong = survey.current_questions()
    assert (on_time.key, on_time.kind, on_time.required) == ("q1", QuestionKind.YES_NO, True)
    assert on_time.wording == {
        "en": "Was the installer on time?",
        "de": "War der Monteur pünktlich?",
    }
    assert [o.wording for o in what_wrong.options.all()][1] == {"en": "Messy", "de": "Unordentlich"}
    assert (what_wrong.show_if, what_wrong.show_if_test, what_wrong.show_if_value) == (
        "experience",
        "lte",
        "3",
    )
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "Was the installer on time?" in page and "Unordentlich" in page


@pytest.mark.parametrize(
    "row,field,message",
    [
        ({**WHAT_WRONG, "options_en": "", "show_if": ""}, "options_en", "at least two options"),
        ({**WHAT_WRONG, "options_en": "\n".join(f"o{i}" for i in range(200)), "show_if": ""},
         "options_en", "At most 20 options (200 given)"),
        ({**WHAT_WRONG, "options_en": "Late\n\nRude", "show_if": ""}, "options_en",
         "Line 2 is empty"),
        ({**WHAT_WRONG, "options_de": "Zu spät", "show_if": ""}, "options_de",
         "1 options, but 3 in English"),
        ({"kind": "rating", "wording_en": "How tidy?", "scale_points": "1"}, "scale_points",
         "A rating has 2 to 11 points"),
        ({"kind": "text", "wording_en": ""}, "wording_en", "Word the question in English"),
        ({**WHAT_WRONG, "show_if": "q7"}, "show_if", "Select a valid choice"),
        ({**WHAT_WRONG, "show_if_value": "9"}, "show_if_value", "A whole number from 1 to 7"),
        ({**WHAT_WRONG, "show_if": "csat"}, "show_if", "Select a valid choice"),
    ],
)  # fmt: skip
def test_bad_input_gets_an_error_beside_its_field_and_nothing_is_saved(
    client_for, cx_manager, row, field, message
):
    refused = design(client_for(cx_manager), rows=(ON_TIME, row))
    assert refused.status_code == 400
    form = refused.context["questions"].forms[1]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not Survey.objects.filter(name="Installation").exists()
    assert "Nothing was saved" in refused.content.decode()


def test_a_branch_on_a_question_asked_later_is_refused(client_for, cx_manager):
    client = client_for(cx_manager)
    design(client)
    survey = Survey.objects.get(name="Installation")
    # q1 moved after the question that branches on it.
    later = {**ON_TIME, "key": "q1", "ORDER": "3"}
    branched = {**WHAT_WRONG, "key": "q2", "show_if": "q1", "show_if_test": "is",
                "show_if_value": "no", "ORDER": "1"}  # fmt: skip
    refused = design(client, survey.pk, rows=(later, branched), initial=2)
    assert refused.status_code == 400
    assert "asked before this one" in str(refused.context["questions"].forms[1].errors)


def test_editing_questions_that_have_answers_makes_a_new_version(client_for, cx_manager):
    client = client_for(cx_manager)
    design(client)
    survey = Survey.objects.get(name="Installation")
    on_time = survey.current_questions()[0]
    answer = ResponseFactory(invitation__survey=survey)
    QuestionAnswer.objects.create(response=answer, question=on_time, number=1)

    reworded = {**ON_TIME, "key": "q1", "wording_en": "Did the installer come on time?"}
    what_wrong = {**WHAT_WRONG, "key": "q2"}
    saved = design(client, survey.pk, rows=(reworded, {**what_wrong, "DELETE": "on"}), initial=2)
    assert saved.status_code == 302
    survey.refresh_from_db()
    assert survey.version == 2
    (current,) = survey.current_questions()
    assert current.key == "q1" and current.wording["en"] == "Did the installer come on time?"
    # The answer keeps the question it was asked, and the deleted one is kept too.
    kept = QuestionAnswer.objects.get().question
    assert kept.version == 1 and kept.wording["en"] == "Was the installer on time?"
    assert Question.objects.filter(survey=survey, version=1).count() == 2

    # Saving again with nothing changed makes no version.
    assert design(client, survey.pk, rows=(reworded,), initial=1).status_code == 302
    survey.refresh_from_db()
    assert survey.version == 2


def test_editing_questions_without_answers_leaves_no_old_version(client_for, cx_manager):
    client = client_for(cx_manager)
    design(client)
    survey = Survey.objects.get(name="Installation")
    design(client, survey.pk, rows=({**ON_TIME, "key": "q1", "required": ""},), initial=2)
    survey.refresh_from_db()
    assert survey.version == 2
    assert list(survey.questions.values_list("version", "key", "required")) == [(2, "q1", False)]


def test_the_designer_is_for_cx_managers(client_for, head_a, staff_a):
    for user in (head_a, staff_a):
        assert client_for(user).get("/surveys/new/").status_code == 403
        assert design(client_for(user)).status_code == 403
    assert not Survey.objects.filter(name="Installation").exists()


def test_a_survey_of_own_questions_only_is_one_and_a_survey_of_nothing_is_refused(
    client_for, cx_manager
):
    client = client_for(cx_manager)
    nothing = {"asks_expectation_experience": "", "asks_nps": "", "asks_comment": ""}
    refused = client.post("/surveys/new/", {**SETTINGS, **nothing, **questions()})
    assert refused.status_code == 400 and "must ask something" in refused.content.decode()
    saved = client.post("/surveys/new/", {**SETTINGS, **nothing, **questions(ON_TIME)})
    assert saved.status_code == 302
    assert Survey.objects.get(name="Installation").asks_own_questions
