"""Loop figures: the daily loop rollups equal a recount of the follow-ups after every kind
of change (answer, contact, reassignment, resolution, escalation), and the figures read
from them equal an independent computation from the follow-ups themselves."""

import datetime as dt
import statistics

import pytest
from django.utils import timezone

from surveys.asking.answers import record_response
from surveys.counting.aggregation import rollups_differences, rollups_drain_all
from surveys.counting.loops import loop_figures
from surveys.counting.periods import Period
from surveys.follow_ups import services
from surveys.models import FollowUp, InvitationStatus
from tests.factories import InvitationFactory, StaffFactory, TouchpointFactory, UserFactory

pytestmark = pytest.mark.django_db


def _detractor(touchpoint, staff, nps=2):
    invitation = InvitationFactory(
        interaction__touchpoint=touchpoint,
        interaction__handled_by=staff,
        status=InvitationStatus.SENT,
        sent_at=timezone.now(),
    )
    record_response(invitation, {"nps": nps, "comment": "Bad"}, "en")
    return FollowUp.objects.get(response__invitation=invitation)


def test_the_loop_rollups_follow_every_change_and_read_back_exactly(settings):
    settings.TOUCHSTONE_MIN_SAMPLE = 2
    touchpoint = TouchpointFactory()
    fast, slow = (StaffFactory(department=touchpoint.department) for _ in range(2))
    worker = UserFactory()
    opened = [_detractor(touchpoint, fast) for _ in range(3)] + [
        _detractor(touchpoint, slow) for _ in range(3)
    ]
    rollups_drain_all()
    assert rollups_differences() == []

    # Fast calls two back in time and resolves one; slow calls one back late, one is
    # escalated, one is still within its time; one is handed from slow to fast.
    services.log_contact(opened[0], worker, "phone", "reached")
    services.log_contact(opened[1], worker, "phone", "no_answer")
    services.resolve(opened[0], worker, "Sorted")
    FollowUp.objects.filter(pk=opened[3].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    services.log_contact(opened[3], worker, "email", "left_message")
    FollowUp.objects.filter(pk=opened[4].pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert services.escalate_overdue() == 1
    services.assign(opened[5], fast, worker)
    rollups_drain_all()
    assert rollups_differences() == []

    today = timezone.localdate()
    period = Period(today - dt.timedelta(days=1), today)
    by_staff = loop_figures([touchpoint.pk], period, by="staff")
    rows = list(FollowUp.objects.all())
    for staff in (fast, slow):
        mine = [f for f in rows if f.assigned_to_id == staff.pk]
        decided = [f for f in mine if f.first_contact_at or f.escalated_at or f.status == "done"]
        waits = [
            (f.first_contact_at - f.created_at).total_seconds() // 1
            for f in mine
            if f.first_contact_at
        ]
        figures = by_staff[staff.pk]
        assert figures.opened == len(mine)
        assert figures.decided == len(decided)
        assert figures.contacted_in_time == sum(
            1 for f in mine if f.first_contact_at and f.first_contact_at <= f.due_at
        )
        assert figures.overdue == sum(
            1 for f in mine if f.escalated_at and not f.first_contact_at and f.status != "done"
        )
        assert figures.open == sum(1 for f in mine if f.status != "done")
        expected_median = statistics.median(waits) / 3600 if waits else None
        assert figures.median_contact_hours == expected_median
    assert (by_staff[fast.pk].opened, by_staff[slow.pk].opened) == (4, 2)
    assert by_staff[fast.pk].in_time_percent == 100.0  # 2 of 2 decided, in time
    assert by_staff[slow.pk].contacted_in_time == 0 and by_staff[slow.pk].overdue == 1
    whole = loop_figures([touchpoint.pk], period, by="all")[None]
    assert whole.opened == 6 and whole.resolved == 1


def test_the_figures_api_is_scoped_like_the_scores(client_for, head_a, department_a, department_b):
    mine = TouchpointFactory(department=department_a, name="Mine")
    theirs = TouchpointFactory(department=department_b, name="Theirs")
    _detractor(mine, StaffFactory(department=department_a, name="Ours"))
    _detractor(theirs, StaffFactory(department=department_b, name="Other"))
    rollups_drain_all()
    client = client_for(head_a)
    for level, names in (
        ("touchpoint", {"Mine"}),
        ("staff", {"Ours"}),
        ("department", {department_a.name}),
    ):
        rows = client.get("/api/v1/follow-up-figures/", {"level": level}).json()
        assert {row["name"] for row in rows} == names
        assert rows[0]["opened"] == 1 and rows[0]["open"] == 1
    assert client.get("/api/v1/follow-up-figures/", {"level": "x"}).status_code == 400
