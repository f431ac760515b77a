"""Service standards measured from the facts: counts per day, recomputed exactly like the
scores, and re-counted when a target changes."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.aggregation import rollups_differences, rollups_drain_all, rollups_rebuild_all
from surveys.models import TouchpointDailyStandards
from surveys.selectors import compliance_by_touchpoint

from ..factories import InteractionFactory, TouchpointFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def met(touchpoint, **facts):
    return InteractionFactory(touchpoint=touchpoint, occurred_at=timezone.now(), **facts)


@pytest.fixture
def hotline():
    return TouchpointFactory(
        name="Hotline",
        target_wait_seconds=120,
        target_resolution_seconds=600,
        target_first_contact_resolution=80,
    )


def test_compliance_and_breaches_on_a_constructed_set(hotline):
    met(hotline, wait_seconds=60, resolution_seconds=300, first_contact_resolution=True)  # met
    met(hotline, wait_seconds=120, first_contact_resolution=False)  # met (at the target)
    met(hotline, wait_seconds=960, resolution_seconds=300)  # 16 minutes on hold: missed
    met(hotline, wait_seconds=30, resolution_seconds=1200)  # resolution missed
    met(hotline, response_seconds=10)  # no target for response: not measured
    met(hotline)  # no facts: not measured
    assert rollups_drain_all() >= 1  # the interactions marked their day dirty
    figures = compliance_by_touchpoint([hotline.pk], TODAY, TODAY)[hotline.pk]
    assert (figures.interactions, figures.measured, figures.met) == (6, 4, 2)
    assert figures.percent == 50 and figures.breaches == 2
    assert (figures.fcr_measured, figures.fcr_met, figures.fcr_percent) == (2, 1, 50)
    row = TouchpointDailyStandards.objects.get(touchpoint=hotline, day=TODAY)
    assert (row.wait_measured, row.wait_met, row.resolution_measured, row.resolution_met) == (
        4,
        3,
        3,
        2,
    )
    assert rollups_differences() == []


def test_a_changed_target_recounts_every_day(hotline):
    for days_ago in (0, 5):
        InteractionFactory(
            touchpoint=hotline,
            occurred_at=timezone.now() - dt.timedelta(days=days_ago),
            wait_seconds=300,
        )
    rollups_drain_all()
    before = compliance_by_touchpoint([hotline.pk], TODAY - dt.timedelta(days=9), TODAY)
    assert before[hotline.pk].met == 0
    hotline.target_wait_seconds = 600  # a looser standard
    hotline.save()
    rollups_drain_all()
    after = compliance_by_touchpoint([hotline.pk], TODAY - dt.timedelta(days=9), TODAY)
    assert after[hotline.pk].met == 2
    assert rollups_differences() == []


def test_a_deleted_interaction_leaves_its_day(hotline):
    keep = met(hotline, wait_seconds=60)
    gone = met(hotline, wait_seconds=600)
    rollups_drain_all()
    gone.delete()
    rollups_drain_all()
    assert compliance_by_touchpoint([hotline.pk], TODAY, TODAY)[hotline.pk].measured == 1
    keep.delete()
    rollups_drain_all()
    assert not TouchpointDailyStandards.objects.exists()
    assert rollups_differences() == []


def test_a_rebuild_counts_the_standards_too(hotline):
    met(hotline, wait_seconds=60)
    TouchpointDailyStandards.objects.all().delete()
    assert rollups_differences() != []
    rollups_rebuild_all()
    assert rollups_differences() == []
