"""The surveys' own questions' results: the daily answer rollups follow every answer, added
through a link or recounted after a change, and the figures read from them equal an
independent computation from the answers themselves; on the scorecard, in its CSV and in
the API, scoped."""

import datetime as dt
import random
import statistics

import pytest
from django.db import connection
from django.utils import timezone
from scipy import stats

from surveys.asking.answers import record_response
from surveys.counting.aggregation import rollups_differences, rollups_drain_all, rollups_mark_dirty
from surveys.counting.own_questions import question_results
from surveys.counting.periods import Period
from surveys.counting.rollup_sql import answer_sums_select
from surveys.counting.scores import wilson
from surveys.models import InvitationStatus, Question, QuestionAnswer, QuestionOption, Response
from tests.factories import (
    InvitationFactory,
    ResponseFactory,
    StepFactory,
    SurveyFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(department_a):
    survey = SurveyFactory(asks_own_questions=True)
    rating = Question.objects.create(
        survey=survey,
        version=1,
        key="q1",
        position=1,
        kind="rating",
        scale_points=5,
        wording={"en": "Tidy?"},
    )
    choice = Question.objects.create(
        survey=survey,
        version=1,
        key="q2",
        position=2,
        kind="multiple",
        wording={"en": "What went wrong?"},
    )
    options = [
        QuestionOption.objects.create(
            question=choice, key=f"o{i}", position=i, wording={"en": label}
        )
        for i, label in enumerate(["Late", "Messy", "Rude"], 1)
    ]
    yes_no = Question.objects.create(
        survey=survey, version=1, key="q3", position=3, kind="yes_no", wording={"en": "On time?"}
    )
    touchpoint = TouchpointFactory(department=department_a, survey=survey, surveyed=True)
    return survey, touchpoint, rating, choice, options, yes_no


def answers_for(rng, rating, choice, options, yes_no):
    rows = [QuestionAnswer(question=rating, number=rng.randint(1, 5))]
    if rng.random() < 0.7:
        rows += [QuestionAnswer(question=choice, option=o) for o in options if rng.random() < 0.5]
    if rng.random() < 0.8:
        rows.append(QuestionAnswer(question=yes_no, number=rng.randint(0, 1)))
    return rows


def test_the_answer_rollups_follow_every_answer_and_read_back_exactly(settings, asked):
    settings.TOUCHSTONE_MIN_SAMPLE = 5
    survey, touchpoint, rating, choice, options, yes_no = asked
    rng = random.Random(11)
    # Through links (added by the drain), then on other days straight in (recounted).
    for _ in range(30):
        invitation = InvitationFactory(
            interaction__touchpoint=touchpoint,
            survey=survey,
            status=InvitationStatus.SENT,
            sent_at=timezone.now(),
        )
        record_response(
            invitation,
            {"nps": rng.randint(0, 10)},
            "en",
            answers_for(rng, rating, choice, options, yes_no),
        )
    for days_ago in (1, 2, 3):
        for _ in range(10):
            response = ResponseFactory(
                invitation__interaction__touchpoint=touchpoint,
                submitted_at=timezone.now() - dt.timedelta(days=days_ago),
            )
            rows = answers_for(rng, rating, choice, options, yes_no)
            for row in rows:
                row.response = response
            QuestionAnswer.objects.bulk_create(rows)
        rollups_mark_dirty([(touchpoint.pk, timezone.localdate() - dt.timedelta(days=days_ago))])
    rollups_drain_all()
    assert rollups_differences() == []
    # A change: an answer deleted, its day recounted.
    gone = Response.objects.filter(answers__isnull=False).order_by("pk").first()
    rollups_mark_dirty([(gone.touchpoint_id, gone.day)])
    QuestionAnswer.objects.filter(response=gone).delete()
    gone.delete()
    rollups_drain_all()
    assert rollups_differences() == []

    today = timezone.localdate()
    (results,) = question_results(
        [touchpoint.pk], Period(today - dt.timedelta(days=5), today)
    ).values()
    by_key = {result.question.key: result for result in results}
    points = list(QuestionAnswer.objects.filter(question=rating).values_list("number", flat=True))
    mean = by_key["q1"].mean
    assert (mean.n, mean.mean) == (len(points), pytest.approx(statistics.mean(points)))
    t = stats.t.interval(
        0.95, len(points) - 1, loc=statistics.mean(points), scale=stats.sem(points)
    )
    assert mean.margin == pytest.approx((t[1] - t[0]) / 2)
    answered = QuestionAnswer.objects.filter(question=choice).values("response").distinct().count()
    shares = by_key["q2"].shares
    for option, share in zip(options, shares, strict=True):
        chosen = QuestionAnswer.objects.filter(option=option).count()
        assert (share.label, share.count, share.n) == (option.wording["en"], chosen, answered)
        assert share.interval == wilson(chosen, answered)
    yes = QuestionAnswer.objects.filter(question=yes_no)
    (said_yes,) = by_key["q3"].shares
    assert (said_yes.count, said_yes.n) == (yes.filter(number=1).count(), yes.count())


def test_a_batch_is_added_by_index_when_the_answers_statistics_are_stale(asked):
    """Analysed while empty, then grown fast (autovacuum late or off): adding a batch's
    answers still reads them by the index, not by scanning every answer given."""
    _survey, touchpoint, rating, _choice, _options, yes_no = asked
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {QuestionAnswer._meta.db_table}")
    responses = Response.objects.bulk_create(
        ResponseFactory.build(touchpoint=touchpoint, invitation=None, day=timezone.localdate())
        for _ in range(5000)
    )
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(response=response, question=question, number=1)
        for response in responses
        for question in (rating, yes_no)
    )
    batch = [response.pk for response in responses[-60:]]
    sql, params = answer_sums_select(None, response_ids=batch)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert f"Seq Scan on {QuestionAnswer._meta.db_table}" not in plan, plan


