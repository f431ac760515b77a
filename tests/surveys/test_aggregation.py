"""Rollups equal a recomputation from raw responses, key by key and in bulk."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.aggregation import (
    day_bounds,
    rollups_differences,
    rollups_rebuild_all,
    rollups_recompute,
)
from surveys.models import Response, TouchpointDailyScore
from surveys.selectors import scores_by_touchpoint
from tests.factories import InvitationFactory, ResponseFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)


def at(day, hour=12):
    return day_bounds(day)[0] + dt.timedelta(hours=hour)


def answer(touchpoint, day=DAY, **scores):
    return ResponseFactory(
        invitation__interaction__touchpoint=touchpoint, submitted_at=at(day), **scores
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


def test_days_are_cut_at_local_midnight(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    touchpoint = TouchpointFactory()
    with timezone.override("Europe/Berlin"):
        start, _ = day_bounds(DAY)
        ResponseFactory(invitation__interaction__touchpoint=touchpoint, submitted_at=start)
        ResponseFactory(
            invitation__interaction__touchpoint=touchpoint,
            submitted_at=start - dt.timedelta(seconds=1),
        )
        rollups_recompute([(touchpoint.pk, DAY), (touchpoint.pk, DAY - dt.timedelta(days=1))])
    days = dict(TouchpointDailyScore.objects.values_list("day", "responses"))
    assert days == {DAY: 1, DAY - dt.timedelta(days=1): 1}


def test_rebuild_all_equals_key_by_key_recompute():
    touchpoints = [TouchpointFactory() for _ in range(3)]
    for offset in range(5):
        for index, touchpoint in enumerate(touchpoints):
            for _ in range(index + 1):
                answer(touchpoint, DAY + dt.timedelta(days=offset), experience=1 + offset)
    assert len(rollups_differences()) == 15  # nothing stored yet
    rollups_rebuild_all()
    assert rollups_differences() == []
    TouchpointDailyScore.objects.filter(day=DAY).update(responses=99)
    assert len(rollups_differences()) == 3
    rollups_recompute([(tp.pk, DAY) for tp in touchpoints])
    assert rollups_differences() == []


def test_selector_sums_a_date_range_into_scores():
    touchpoint = TouchpointFactory()
    answer(touchpoint, DAY, expectation=6, experience=2, nps=2)
    answer(touchpoint, DAY + dt.timedelta(days=1), expectation=6, experience=4, nps=10)
    answer(touchpoint, DAY + dt.timedelta(days=30), expectation=1, experience=7, nps=10)
    rollups_rebuild_all()
    scores = scores_by_touchpoint([touchpoint.pk], DAY, DAY + dt.timedelta(days=1))
    assert scores[touchpoint.pk].gap == 3
    assert scores[touchpoint.pk].nps == 0
    everything = scores_by_touchpoint([touchpoint.pk])
    assert everything[touchpoint.pk].gap_answered == 3
