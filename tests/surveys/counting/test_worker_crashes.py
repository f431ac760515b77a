"""Whatever happens to the workers, the rollups end equal to a recomputation from raw answers.

Real `celery worker` processes on Redis and PostgreSQL: killed with SIGKILL in the middle of
a drain (with answers, answers to a survey's own questions, interactions and follow-ups to
count), two of them draining while answers keep arriving, and a wake-up lost as when Redis
restarts without persistence.
"""

import datetime as dt
import random

import pytest
from django.db import connection, transaction

from config.celery_app import app
from surveys.counting.aggregation import rollups_differences, rollups_mark_dirty
from surveys.models import (
    DirtyRollup,
    FollowUp,
    Question,
    QuestionAnswer,
    Response,
    TouchpointDailyAnswer,
    TouchpointDailyLoop,
    TouchpointDailyScore,
    TouchpointDailyStandards,
    UncountedResponse,
)
from surveys.tasks import drain_rollups
from tests.factories import CustomerFactory, SurveyFactory, TouchpointFactory
from tests.worker import own_queue, require_services, start_worker, wait_until
from touchpoints.models import Interaction

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FIRST_DAY = dt.date(2026, 1, 1)


@pytest.fixture
def queue():
    require_services()
    with own_queue() as name:
        yield name


@pytest.fixture
def workers(queue):
    started = []

    def start(name):
        worker = start_worker(queue, name=name)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        worker.log_path.unlink(missing_ok=True)


def insert_answers(touchpoint_ids, days, per_day):
    """Many answers at once, straight in SQL: (touchpoints x days x per_day) rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Response._meta.db_table}
                (touchpoint_id, submitted_at, day, expectation, experience, csat, nps, effort,
                 comment, language)
            SELECT tp, d + time '12:00', d, 1 + g %% 7, 1 + (g * 3) %% 7, 1 + g %% 5, g %% 11,
                   1 + g %% 7, CASE WHEN g %% 4 = 0 THEN 'slow' ELSE '' END, 'en'
            FROM unnest(%s::bigint[]) tp,
                 generate_series(%s::date, %s::date, interval '1 day') d,
                 generate_series(1, %s) g
            """,
            [touchpoint_ids, FIRST_DAY, FIRST_DAY + dt.timedelta(days=days - 1), per_day],
        )


def insert_interactions(touchpoint_ids, days, per_day):
    """Interactions with facts on the same days, straight in SQL, so the drains recount the
    service standards too: (touchpoints x days x per_day) rows of one customer."""
    customer = CustomerFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Interaction._meta.db_table}
                (customer_id, touchpoint_id, occurred_at, day, outcome, wait_seconds,
                 first_contact_resolution, created_at)
            SELECT %s, tp, d + time '11:00', d, 'resolved', 30 * g, g %% 2 = 0, now()
            FROM unnest(%s::bigint[]) tp,
                 generate_series(%s::date, %s::date, interval '1 day') d,
                 generate_series(1, %s) g
            """,
            [
                customer.pk,
                touchpoint_ids,
                FIRST_DAY,
                FIRST_DAY + dt.timedelta(days=days - 1),
                per_day,
            ],
        )


def insert_follow_ups(every: int) -> int:
    """Follow-ups on every `every`th detractor answer, straight in SQL, worked every way:
    contacted in time or late, resolved, escalated, or still open; the drains count them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {FollowUp._meta.db_table}
                (response_id, touchpoint_id, day, reason, status, notes, created_at, due_at,
                 first_contact_at, closed_at, escalated_at)
            SELECT id, touchpoint_id, day, 'detractor',
                   CASE WHEN id %% 3 = 0 THEN 'done' ELSE 'open' END, '',
                   submitted_at, submitted_at + interval '1 day',
                   CASE id %% 4 WHEN 0 THEN submitted_at + interval '2 hours'
                                WHEN 1 THEN submitted_at + interval '3 days' END,
                   CASE WHEN id %% 3 = 0 THEN submitted_at + interval '4 days' END,
                   CASE WHEN id %% 4 IN (2, 3) THEN submitted_at + interval '25 hours' END
            FROM {Response._meta.db_table} WHERE nps <= 6 AND id %% %s = 0
            """,
            [every],
        )
        return cursor.rowcount


def insert_own_answers(every: int) -> int:
    """Answers to a rating question of a survey's own on every `every`th answer, straight
    in SQL; the drains count them per question and day."""
    question = Question.objects.create(
        survey=SurveyFactory(asks_own_questions=True), version=1, key="q1", position=1,
        kind="rating", scale_points=5, wording={"en": "How tidy?"},
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {QuestionAnswer._meta.db_table} (response_id, question_id, number, text)
            SELECT id, %s, 1 + id %% 5, '' FROM {Response._meta.db_table} WHERE id %% %s = 0
            """,
            [question.pk, every],
        )
        return cursor.rowcount


def all_keys(touchpoint_ids, days):
    return [(tp, FIRST_DAY + dt.timedelta(days=d)) for tp in touchpoint_ids for d in range(days)]


def answers_on(keys, rng) -> list[Response]:
    """An answer with random scores on each (touchpoint, day) of `keys`."""
    return [
        Response(
            touchpoint_id=tp,
            submitted_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
            day=day,
            expectation=rng.randint(1, 7),
            experience=rng.randint(1, 7),
            nps=rng.randint(0, 10),
        )
        for tp, day in keys
    ]


