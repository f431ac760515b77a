"""The scores API against an independent recomputation: random answers and invitations
written as the app writes them, folded by the aggregation, then every figure and interval
of every level and several ranges compared to scipy over the raw rows, to 1e-9."""

import datetime as dt
import math
import random

import numpy as np
import pytest
from scipy import stats

from journeys.editing import add_stage, place_touchpoint
from surveys.counting.aggregation import rollups_differences, rollups_drain_all, rollups_rebuild_all
from surveys.models import Invitation, InvitationStatus, Response
from tests.factories import (
    DepartmentFactory,
    InvitationFactory,
    JourneyFactory,
    ResponseFactory,
    TouchpointFactory,
)
from touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db
TOLERANCE = 1e-9
TODAY = dt.date(2026, 6, 30)
Z = stats.norm.ppf(0.975)


@pytest.fixture
def answered(settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 5
    rng = random.Random(25)
    departments = [DepartmentFactory(name=name) for name in ("Service", "Sales")]
    journey = JourneyFactory()
    stages = [add_stage(journey, "Choose"), add_stage(journey, "Buy")]
    for number in range(6):
        touchpoint = TouchpointFactory(department=departments[number % 2], name=f"Desk {number}")
        place_touchpoint(stages[number % 2], touchpoint.pk)
        for _ in range(rng.randrange(20, 70)):
            sent = TODAY - dt.timedelta(days=rng.randrange(0, 120))
            status = rng.choice(["answered", "answered", "sent", "expired"])
            invitation = InvitationFactory(
                interaction__touchpoint=touchpoint, status=status,
                sent_at=dt.datetime.combine(sent, dt.time(9), dt.UTC),
                answered_at=dt.datetime.combine(sent, dt.time(12), dt.UTC)
                if status == "answered" else None,
            )  # fmt: skip
            if status != "answered":
                continue
            ResponseFactory(
                invitation=invitation,
                submitted_at=dt.datetime.combine(sent, dt.time(12), dt.UTC),
                expectation=rng.randint(1, 7) if rng.random() < 0.9 else None,
                experience=rng.randint(1, 7),
                csat=rng.randint(1, 5) if rng.random() < 0.8 else None,
                nps=rng.randint(0, 10) if rng.random() < 0.8 else None,
                effort=rng.randint(1, 7) if rng.random() < 0.7 else None,
            )
    rollups_rebuild_all()
    rollups_drain_all()
    assert rollups_differences() == []
    return journey


def expected_scores(touchpoint_ids, since, until) -> dict:
    """Every figure from the raw rows, by scipy and numpy."""
    answers = Response.objects.filter(
        touchpoint_id__in=touchpoint_ids, day__gte=since, day__lte=until
    )
    gaps = [a.expectation - a.experience for a in answers if a.expectation and a.experience]
    csat = [a.csat for a in answers if a.csat is not None]
    nps = [a.nps for a in answers if a.nps is not None]
    effort = [a.effort for a in answers if a.effort is not None]
    sent = Invitation.objects.filter(
        interaction__touchpoint_id__in=touchpoint_ids, sent_on__gte=since, sent_on__lte=until
    )
    answered = sent.filter(status=InvitationStatus.ANSWERED).count()
    figures = {
        "gap_answered": len(gaps),
        "gap": np.mean(gaps) if gaps else None,
        "gap_margin": _t_margin(gaps),
        "ces": np.mean(effort) if effort else None,
        "ces_margin": _t_margin(effort),
        "invitations_sent": sent.count(),
        "invitations_answered": answered,
        "response_rate": 100 * answered / sent.count() if sent.count() else None,
    }
    if csat:
        top2 = sum(1 for c in csat if c >= 4)
        wilson = stats.binomtest(top2, len(csat)).proportion_ci(0.95, method="wilson")
        figures |= {"csat_percent": 100 * top2 / len(csat), "csat_low": 100 * wilson.low,
                    "csat_high": 100 * wilson.high}  # fmt: skip
    if nps:
        points = np.array([1 if v >= 9 else -1 if v <= 6 else 0 for v in nps], dtype=float)
        weights = np.concatenate([np.ones(len(points)), [0.75, 1.5, 0.75]])
        scored = np.concatenate([points, [1.0, 0.0, -1.0]])
        adjusted = np.average(scored, weights=weights)
        margin = Z * math.sqrt(
            np.average((scored - adjusted) ** 2, weights=weights) / weights.sum()
        )
        figures |= {"nps": 100 * points.mean(), "nps_low": 100 * max(adjusted - margin, -1),
                    "nps_high": 100 * min(adjusted + margin, 1)}  # fmt: skip
    return figures


def _t_margin(values):
    if len(values) < 2 or len(set(values)) == 1:
        return None if len(values) < 2 else 0.0
    low, high = stats.t.interval(0.95, len(values) - 1, loc=0, scale=stats.sem(values))
    return (high - low) / 2


def members(row, journey) -> list[int]:
    if row["level"] == "touchpoint":
        return [row["id"]]
    if row["level"] == "department":
        return list(Touchpoint.objects.filter(department_id=row["id"]).values_list("pk", flat=True))
    if row["level"] == "stage":
        return list(journey.stages.get(pk=row["id"]).steps.values_list("touchpoint_id", flat=True))
    return list(
        Touchpoint.objects.filter(steps__stage__journey=journey).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("level", ["touchpoint", "stage", "journey", "department"])
@pytest.mark.parametrize(
    ("since", "until"),
    [
        (TODAY - dt.timedelta(days=119), TODAY),  # whole months and partial ones
        (dt.date(2026, 4, 1), dt.date(2026, 5, 31)),  # whole months only
        (dt.date(2026, 5, 10), dt.date(2026, 5, 20)),  # days inside one month
        (TODAY, TODAY),
    ],
)
def test_every_figure_of_every_level_equals_a_recomputation(
    client_for, cx_manager, answered, level, since, until
):
    rows = (
        client_for(cx_manager)
        .get("/api/v1/scores/", {"level": level, "since": since, "until": until})
        .json()
    )
    assert rows and any(row["invitations_sent"] for row in rows)
    for row in rows:
        expected = expected_scores(members(row, answered), since, until)
        for name, value in expected.items():
            if value is None:
                assert row[name] is None, (row["name"], name)
            else:
                assert row[name] == pytest.approx(value, abs=TOLERANCE), (row["name"], name)
        assert row["response_rate"] is None or 0 <= row["response_rate"] <= 100
