"""The drain task paces itself: a backlog goes on at once, answers arriving are recounted
after a pause in proportion to the last recount, and the answers meanwhile wake none."""

from functools import partial

import pytest
from django.core.cache import cache

from surveys import aggregation, tasks
from surveys.aggregation import rollups_mark_dirty
from surveys.models import DirtyRollup, TouchpointDailyScore
from tests.factories import ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


class Clock:
    """time.monotonic for the task: each drain appears to take `seconds`."""

    def __init__(self, seconds):
        self.now, self.seconds = 0.0, seconds

    def __call__(self):
        self.now += self.seconds  # read before and after each drain
        return self.now


@pytest.fixture
def scheduled(monkeypatch) -> list[float]:
    """The countdowns of the runs the task schedules (not run here)."""
    countdowns = []
    monkeypatch.setattr(
        tasks.drain_rollups, "apply_async", lambda countdown: countdowns.append(countdown)
    )
    return countdowns


def test_a_slow_drain_is_followed_after_a_pause_in_proportion(monkeypatch, scheduled):
    response = ResponseFactory()
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=2.0))
    assert tasks.drain_rollups() == 1  # the day the answer and its interaction share
    assert TouchpointDailyScore.objects.get(touchpoint=response.touchpoint).responses == 1
    assert scheduled == [pytest.approx(2.0 * tasks.DRAIN_DUTY)]
    # Answers during the pause find a drain scheduled: no wake-up of their own.
    assert cache.get(tasks.WAKE_KEY) == 1
    tasks.drain_rollups_soon()
    assert len(scheduled) == 1


def test_a_quick_drain_looks_again_after_the_wake_window(monkeypatch, scheduled):
    ResponseFactory()
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=0.05))
    assert tasks.drain_rollups() == 1
    assert scheduled == [tasks.WAKE_WINDOW]


def test_an_empty_drain_schedules_nothing(monkeypatch, scheduled):
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=60))
    assert not DirtyRollup.objects.exists()
    assert tasks.drain_rollups() == 0
    assert scheduled == []


def test_a_backlog_goes_on_at_once(monkeypatch, scheduled):
    touchpoint = TouchpointFactory()
    rollups_mark_dirty([(touchpoint.pk, f"2026-01-0{day}") for day in (1, 2, 3)], wake=False)
    monkeypatch.setattr(tasks, "rollups_drain", partial(aggregation.rollups_drain, batch=2))
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=30))
    assert tasks.drain_rollups() == 2
    assert scheduled == [0]
    assert DirtyRollup.objects.count() == 1
