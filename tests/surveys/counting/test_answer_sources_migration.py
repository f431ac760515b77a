"""The own questions' answer rollups split by source (surveys 0033): the days of public
answers, counted under email before, are recounted by source; and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from surveys.asking.forms import OwnAnswer
from surveys.asking.public_answers import record_public_answer
from surveys.counting.aggregation import rollups_differences, rollups_drain_all
from surveys.models import AnswerSource, DirtyRollup, Question, QuestionAnswer
from tests.factories import ResponseFactory, SurveyFactory, TouchpointFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("surveys", "0032_fewer_answer_indexes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture(autouse=True)
def schema_restored():
    """The tests after this one find every migration applied."""
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def stored() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT source, n FROM surveys_touchpointdailyanswer WHERE option_id = 0 "
            "ORDER BY source"
        )
        return dict(cursor.fetchall())


def test_public_answers_to_own_questions_are_recounted_by_source_and_back():
    survey = SurveyFactory(asks_own_questions=True)
    question = Question.objects.create(
        survey=survey, version=1, key="q1", position=1, kind="yes_no", wording={"en": "On time?"}
    )
    van = TouchpointFactory(survey=survey, surveyed=True)
    invited = ResponseFactory(invitation__interaction__touchpoint=van)
    QuestionAnswer.objects.create(response=invited, question=question, number=1)
    record_public_answer(
        van, AnswerSource.QR, {"csat": 2}, [OwnAnswer(question.pk, number=0)], "en"
    )
    migrate(BEFORE)
    # As the workers counted before: both answers in one row, without a source.
    DirtyRollup.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM surveys_touchpointdailyanswer; "
            "INSERT INTO surveys_touchpointdailyanswer "
            "(touchpoint_id, day, question_id, option_id, n, total, squares, updated_at) "
            "VALUES (%s, %s, %s, 0, 2, 1, 1, now())",
            [van.pk, timezone.localdate(), question.pk],
        )
    migrate([("surveys", "0033_own_answer_rollups_by_source")])
    assert stored() == {"email": 2}  # until the workers recount the day
    assert DirtyRollup.objects.filter(touchpoint_id=van.pk).exists()
    rollups_drain_all()
    assert stored() == {"email": 1, "qr": 1}
    assert rollups_differences() == []

    migrate(BEFORE)
    # Back: one row a key again, the other sources' days left for the old code to recount.
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM surveys_touchpointdailyanswer WHERE option_id = 0")
        assert cursor.fetchall() == [(1,)]
    assert DirtyRollup.objects.filter(touchpoint_id=van.pk).exists()
