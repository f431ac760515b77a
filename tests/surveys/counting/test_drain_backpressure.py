"""The drain task paces itself: a backlog goes on at once, answers arriving are recounted
after a pause in proportion to the last recount, and the answers meanwhile wake none; nor
do the answers during a run, so one chain of runs goes on, however long the answers do."""

import time
from functools import partial

import pytest
from django.core.cache import cache

from surveys import enqueue, tasks
from surveys.counting import aggregation
from surveys.counting.aggregation import rollups_mark_dirty
from surveys.models import DirtyRollup, TouchpointDailyScore
from tests.factories import ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

DRAIN_KEY = enqueue.WAKE_KEYS[enqueue.DRAIN_ROLLUPS]


class Clock:
    """time.monotonic for the task: each drain appears to take `seconds`."""

    def __init__(self, seconds):
        self.now, self.seconds = 0.0, seconds

    def __call__(self):
        self.now += self.seconds  # read before and after each drain
        return self.now


@pytest.fixture
def scheduled(monkeypatch, broker_tasks) -> list[float]:
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
    # Answers during the pause find a drain scheduled, and when it starts: no wake-up of
    # their own, and no question to Redis until then.
    assert cache.get(DRAIN_KEY) == pytest.approx(time.time() + 2.0 * tasks.DRAIN_DUTY, abs=1)
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert len(scheduled) == 1
    cache.delete(DRAIN_KEY)
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert len(scheduled) == 1  # known to be covered until the scheduled run starts


def test_a_wake_up_is_sent_once_a_window_and_asked_about_once_per_process(scheduled):
    for _answer in range(50):
        enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW]
    enqueue.forget_wake_ups()  # another process: it finds the run scheduled, and when
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW]
    cache.delete(DRAIN_KEY)  # had it asked Redis again, it would wake another run
    for _answer in range(50):
        enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW]


def test_past_the_scheduled_start_a_process_asks_again(monkeypatch, scheduled):
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW]
    later = time.time() + enqueue.WAKE_WINDOW + 1
    monkeypatch.setattr(enqueue.time, "time", lambda: later)
    cache.delete(DRAIN_KEY)  # expired
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW] * 2


def test_a_run_about_to_start_is_asked_about_once_a_margin(monkeypatch, scheduled):
    now = time.time()
    cache.set(DRAIN_KEY, now + enqueue.CLOCK_MARGIN / 2, timeout=1)  # another's wake-up
    asked = []

    class Counting:
        add = staticmethod(cache.add)

        def get(self, key):
            asked.append(key)
            return cache.get(key)

    monkeypatch.setattr(enqueue, "cache", Counting())
    monkeypatch.setattr(enqueue.time, "time", lambda: now)
    for _answer in range(50):
        enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert len(asked) == 1 and scheduled == []
    monkeypatch.setattr(enqueue.time, "time", lambda: now + enqueue.CLOCK_MARGIN)
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert len(asked) == 2


def test_a_quick_drain_looks_again_after_the_wake_window(monkeypatch, scheduled):
    ResponseFactory()
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=0.05))
    assert tasks.drain_rollups() == 1
    assert scheduled == [enqueue.WAKE_WINDOW]


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


def test_answers_during_a_run_wake_no_other(monkeypatch, scheduled):
    ResponseFactory()
    woken_during = []

    def drain_while_answers_come():
        enqueue.forget_wake_ups()  # another web process, which has not asked yet
        enqueue.wake(enqueue.DRAIN_ROLLUPS)
        woken_during.append(list(scheduled))
        return aggregation.rollups_drain()

    monkeypatch.setattr(tasks, "rollups_drain", drain_while_answers_come)
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=0.05))
    assert tasks.drain_rollups() == 1
    assert woken_during == [[]]  # the answer relied on the run's next
    assert scheduled == [enqueue.WAKE_WINDOW]  # which it scheduled


def test_a_run_woken_before_this_one_began_is_the_only_next(monkeypatch, scheduled):
    """A wake-up sent just before a run started (its key had expired) schedules a run of
    its own: the two chains become one."""
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW]
    ResponseFactory()
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=0.05))
    assert tasks.drain_rollups() == 1
    assert scheduled == [enqueue.WAKE_WINDOW]  # no second run: the woken one sees the rest


def test_a_run_that_found_nothing_lets_the_next_answer_wake_one(monkeypatch, scheduled):
    monkeypatch.setattr(tasks.time, "monotonic", Clock(seconds=0.05))
    assert tasks.drain_rollups() == 0
    assert cache.get(DRAIN_KEY) is None
    enqueue.forget_wake_ups()
    enqueue.wake(enqueue.DRAIN_ROLLUPS)
    assert scheduled == [enqueue.WAKE_WINDOW]
