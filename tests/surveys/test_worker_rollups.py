"""Rollups folded by a real Celery worker process on Redis, enqueued on commit."""

import datetime as dt

import pytest
from django.db import transaction

from surveys.aggregation import day_of, rollups_differences
from surveys.models import TouchpointDailyScore
from surveys.tasks import enqueue_rollups_on_commit, recompute_rollups
from tests.factories import ResponseFactory, TouchpointFactory
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_folds_committed_responses_into_rollups(celery_worker):
    touchpoint = TouchpointFactory()
    with transaction.atomic():
        responses = [
            ResponseFactory(invitation__interaction__touchpoint=touchpoint, experience=e)
            for e in (2, 3, 4)
        ]
        keys = {(touchpoint.pk, day_of(r.submitted_at)) for r in responses}
        enqueue_rollups_on_commit(keys)
        # Nothing is sent before commit: the worker must not race the transaction.
        assert not TouchpointDailyScore.objects.exists()
    row = wait_until(
        lambda: TouchpointDailyScore.objects.filter(touchpoint=touchpoint).first(),
        message=f"the worker did not fold the responses:\n{celery_worker.log()}",
    )
    assert row.responses == 3
    assert rollups_differences() == []


def test_task_delivered_twice_leaves_the_same_rollup(celery_worker):
    touchpoint = TouchpointFactory()
    response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
    key = [touchpoint.pk, day_of(response.submitted_at).isoformat()]
    for _ in range(2):
        recompute_rollups.delay([key])
    wait_until(
        lambda: TouchpointDailyScore.objects.filter(touchpoint=touchpoint).exists(),
        message=celery_worker.log(),
    )
    recompute_rollups.delay([key])
    # A later answer on the same key, folded by a task sent after the duplicates.
    ResponseFactory(
        invitation__interaction__touchpoint=touchpoint, submitted_at=response.submitted_at
    )
    recompute_rollups.delay([key])
    wait_until(
        lambda: TouchpointDailyScore.objects.get(touchpoint=touchpoint).responses == 2,
        message=celery_worker.log(),
    )
    assert rollups_differences() == []


def test_task_arguments_travel_as_json(celery_worker):
    touchpoint = TouchpointFactory()
    day = dt.date(2026, 1, 5)
    # A key for a day without answers: the worker parses it and stores nothing.
    recompute_rollups.delay([[touchpoint.pk, day.isoformat()]])
    response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
    recompute_rollups.delay([[touchpoint.pk, day_of(response.submitted_at).isoformat()]])
    row = wait_until(
        lambda: (
            TouchpointDailyScore.objects.filter(touchpoint=touchpoint).first()
            or "ERROR" in celery_worker.log()
        ),
        message=celery_worker.log(),
    )
    assert "ERROR" not in celery_worker.log()
    assert [(r.day, r.responses) for r in TouchpointDailyScore.objects.all()] == [
        (day_of(response.submitted_at), 1)
    ]
    assert row
