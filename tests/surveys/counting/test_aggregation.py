"""Rollups equal a recomputation from raw responses, key by key, by drain and in bulk."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from surveys.counting.aggregation import (
    keys_of_responses,
    rollups_differences,
    rollups_drain_all,
    rollups_mark_dirty,
    rollups_rebuild_all,
    rollups_recompute,
)
from surveys.counting.selectors import plan_range, scores_by_group, scores_by_touchpoint
from surveys.models import (
    DirtyRollup,
    Response,
    TouchpointDailyScore,
    TouchpointDailyStandards,
    TouchpointMonthlyScore,
    UncountedResponse,
)
from tests.factories import InvitationFactory, ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def at(day, hour=12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def answer(touchpoint, day=DAY, **scores):
    return ResponseFactory(
        invitation__interaction__touchpoint=touchpoint,
        invitation__interaction__occurred_at=at(day),
        submitted_at=at(day),
        **scores,
    )


def test_recompute_sums_one_day_by_hand():
    touchpoint = TouchpointFactory()
    answer(touchpoint, expectation=6, experience=3, csat=2, nps=3, effort=6, comment="On hold")
    answer(touchpoint, expectation=5, experience=5, csat=4, nps=9, effort=2)
    answer(touchpoint, expectation=None, experience=None, csat=5, nps=10, effort=None)
    rollups_recompute([(touchpoint.pk, DAY)])
    row = TouchpointDailyScore.objects.get(touchpoint=touchpoint, day=DAY)
    assert (row.responses, row.gap_answered) == (3, 2)
    assert (row.sum_expectation, row.sum_experience) == (11, 8)
    assert (row.sum_gap, row.sum_gap_squared) == (3, 9)
    assert (row.csat_answered, row.csat_top2) == (3, 2)
    assert (row.nps_answered, row.promoters, row.detractors) == (3, 2, 1)
    assert (row.effort_answered, row.sum_effort) == (2, 8)
    assert row.comments == 1


def test_recompute_counts_invitations_sent_that_day():
    touchpoint = TouchpointFactory()
    for _ in range(3):
        InvitationFactory(interaction__touchpoint=touchpoint, sent_at=at(DAY, 9))
    InvitationFactory(interaction__touchpoint=touchpoint, sent_at=None)
    rollups_recompute([(touchpoint.pk, DAY)])
    row = TouchpointDailyScore.objects.get(touchpoint=touchpoint, day=DAY)
    assert (row.invitations_sent, row.responses) == (3, 0)


def test_recompute_is_idempotent_and_follows_deletions():
    touchpoint = TouchpointFactory()
    first = answer(touchpoint)
    answer(touchpoint)
    rollups_recompute([(touchpoint.pk, DAY)])
    rollups_recompute([(touchpoint.pk, DAY)])
    assert TouchpointDailyScore.objects.get(touchpoint=touchpoint).responses == 2
    Response.objects.filter(pk=first.pk).delete()
    rollups_recompute([(touchpoint.pk, DAY)])
    assert TouchpointDailyScore.objects.get(touchpoint=touchpoint).responses == 1
    Response.objects.all().delete()
    rollups_recompute([(touchpoint.pk, DAY)])
    assert not TouchpointDailyScore.objects.exists()
    assert not TouchpointMonthlyScore.objects.exists()


def test_answers_are_bucketed_by_local_day(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    with timezone.override("Europe/Berlin"):
        midnight = timezone.make_aware(dt.datetime.combine(DAY, dt.time.min))
        touchpoint = TouchpointFactory()
        on_day = ResponseFactory(
            invitation__interaction__touchpoint=touchpoint, submitted_at=midnight
        )
        before = ResponseFactory(
            invitation__interaction__touchpoint=touchpoint,
            submitted_at=midnight - dt.timedelta(seconds=1),
        )
    assert (on_day.day, before.day) == (DAY, DAY - dt.timedelta(days=1))


def test_month_rows_sum_their_days():
    touchpoint = TouchpointFactory()
    for day in (dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 4, 1)):
        answer(touchpoint, day, expectation=7, experience=2)
    rollups_rebuild_all()
    months = dict(TouchpointMonthlyScore.objects.values_list("month", "responses"))
    assert months == {dt.date(2026, 3, 1): 2, dt.date(2026, 4, 1): 1}
    answer(touchpoint, dt.date(2026, 3, 15))
    rollups_recompute([(touchpoint.pk, dt.date(2026, 3, 15))])
    assert TouchpointMonthlyScore.objects.get(month=dt.date(2026, 3, 1)).responses == 3
    assert rollups_differences() == []


def test_rebuild_all_equals_key_by_key_recompute():
    touchpoints = [TouchpointFactory() for _ in range(3)]
    for offset in range(5):
        for index, touchpoint in enumerate(touchpoints):
            for _ in range(index + 1):
                answer(touchpoint, DAY + dt.timedelta(days=offset), experience=1 + offset)
    # Nothing stored yet: 15 days missing, each with its segment row and standards row.
    assert len(rollups_differences()) == 15 * 3
    rollups_rebuild_all()
    assert rollups_differences() == []
    TouchpointDailyScore.objects.filter(day=DAY).update(responses=99)
    assert len(rollups_differences()) == 3 + 3  # the days, and the months that disagree
    rollups_recompute([(tp.pk, DAY) for tp in touchpoints])
    assert rollups_differences() == []


def test_dirty_keys_are_written_with_the_answers_and_drained():
    touchpoint = TouchpointFactory()
    with transaction.atomic():
        responses = [answer(touchpoint) for _ in range(50)]
        rollups_mark_dirty(keys_of_responses(responses))
    # Fifty answers and their interactions: one key, however many times it was marked.
    keys = DirtyRollup.objects.order_by().values_list("touchpoint_id", "day").distinct()
    assert list(keys) == [(touchpoint.pk, DAY)]
    assert rollups_drain_all() == 1
    assert not DirtyRollup.objects.exists()
    assert TouchpointDailyScore.objects.get(touchpoint=touchpoint).responses == 50
    assert rollups_differences() == []


def answered_by_link(touchpoint, day=DAY, invitation=None, **scores):
    """An answer as a link writes it (its interaction recorded before): no day marked,
    listed as uncounted instead. Bulk-created, so no save signal marks its day."""
    invitation = invitation or InvitationFactory(
        interaction__touchpoint=touchpoint, interaction__occurred_at=at(day)
    )
    response = ResponseFactory.build(invitation=invitation, submitted_at=at(day), **scores)
    response.day = day
    Response.objects.bulk_create([response])
    UncountedResponse.objects.create(response=response)
    return response


def counted(touchpoint, day=DAY) -> int:
    return TouchpointDailyScore.objects.get(touchpoint=touchpoint, day=day).responses


def test_answers_through_links_are_added_to_their_day_without_recounting_it():
    touchpoint = TouchpointFactory(target_wait_seconds=60)
    for _ in range(3):
        answer(touchpoint)
    invited = [
        InvitationFactory(interaction__touchpoint=touchpoint, interaction__occurred_at=at(DAY))
        for _ in range(2)
    ]
    rollups_drain_all()
    standards_counted_at = TouchpointDailyStandards.objects.get(touchpoint=touchpoint).updated_at
    for invitation, nps in zip(invited, (2, 10), strict=True):
        answered_by_link(touchpoint, invitation=invitation, nps=nps)
    assert rollups_drain_all() == 1
    assert not UncountedResponse.objects.exists()
    assert counted(touchpoint) == 5
    assert TouchpointMonthlyScore.objects.get(touchpoint=touchpoint).responses == 5
    assert rollups_differences() == []
    # The day's interactions were not read again: only what the answers add was written.
    assert (
        TouchpointDailyStandards.objects.get(touchpoint=touchpoint).updated_at
        == standards_counted_at
    )


def test_a_recount_leaves_uncounted_answers_to_their_addition():
    touchpoint = TouchpointFactory()
    for _ in range(2):
        answer(touchpoint)
    for _ in range(3):
        answered_by_link(touchpoint)
    rollups_recompute([(touchpoint.pk, DAY)])
    assert counted(touchpoint) == 2
    assert rollups_differences() == []  # the settled answers: three are still to come
    rollups_drain_all()
    assert counted(touchpoint) == 5
    assert rollups_differences() == []


def test_an_answer_added_in_the_drain_that_recounts_its_day_counts_once():
    touchpoint = TouchpointFactory()
    answered_by_link(touchpoint)
    answered_by_link(touchpoint, day=DAY + dt.timedelta(days=1))
    rollups_mark_dirty([(touchpoint.pk, DAY)])
    assert rollups_drain_all() == 2
    assert counted(touchpoint) == 1
    assert counted(touchpoint, DAY + dt.timedelta(days=1)) == 1
    assert rollups_differences() == []


def test_an_uncounted_answer_changed_or_deleted_before_its_addition_counts_as_it_is_now():
    touchpoint = TouchpointFactory()
    kept, gone = answered_by_link(touchpoint, nps=3), answered_by_link(touchpoint)
    kept.nps = 10
    kept.save()  # an edit marks the day, as every other change does
    gone.delete()
    assert list(UncountedResponse.objects.values_list("response_id", flat=True)) == [kept.pk]
    rollups_drain_all()
    row = TouchpointDailyScore.objects.get(touchpoint=touchpoint)
    assert (row.responses, row.promoters, row.detractors) == (1, 1, 0)
    assert rollups_differences() == []


def test_a_rebuild_leaves_uncounted_answers_to_their_addition():
    touchpoint = TouchpointFactory()
    answer(touchpoint)
    answered_by_link(touchpoint)
    rollups_rebuild_all()
    assert counted(touchpoint) == 1
    rollups_drain_all()
    assert counted(touchpoint) == 2
    assert rollups_differences() == []


def test_drain_of_nothing_is_harmless():
    assert rollups_drain_all() == 0


def test_a_dirty_key_marked_twice_is_recomputed_once():
    touchpoint = TouchpointFactory()
    answer(touchpoint)
    rollups_mark_dirty([(touchpoint.pk, DAY)])
    rollups_mark_dirty([(touchpoint.pk, DAY)])
    assert rollups_drain_all() == 1


def test_plan_reads_whole_months_and_the_shorter_side_of_partial_months():
    date = dt.date.fromisoformat
    # A whole month is one monthly row.
    assert plan_range(date("2026-03-01"), date("2026-03-31")) == ([date("2026-03-01")], [], [])
    # A few days of a month are read as days.
    assert plan_range(date("2026-03-10"), date("2026-03-12")) == (
        [],
        [(date("2026-03-10"), date("2026-03-12"))],
        [],
    )
    # Most of a month is the month minus the days outside the range.
    assert plan_range(date("2026-03-03"), date("2026-03-30")) == (
        [date("2026-03-01")],
        [],
        [(date("2026-03-01"), date("2026-03-02")), (date("2026-03-31"), date("2026-03-31"))],
    )
    months, add, subtract = plan_range(date("2026-02-25"), date("2026-05-20"))
    assert months == [date("2026-03-01"), date("2026-04-01"), date("2026-05-01")]
    assert add == [(date("2026-02-25"), date("2026-02-28"))]
    assert subtract == [(date("2026-05-21"), date("2026-05-31"))]


def test_selector_over_any_range_equals_the_raw_answers():
    touchpoint = TouchpointFactory()
    start = dt.date(2026, 1, 20)
    for offset in range(0, 100, 3):
        answer(
            touchpoint, start + dt.timedelta(days=offset), expectation=6, experience=offset % 7 + 1
        )
    rollups_rebuild_all()
    for since, until in [
        (dt.date(2026, 1, 25), dt.date(2026, 4, 2)),
        (dt.date(2026, 2, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 1, 3), dt.date(2026, 4, 27)),
        (dt.date(2026, 2, 10), dt.date(2026, 2, 12)),
        (None, None),
    ]:
        raw = Response.objects.filter(touchpoint=touchpoint)
        if since:
            raw = raw.filter(day__gte=since, day__lte=until)
        gaps = [r.expectation - r.experience for r in raw]
        scores = scores_by_touchpoint([touchpoint.pk], since, until)[touchpoint.pk]
        assert scores.gap_answered == len(gaps)
        assert scores.gap == pytest.approx(sum(gaps) / len(gaps))


def test_group_scores_weigh_touchpoints_by_their_answers():
    busy, quiet = TouchpointFactory(), TouchpointFactory()
    for _ in range(3):
        answer(busy, expectation=6, experience=5)  # gap 1
    answer(quiet, expectation=6, experience=2)  # gap 4
    rollups_rebuild_all()
    groups = scores_by_group({"stage": [busy.pk, quiet.pk], "empty": []})
    assert groups["stage"].gap_answered == 4
    assert groups["stage"].gap == pytest.approx((3 * 1 + 4) / 4)  # not the mean of 1 and 4
    assert groups["empty"].gap is None
