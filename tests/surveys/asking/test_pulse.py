"""The employee pulse: staff score their internal touchpoints through the customers'
machinery, and the employee gap shows under the customer touchpoints they support."""

import datetime as dt

import pytest
from django.utils import timezone

from dashboards.journey_map import journey_map
from journeys.editing import add_stage, place_touchpoint
from surveys.asking import links
from surveys.asking.delivery import deliver
from surveys.asking.pulse import send_pulse
from surveys.counting.aggregation import rollups_drain_all
from surveys.counting.paths import rebuild_paths
from surveys.counting.periods import Period
from surveys.models import Invitation, PathTransition, SurveyAudience
from tests.factories import JourneyFactory, StaffFactory, SurveyFactory, TouchpointFactory
from touchpoints.models import Audience

pytestmark = pytest.mark.django_db


@pytest.fixture
def internal(department_a):
    pulse = SurveyFactory(name="Staff pulse", audience=SurveyAudience.STAFF, asks_nps=False)
    hotline = TouchpointFactory(name="Hotline", department=department_a)
    desk, crm = (
        TouchpointFactory(
            name=name,
            department=department_a,
            audience=Audience.EMPLOYEE,
            surveyed=True,
            survey=pulse,
        )
        for name in ("Call-centre desktop", "CRM lookup")
    )
    desk.supports.add(hotline)
    staff = [
        StaffFactory(department=department_a, email=f"agent{i}@flooring.example") for i in range(3)
    ]
    return {"hotline": hotline, "desk": desk, "crm": crm, "staff": staff}


def test_each_staff_member_is_asked_about_one_step_once_a_month(internal, smtp):
    now = timezone.now()
    first = send_pulse(now)
    assert first.asked == 3
    invitations = Invitation.objects.select_related(
        "interaction__customer", "interaction__touchpoint"
    )
    assert {i.interaction.customer.email for i in invitations} == {
        s.email for s in internal["staff"]
    }
    assert {i.interaction.touchpoint.name for i in invitations} <= {
        "Call-centre desktop",
        "CRM lookup",
    }
    assert {i.interaction.customer.segment for i in invitations} == {"staff"}
    again = send_pulse(now)
    assert again.asked == 0 and sum(again.skipped.values()) == 3
    assert deliver().sent == 3 and len(smtp.messages) == 3
    next_month = now + dt.timedelta(days=32)
    assert send_pulse(next_month).asked == 3  # a new round (the cap of 30 days has passed)


def test_staff_answers_give_the_employee_gap_under_the_customer_map(internal, client):
    send_pulse()
    for invitation in Invitation.objects.filter(interaction__touchpoint=internal["desk"]):
        token = links.issue(invitation)
        invitation.save()
        page = client.post(f"/s/{token}", {"expectation": 6, "experience": 2, "effort": 6})
        assert page.status_code in (200, 302), page.content.decode()[:500]
    rollups_drain_all()
    journey = JourneyFactory()
    place_touchpoint(add_stage(journey, "Get help"), internal["hotline"].pk)
    today = timezone.localdate()
    (stage,) = journey_map(journey, Period(today - dt.timedelta(days=30), today))
    (desk,) = stage.backstage
    answered = Invitation.objects.filter(interaction__touchpoint=internal["desk"]).count()
    assert answered >= 1  # three people over two steps: someone had the desktop
    assert desk.touchpoint == internal["desk"] and desk.scores.gap_answered == answered
    assert desk.scores.gap == 4 and desk.scores.ces == 6
    rebuild_paths()  # the pulse is not a customer's path
    assert not PathTransition.objects.exists()
