"""What the pages show is what the data can bear: each measure on its own n, no interval
that reads as certainty, no arrow without enough answers on both sides, and a response
rate that is a share of the invitations sent."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.counting.aggregation import rollups_rebuild_all
from surveys.models import InvitationStatus
from tests.factories import (
    ImprovementActionFactory,
    InvitationFactory,
    ResponseFactory,
    TouchpointFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline(department_a, settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 30
    return TouchpointFactory(department=department_a, name="Hotline")


def answer(touchpoint, days_ago=1, **scores):
    day = timezone.now() - dt.timedelta(days=days_ago)
    values = {"expectation": None, "experience": None, "csat": None, "nps": None,
              "effort": None} | scores  # fmt: skip
    return ResponseFactory(
        invitation__interaction__touchpoint=touchpoint, submitted_at=day, **values
    )


def scorecard(client_for, head_a, department_a) -> str:
    return client_for(head_a).get(f"/departments/{department_a.pk}/").content.decode()


def test_csat_and_nps_show_on_their_own_n_without_a_gap_question(
    client_for, head_a, department_a, hotline
):
    for index in range(40):
        answer(hotline, csat=4 + index % 2, nps=9 + index % 2)
    rollups_rebuild_all()
    html = scorecard(client_for, head_a, department_a)
    assert "100%" in html and "n 40" in html  # CSAT and NPS, with their n
    assert "Not enough data" not in html


def test_answers_all_equal_say_so_instead_of_a_zero_interval(
    client_for, head_a, department_a, hotline
):
    for _ in range(40):
        answer(hotline, expectation=5, experience=3)
    rollups_rebuild_all()
    html = scorecard(client_for, head_a, department_a)
    assert "all 40 answers equal" in html and "± 0.00" not in html


def test_no_arrow_on_a_row_with_too_few_answers(client_for, head_a, department_a, hotline):
    for _ in range(3):
        answer(hotline, days_ago=100, expectation=7, experience=1)
    for _ in range(3):
        answer(hotline, days_ago=2, expectation=1, experience=7)
    rollups_rebuild_all()
    page = client_for(head_a).get(f"/departments/{department_a.pk}/")
    (row,) = page.context["rows"]
    assert row.trend == "" and "better" not in page.content.decode().split("<tbody>")[1][:3000]


def test_the_response_rate_is_of_the_invitations_sent_never_above_100(
    client_for, head_a, department_a, hotline
):
    """Four answers on a day one invitation was sent read 400%: now it is the share of
    that day's invitations answered by now, and those still open are said."""
    today, now = timezone.localdate(), timezone.now()
    sent_earlier = [
        InvitationFactory(interaction__touchpoint=hotline, sent_at=now - dt.timedelta(days=9),
                          status=InvitationStatus.ANSWERED, answered_at=now)
        for _ in range(4)
    ]  # fmt: skip
    for invitation in sent_earlier:
        ResponseFactory(invitation=invitation, submitted_at=timezone.now(), nps=8)
    InvitationFactory(interaction__touchpoint=hotline, sent_at=now, status="sent")
    rollups_rebuild_all()
    api = client_for(head_a).get("/api/v1/scores/", {"since": today, "until": today}).json()
    (row,) = api
    assert row["invitations_sent"] == 1 and row["invitations_answered"] == 0
    assert row["response_rate"] == 0 and row["invitations_open"] == 1
    week = client_for(head_a).get("/api/v1/scores/").json()[0]
    assert week["response_rate"] == 80 and week["invitations_open"] == 1
    assert "of 5 sent · 1 still open" in scorecard(client_for, head_a, department_a)


def test_improvements_say_how_many_more_answers_a_check_needs(client_for, cx_manager, hotline):
    today = timezone.localdate()
    action = ImprovementActionFactory(touchpoint=hotline, changed_on=today - dt.timedelta(days=5))
    for index in range(60):
        answer(hotline, days_ago=10 + index % 30, expectation=6, experience=2 + index % 3)
    for index in range(4):
        answer(hotline, days_ago=1 + index, expectation=6, experience=3 + index % 2)
    rollups_rebuild_all()
    page = client_for(cx_manager).get("/dashboards/improvements/")
    (check,) = [c for c in page.context["checks"] if c.action == action]
    assert check.change.verdict == "too few answers" and check.answers_needed > 0
    assert f"{check.answers_needed} more" in page.content.decode()