def test_the_scorecard_csv_and_api_show_them_scoped(
    settings, client_for, head_a, head_b, cx_manager, asked, department_a
):
    settings.TOUCHSTONE_MIN_SAMPLE = 2
    _survey, touchpoint, rating, choice, options, _yes_no = asked
    for number in (2, 4, 5):
        response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
        QuestionAnswer.objects.create(response=response, question=rating, number=number)
        QuestionAnswer.objects.create(response=response, question=choice, option=options[0])
    rollups_mark_dirty([(touchpoint.pk, timezone.localdate())])
    rollups_drain_all()
    page = client_for(head_a).get(f"/departments/{department_a.pk}/")
    text = page.content.decode()
    assert "Your own questions" in text and "mean 3.67 of 5" in text and "Late: 100%" in text
    csv = (
        client_for(head_a)
        .get(f"/departments/{department_a.pk}/", {"export": "questions"})
        .content.decode()
    )
    assert "Tidy?" in csv and "Late" in csv
    rows = client_for(cx_manager).get("/api/v1/question-results/").json()
    assert {(row["question"], row["n"]) for row in rows} == {("q1", 3), ("q2", 3)}
    late = next(row for row in rows if row["question"] == "q2")["shares"][0]
    assert (late["answer"], late["chosen"], late["percent"]) == ("Late", 3, 100.0)
    assert client_for(head_b).get("/api/v1/question-results/").json() == []


def test_the_card_panel_shows_them(settings, client_for, cx_manager, asked):
    settings.TOUCHSTONE_MIN_SAMPLE = 2
    _survey, touchpoint, rating, _choice, _options, _yes_no = asked
    for number in (3, 5):
        response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
        QuestionAnswer.objects.create(response=response, question=rating, number=number)
    rollups_mark_dirty([(touchpoint.pk, timezone.localdate())])
    rollups_drain_all()
    step = StepFactory(touchpoint=touchpoint)
    panel = client_for(cx_manager).get(f"/journeys/steps/{step.pk}/").content.decode()
    assert "Its survey's own questions" in panel and "mean 4.00 of 5" in panel


def test_short_answers_are_read_and_searched_beside_the_comments(client_for, head_a, asked,
                                                                  department_a):  # fmt: skip
    survey, touchpoint, *_rest = asked
    said = Question.objects.create(survey=survey, version=1, key="q4", position=4, kind="text",
                                   wording={"en": "Anything missing?"})  # fmt: skip
    for text in ("The fitter was late", "Skirting boards"):
        response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
        QuestionAnswer.objects.create(response=response, question=said, text=text)
    url = f"/departments/{department_a.pk}/"
    page = client_for(head_a).get(url, {"q": "fitter"}).content.decode()
    assert "Short answers to your own questions" in page
    assert "The fitter was late" in page and "Skirting boards" not in page
    assert "Anything missing?" in page
