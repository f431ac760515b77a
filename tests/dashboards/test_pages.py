"""Who may see which page: anonymous, no role, head of A, head of B, CX manager."""

import pytest
from django.urls import reverse

from tests.factories import JourneyFactory, StageFactory, StepFactory, TouchpointFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login_from_every_page(client, department_a):
    journey = JourneyFactory()
    for url in (
        reverse("home"),
        reverse("journeys:list"),
        reverse("journeys:board", args=[journey.pk]),
        reverse("dashboards:department", args=[department_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_home_sends_cx_manager_to_journeys(client_for, cx_manager):
    response = client_for(cx_manager).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:list")


def test_home_sends_department_head_to_their_department(client_for, head_a, department_a):
    response = client_for(head_a).get(reverse("home"))
    assert response["Location"] == reverse("dashboards:department", args=[department_a.pk])


def test_user_without_role_is_told_so(client_for, no_role_user):
    client = client_for(no_role_user)
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("journeys:list")).status_code == 403


def test_department_head_gets_404_for_another_departments_page(client_for, head_a, department_b):
    TouchpointFactory(department=department_b, name="Secret sales line")
    response = client_for(head_a).get(reverse("dashboards:department", args=[department_b.pk]))
    assert response.status_code == 404
    assert b"Secret sales line" not in response.content


def test_department_head_sees_own_touchpoints(client_for, head_a, department_a, department_b):
    TouchpointFactory(department=department_a, name="Service hotline")
    TouchpointFactory(department=department_b, name="Showroom")
    response = client_for(head_a).get(reverse("dashboards:department", args=[department_a.pk]))
    assert response.status_code == 200
    assert b"Service hotline" in response.content
    assert b"Showroom" not in response.content


def test_cx_manager_sees_any_department(client_for, cx_manager, department_b):
    url = reverse("dashboards:department", args=[department_b.pk])
    assert client_for(cx_manager).get(url).status_code == 200


@pytest.mark.parametrize("who", ["cx_manager", "head_a", "head_b"])
def test_every_role_reads_the_journey_board(request, client_for, who):
    step = StepFactory(touchpoint__name="Installer visit", stage__name="Installation")
    client = client_for(request.getfixturevalue(who))
    listing = client.get(reverse("journeys:list"))
    assert step.stage.journey.name.encode() in listing.content
    board = client.get(reverse("journeys:board", args=[step.stage.journey.pk]))
    assert board.status_code == 200
    assert b"Installer visit" in board.content
    assert b"Installation" in board.content


def test_board_shows_stages_in_order(client_for, cx_manager):
    journey = JourneyFactory()
    StageFactory(journey=journey, name="Zeta first", position=0)
    StageFactory(journey=journey, name="Alpha second", position=1)
    content = client_for(cx_manager).get(reverse("journeys:board", args=[journey.pk])).content
    assert content.index(b"Zeta first") < content.index(b"Alpha second")


def test_board_queries_do_not_grow_with_cards(
    client_for, cx_manager, django_assert_max_num_queries
):
    journey = JourneyFactory()
    for position in range(4):
        stage = StageFactory(journey=journey, position=position)
        for index in range(5):
            StepFactory(stage=stage, position=index)
    client = client_for(cx_manager)
    # Ten, and the menu's count of identity changes waiting for a CX manager.
    with django_assert_max_num_queries(11):
        client.get(reverse("journeys:board", args=[journey.pk]))


def test_unknown_journey_is_404(client_for, cx_manager):
    assert client_for(cx_manager).get(reverse("journeys:board", args=[999999])).status_code == 404


def test_login_page_logs_in_and_lands_on_role_home(client, cx_manager):
    response = client.post(
        reverse("login"), {"username": "casey", "password": "secret-password"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("journeys:list")
    assert b"CX manager" in response.content


def test_logout_is_a_post(client_for, cx_manager):
    client = client_for(cx_manager)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("journeys:list")).status_code == 302