def a_drain_is_running():
    """A worker holds key locks: it is inside a drain transaction right now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")
        return cursor.fetchone()[0] > 0


def list_as_uncounted(every: int) -> int:
    """Every `every`th answer listed as a link lists it, to be added rather than recounted."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {UncountedResponse._meta.db_table} (response_id) "
            f"SELECT id FROM {Response._meta.db_table} WHERE id %% %s = 0",
            [every],
        )
        return cursor.rowcount


def settled(log=""):
    def outboxes_empty():
        return not DirtyRollup.objects.exists() and not UncountedResponse.objects.exists()

    wait_until(outboxes_empty, timeout=90, message=log)
    assert rollups_differences() == []


def test_workers_killed_mid_drain_leave_exact_rollups(workers):
    # Touchpoints with a wait standard: the drains count standards met as well as scores.
    touchpoints = [TouchpointFactory(target_wait_seconds=90).pk for _ in range(100)]
    insert_answers(touchpoints, days=60, per_day=20)
    insert_interactions(touchpoints, days=60, per_day=5)
    follow_ups = insert_follow_ups(every=7)
    own_answers = insert_own_answers(every=11)
    uncounted = list_as_uncounted(every=3)
    worker = workers("w0")
    with transaction.atomic():
        rollups_mark_dirty(all_keys(touchpoints, 60))  # wakes the worker on commit
    kills_mid_drain = 0
    for round_ in range(1, 4):
        wait_until(a_drain_is_running, timeout=30, interval=0.01, message=worker.log())
        worker.kill()
        kills_mid_drain += 1
        # The killed transaction rolled back: every dirty row and uncounted answer is there.
        assert DirtyRollup.objects.count() == 6000
        assert UncountedResponse.objects.count() == uncounted
        worker = workers(f"w{round_}")
        drain_rollups.delay()
    assert kills_mid_drain == 3
    settled(worker.log())
    assert TouchpointDailyScore.objects.count() == 6000
    assert Response.objects.count() == 120_000
    # Waits of 30, 60, 90, 120 and 150 s against 90 s: three of five met, every day.
    met = TouchpointDailyStandards.objects.values_list("wait_met", "wait_measured")
    assert len(met) == 6000 and set(met) == {(3, 5)}
    # Every follow-up counted once in the loop rollups (rollups_differences compared the
    # rest of their figures with a recount).
    assert sum(TouchpointDailyLoop.objects.values_list("opened", flat=True)) == follow_ups > 0
    answered = TouchpointDailyAnswer.objects.filter(option_id=0).values_list("n", flat=True)
    assert sum(answered) == own_answers > 0


def test_two_workers_draining_while_answers_arrive_agree_with_raw(workers):
    touchpoints = [TouchpointFactory().pk for _ in range(5)]
    first, second = workers("a"), workers("b")
    rng = random.Random(5)
    keys = all_keys(touchpoints, 3)
    for _ in range(60):
        with transaction.atomic():
            batch = [rng.choice(keys) for _ in range(20)]
            Response.objects.bulk_create(answers_on(batch, rng))
            rollups_mark_dirty(batch)
        drain_rollups.delay()
        drain_rollups.delay()
    drain_rollups.delay()
    settled(first.log() + second.log())
    assert sum(TouchpointDailyScore.objects.values_list("responses", flat=True)) == 1200
    assert "Task surveys.tasks.drain_rollups" in first.log() + second.log()


def test_two_workers_adding_answers_and_recounting_their_days_count_each_once(workers):
    """Answers through links (added) and other changes to the same days (recounted) keep
    arriving while two workers drain both outboxes."""
    touchpoints = [TouchpointFactory().pk for _ in range(3)]
    first, second = workers("a"), workers("b")
    rng = random.Random(7)
    keys = all_keys(touchpoints, 2)
    for round_ in range(60):
        with transaction.atomic():
            batch = [rng.choice(keys) for _ in range(20)]
            answers = Response.objects.bulk_create(answers_on(batch, rng))
            UncountedResponse.objects.bulk_create(
                UncountedResponse(response=response) for response in answers[:15]
            )
            rollups_mark_dirty(batch[15:])
        if round_ % 3 == 0:  # another change to days that answers are being added to
            with transaction.atomic():
                rollups_mark_dirty(rng.sample(keys, 3))
        drain_rollups.delay()
        drain_rollups.delay()
    drain_rollups.delay()
    settled(first.log() + second.log())
    assert sum(TouchpointDailyScore.objects.values_list("responses", flat=True)) == 1200


def test_a_lost_wake_up_is_caught_by_the_periodic_drain(workers, queue):
    touchpoint = TouchpointFactory().pk
    insert_answers([touchpoint], days=3, per_day=5)
    with transaction.atomic():
        rollups_mark_dirty(all_keys([touchpoint], 3))
    # The wake-up is in Redis only: flush it, as a Redis restart without persistence would.
    with app.connection_for_write() as broker:
        assert broker.default_channel.queue_purge(queue) == 1
    worker = workers("late")
    assert DirtyRollup.objects.count() == 3
    drain_rollups.delay()  # the beat schedule's drain
    settled(worker.log())
    assert TouchpointDailyScore.objects.count() == 3
