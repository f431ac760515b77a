"""Rollups folded by a real Celery worker process on Redis, woken on commit."""

import pytest
from django.db import transaction

from surveys.counting.aggregation import keys_of_responses, rollups_differences, rollups_mark_dirty
from surveys.models import DirtyRollup, TouchpointDailyScore
from surveys.tasks import drain_rollups
from tests.factories import ResponseFactory, TouchpointFactory
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def folded(touchpoint, responses):
    row = TouchpointDailyScore.objects.filter(touchpoint=touchpoint).first()
    return row is not None and row.responses == responses


def test_worker_folds_committed_answers_into_rollups(celery_worker):
    touchpoint = TouchpointFactory()
    with transaction.atomic():
        responses = [
            ResponseFactory(invitation__interaction__touchpoint=touchpoint, experience=e)
            for e in (2, 3, 4)
        ]
        rollups_mark_dirty(keys_of_responses(responses))
    wait_until(
        lambda: folded(touchpoint, 3),
        message=f"the worker did not fold the answers:\n{celery_worker.log()}",
    )
    assert not DirtyRollup.objects.exists()
    assert rollups_differences() == []


def test_rolled_back_answers_leave_nothing_to_fold(celery_worker):
    touchpoint = TouchpointFactory()
    with transaction.atomic():
        response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
        rollups_mark_dirty(keys_of_responses([response]))
        transaction.set_rollback(True)
    assert not DirtyRollup.objects.exists()
    drain_rollups.delay()
    # A committed answer marks its day whichever door it came through (a signal), and the
    # next drain folds it; the rolled-back one left nothing behind.
    ResponseFactory(invitation__interaction__touchpoint=touchpoint)
    drain_rollups.delay()
    wait_until(lambda: folded(touchpoint, 1), message=celery_worker.log())
    wait_until(lambda: not DirtyRollup.objects.exists(), message=celery_worker.log())


def test_drain_delivered_many_times_leaves_the_same_rollup(celery_worker):
    touchpoint = TouchpointFactory()
    response = ResponseFactory(invitation__interaction__touchpoint=touchpoint)
    rollups_mark_dirty(keys_of_responses([response]))
    for _ in range(5):
        drain_rollups.delay()
    wait_until(lambda: folded(touchpoint, 1), message=celery_worker.log())
    with transaction.atomic():
        later = ResponseFactory(
            invitation__interaction__touchpoint=touchpoint, submitted_at=response.submitted_at
        )
        rollups_mark_dirty(keys_of_responses([later]))
    for _ in range(3):
        drain_rollups.delay()
    wait_until(lambda: folded(touchpoint, 2), message=celery_worker.log())
    wait_until(lambda: not DirtyRollup.objects.exists(), message=celery_worker.log())
    assert rollups_differences() == []
    assert "ERROR" not in celery_worker.log()
