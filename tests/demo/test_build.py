"""The demo organisation: believable, deterministic, idempotent, and consistent."""

import datetime as dt

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory

from demo.build import DEMO_PASSWORD, demo_build
from journeys.models import Journey, JourneyKind
from surveys.counting.aggregation import rollups_differences
from surveys.counting.recovery import recovery
from surveys.counting.selectors import EPOCH, compliance_by_touchpoint, scores_by_touchpoint
from surveys.models import Complaint, FollowUp, Invitation, Response, Survey
from touchpoints.models import (
    Audience,
    Channel,
    Customer,
    Department,
    ImprovementAction,
    Interaction,
    Staff,
    Touchpoint,
)
from touchpoints.roles import Role, role_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 30)
SMALL = {"customers": 300, "interactions": 3000, "days": 180, "today": TODAY}


@pytest.fixture
def demo():
    return demo_build(**SMALL)


def test_demo_builds_the_organisation_and_both_journeys(demo):
    assert demo.created
    assert Department.objects.count() == 6
    assert Touchpoint.objects.count() == 25
    assert len(set(Touchpoint.objects.values_list("channel", flat=True))) >= 7
    assert set(Journey.objects.values_list("kind", flat=True)) == set(JourneyKind.values)
    customer_journey = Journey.objects.get(kind=JourneyKind.CUSTOMER)
    assert [s.name for s in customer_journey.stages.order_by("position")] == [
        "Awareness", "Consultation", "Quote", "Purchase", "Installation", "Follow-up", "Advocacy",
    ]  # fmt: skip
    customer_side = Interaction.objects.filter(touchpoint__audience=Audience.CUSTOMER)
    # As simulated, less what customers who were not called back in time did after.
    assert customer_side.count() == demo.counts["interactions"]
    assert 0.9 * SMALL["interactions"] < customer_side.count() < SMALL["interactions"]
    # Six monthly pulse rounds: every staff member scored an internal touchpoint.
    pulse = Interaction.objects.filter(touchpoint__audience=Audience.EMPLOYEE)
    assert (
        pulse.count()
        == 6
        * Staff.objects.filter(department__touchpoints__audience=Audience.EMPLOYEE)
        .distinct()
        .count()
    )
    desktop = Touchpoint.objects.get(name="Call-centre desktop (three systems)")
    desktop_gap = scores_by_touchpoint([desktop.pk])[desktop.pk].gap
    assert desktop_gap > 2  # the agents behind the hotline are the most frustrated
    assert Complaint.objects.exists()
    assert FollowUp.objects.exists()
    assert Channel.PHONE in Touchpoint.objects.values_list("channel", flat=True)


def test_demo_rollups_equal_recomputation(demo):
    assert Response.objects.exists()
    assert rollups_differences() == []


def test_demo_tells_the_story_hotline_hurts_showroom_delights(demo):
    touchpoints = {t.name: t.pk for t in Touchpoint.objects.all()}
    scores = scores_by_touchpoint(touchpoints.values())
    hotline = scores[touchpoints["Service hotline"]]
    aftersale = scores[touchpoints["After-sale call"]]
    showroom = scores[touchpoints["Showroom visit"]]
    installer = scores[touchpoints["Installer visit"]]
    assert hotline.gap > 1.5 and aftersale.gap > 0.5
    assert showroom.gap < 0 and installer.gap < 0
    worst_two = sorted(scores.values(), key=lambda s: -(s.gap or 0))[:3]
    assert hotline in worst_two


def test_demo_shows_the_phone_lines_hold_time_standard_missed_most(demo):
    """Standards, breaches and complaints make the story visible: the hotline meets its
    standards least of the customer touchpoints, and is complained about."""
    customer_side = Touchpoint.objects.filter(audience=Audience.CUSTOMER)
    compliance = compliance_by_touchpoint(customer_side.values_list("pk", flat=True), EPOCH, TODAY)
    measured = {pk: c for pk, c in compliance.items() if c.measured >= 30}
    hotline = Touchpoint.objects.get(name="Service hotline")
    assert min(measured, key=lambda pk: measured[pk].percent) == hotline.pk
    assert measured[hotline.pk].breaches > 0
    assert Complaint.objects.filter(touchpoint=hotline).exists()


def test_demo_tells_the_loop_story_called_back_in_time_they_come_back(demo):
    """Sales' two fast salespeople call back within hours and Logistics lets follow-ups go
    overdue; customers called back in time come back more."""
    in_time = FollowUp.objects.filter(first_contact_at__lte=F("due_at"))
    assert in_time.filter(assigned_to__department__name="Sales").count() > 10
    logistics = FollowUp.objects.filter(touchpoint__department__name="Logistics")
    assert logistics.filter(escalated_at__isnull=False).count() > logistics.count() / 2
    figures = recovery(User.objects.get(username="admin"))
    assert figures.in_time.came_back_percent > figures.late.came_back_percent + 20
    assert figures.came_back_difference.p_value < 0.01


def test_demo_is_idempotent(demo):
    counts = (Interaction.objects.count(), Response.objects.count())
    again = demo_build(**SMALL)
    assert not again.created
    assert (Interaction.objects.count(), Response.objects.count()) == counts


def test_demo_is_deterministic():
    demo_build(**SMALL)
    first = list(Response.objects.order_by("submitted_at").values_list("experience", "nps"))
    for model in (Journey, FollowUp, Response, Invitation, Complaint, ImprovementAction,
                  Interaction, Customer, Touchpoint, Staff, Department, Survey):  # fmt: skip
        model.objects.all().delete()
    demo_build(**SMALL)
    second = list(Response.objects.order_by("submitted_at").values_list("experience", "nps"))
    assert first == second


def test_demo_logins_work_with_their_roles(demo):
    def login(username):  # as the login view does: with the request (login lockout)
        request = RequestFactory().post("/login/")
        return authenticate(request, username=username, password=DEMO_PASSWORD)

    assert role_of(login("cx")) == Role.CX_MANAGER
    assert role_of(login("head-service")) == Role.DEPARTMENT_HEAD
    assert role_of(login("admin")) == Role.ADMIN
    lena = login("lena")
    assert role_of(lena) == Role.STAFF and lena.staff_profile.department.name == "Sales"


def test_seed_demo_command_prints_logins(capsys):
    call_command("seed_demo", customers=50, interactions=300)
    out = capsys.readouterr().out
    assert "Demo data loaded" in out
    assert "head-service" in out and DEMO_PASSWORD in out
    call_command("seed_demo", customers=50, interactions=300)
    assert "already loaded" in capsys.readouterr().out
