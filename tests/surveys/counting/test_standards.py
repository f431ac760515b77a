"""Service standards measured from the facts: counts per day, recomputed exactly like the
scores, and re-counted when a target changes."""

import datetime as dt

import pytest
from django.utils import timezone

from dashboards.standards import standard_effects
from surveys.counting.aggregation import rollups_differences, rollups_drain_all, rollups_rebuild_all
from surveys.counting.periods import Period
from surveys.counting.selectors import compliance_by_touchpoint
from surveys.models import StandardAlert, TouchpointDailyStandardEffect, TouchpointDailyStandards
from tests.factories import InteractionFactory, ResponseFactory, TouchpointFactory
from touchpoints.models import Touchpoint

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


def answered_interaction(touchpoint, wait, experience, csat):
    interaction = InteractionFactory(
        touchpoint=touchpoint, occurred_at=timezone.now(), wait_seconds=wait
    )
    return ResponseFactory(
        invitation__interaction=interaction, expectation=6, experience=experience, csat=csat
    )


def test_missing_a_standard_that_customers_feel_is_detected(client_for, cx_manager, hotline):
    """Constructed: callers held past two minutes are clearly less happy; the resolution
    target has no answers to compare yet."""
    for index in range(40):
        answered_interaction(hotline, wait=60, experience=5 + index % 2, csat=4)  # gap ~0.5
        answered_interaction(hotline, wait=900, experience=2 + index % 2, csat=2)  # gap ~3.5
    rollups_drain_all()
    assert rollups_differences() == []
    page = client_for(cx_manager).get("/dashboards/standards/")
    (wait,) = [e for e in page.context["effects"] if e.standard == "wait"]
    assert (wait.measured, wait.met) == (80, 40)
    assert wait.change.reference.gap == pytest.approx(0.5)  # met
    assert wait.change.compared.gap == pytest.approx(3.5)  # missed
    assert wait.change.difference == pytest.approx(3.0) and wait.felt
    assert wait.change.margin == pytest.approx(0.23, abs=0.05)
    assert (wait.csat_met, wait.csat_missed) == (100, 0)
    assert "Yes" in page.content.decode()


def test_a_standard_customers_do_not_feel_is_not_flagged(hotline):
    for index in range(40):
        answered_interaction(hotline, wait=60, experience=3 + index % 3, csat=4)
        answered_interaction(hotline, wait=900, experience=3 + (index + 1) % 3, csat=4)
    rollups_drain_all()
    (wait,) = [e for e in standard_effects([hotline], Period(TODAY, TODAY)) if e.standard == "wait"]
    assert not wait.felt and not wait.change.significant


def test_an_answer_arriving_later_updates_its_interactions_day(hotline):
    interaction = InteractionFactory(
        touchpoint=hotline,
        occurred_at=timezone.now() - dt.timedelta(days=3),
        wait_seconds=900,
    )
    rollups_drain_all()
    ResponseFactory(invitation__interaction=interaction, expectation=6, experience=1)
    rollups_drain_all()
    assert rollups_differences() == []
    row = TouchpointDailyStandardEffect.objects.get(touchpoint=hotline, standard="wait")
    assert (row.met, row.day, row.gap_answered, row.sum_gap) == (False, interaction.day, 1, 5)


def test_the_api_gives_standards_met_per_readable_touchpoint(
    client_for, head_a, cx_manager, hotline, department_a
):
    Touchpoint.objects.filter(pk=hotline.pk).update(department=department_a)
    other = TouchpointFactory(name="Showroom", target_wait_seconds=60)
    met(hotline, wait_seconds=60)
    met(hotline, wait_seconds=600)
    met(other, wait_seconds=10)
    rollups_drain_all()
    rows = client_for(head_a).get("/api/v1/standards/").json()
    assert rows == [
        {
            "touchpoint": hotline.pk, "interactions": 2, "measured": 2, "met": 1,
            "percent": 50.0, "breaches": 1, "fcr_measured": 0, "fcr_met": 0, "fcr_percent": None,
        }
    ]  # fmt: skip
    everyone = client_for(cx_manager).get("/api/v1/standards/", {"touchpoint": [other.pk]}).json()
    assert [row["touchpoint"] for row in everyone] == [other.pk]
    bad = client_for(cx_manager).get("/api/v1/standards/", {"since": "yesterday"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["since"][0]
    backwards = client_for(cx_manager).get(
        "/api/v1/standards/", {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert backwards.json() == {"since": ["The start must be on or before the end."]}


def test_alerts_are_listed_as_events_for_their_department_only(
    client_for, head_a, head_b, hotline, department_a
):
    Touchpoint.objects.filter(pk=hotline.pk).update(department=department_a)
    StandardAlert.objects.create(
        touchpoint=hotline, window_start=TODAY, window_end=TODAY, measured=20, met=5
    )
    rows = client_for(head_a).get("/api/v1/standard-alerts/").json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert [(row["touchpoint"], row["percent"]) for row in rows] == [(hotline.pk, 25.0)]
    others = client_for(head_b).get("/api/v1/standard-alerts/").json()
    assert (others["results"] if isinstance(others, dict) else others) == []
