"""The follow-ups API works through the same services as the pages: history written, the
same refusals, and no way to learn of another department's staff."""

import pytest

from surveys.models import FollowUpAction, FollowUpStatus
from tests.factories import FollowUpFactory, StaffFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(department_a, staff_a):
    return FollowUpFactory(
        response__invitation__interaction__touchpoint=TouchpointFactory(department=department_a),
        assigned_to=staff_a.staff_profile,
    )


def _patch(client, follow_up, data):
    return client.patch(
        f"/api/v1/follow-ups/{follow_up.pk}/", data, content_type="application/json"
    )


def test_a_status_change_is_recorded_in_the_history(client_for, staff_a, follow_up):
    client = client_for(staff_a)
    done = _patch(client, follow_up, {"status": "done", "notes": "Called, refunded"})
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["status"] == "done" and body["closed_at"] and body["notes"] == "Called, refunded"
    assert [e["action"] for e in body["events"]] == [FollowUpAction.RESOLVED]
    assert body["events"][0]["by"] == staff_a.username
    reopened = _patch(client, follow_up, {"status": "open"})
    assert reopened.json()["status"] == FollowUpStatus.OPEN
    assert reopened.json()["closed_at"] is None


def test_staff_do_not_reassign(client_for, staff_a, follow_up, department_a):
    colleague = StaffFactory(department=department_a)
    refused = _patch(client_for(staff_a), follow_up, {"assigned_to": colleague.pk})
    assert refused.status_code == 400
    assert "heads" in refused.json()["assigned_to"][0]
    follow_up.refresh_from_db()
    assert follow_up.assigned_to == staff_a.staff_profile


def test_an_outside_staff_id_is_refused_alike_whether_it_exists_or_not(
    client_for, head_a, follow_up, department_b, department_a
):
    client = client_for(head_a)
    other_department = StaffFactory(department=department_b)
    answers = [
        _patch(client, follow_up, {"assigned_to": staff_id}).json()
        for staff_id in (other_department.pk, 999_999)
    ]
    assert answers[0] == answers[1]
    assert "touchpoint's department" in answers[0]["assigned_to"][0]
    colleague = StaffFactory(department=department_a)
    taken = _patch(client, follow_up, {"assigned_to": colleague.pk})
    assert taken.status_code == 200 and taken.json()["assigned_to"] == colleague.pk
    assert taken.json()["events"][0]["action"] == FollowUpAction.ASSIGNED
