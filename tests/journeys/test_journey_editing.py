"""The journey list's changes: create, rename, delete with confirmation, duplicate as a
future-state copy; and who may do them."""

import pytest
from django.test import Client

from journeys.models import Journey, Stage, Step
from tests.factories import JourneyFactory, StageFactory, StepFactory
from touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    journey = JourneyFactory(name="Buying a floor", persona="Renovating couple")
    for position, name in enumerate(["Discover", "Choose", "Install"]):
        stage = StageFactory(journey=journey, name=name, position=position)
        StepFactory(stage=stage, position=0)
        StepFactory(stage=stage, position=1)
    return journey


def test_a_cx_manager_creates_a_journey_and_owns_it(client_for, cx_manager):
    client = client_for(cx_manager)
    page = client.post(
        "/journeys/new/", {"name": "Support request", "kind": "customer", "state": "current"}
    )
    journey = Journey.objects.get(name="Support request")
    assert page.status_code == 302 and page["Location"] == f"/journeys/{journey.pk}/"
    assert journey.owner == cx_manager


def test_a_nameless_journey_is_refused_beside_the_field(client_for, cx_manager):
    page = client_for(cx_manager).post("/journeys/new/", {"kind": "customer", "state": "current"})
    assert page.status_code == 400 and "name" in page.context["form"].errors
    assert not Journey.objects.exists()


def test_rename(client_for, cx_manager, journey):
    client_for(cx_manager).post(
        f"/journeys/{journey.pk}/edit/",
        {"name": "Buying a new floor", "kind": "customer", "state": "current"},
    )
    journey.refresh_from_db()
    assert journey.name == "Buying a new floor"


def test_delete_asks_first_and_keeps_the_touchpoints(client_for, cx_manager, journey):
    client = client_for(cx_manager)
    ask = client.get(f"/journeys/{journey.pk}/delete/")
    assert ask.status_code == 200 and b"3 stages" in ask.content
    assert Journey.objects.filter(pk=journey.pk).exists()
    assert client.post(f"/journeys/{journey.pk}/delete/").status_code == 302
    assert not Journey.objects.exists() and not Step.objects.exists()
    assert Touchpoint.objects.count() == 6


def test_duplicate_as_future_state_copies_stages_and_placements(client_for, cx_manager, journey):
    page = client_for(cx_manager).post(f"/journeys/{journey.pk}/duplicate/")
    copy = Journey.objects.exclude(pk=journey.pk).get()
    assert page["Location"] == f"/journeys/{copy.pk}/"
    assert (copy.state, copy.based_on, copy.persona) == ("future", journey, "Renovating couple")
    original = [
        (s.stage.name, s.stage.position, s.position, s.touchpoint_id)
        for s in Step.objects.filter(stage__journey=journey).select_related("stage")
    ]
    copied = [
        (s.stage.name, s.stage.position, s.position, s.touchpoint_id)
        for s in Step.objects.filter(stage__journey=copy).select_related("stage")
    ]
    assert sorted(copied) == sorted(original) and len(copied) == 6
    assert Stage.objects.count() == 6 and Touchpoint.objects.count() == 6


EDITOR_URLS = [
    ("get", "/journeys/new/"),
    ("post", "/journeys/new/"),
    ("get", "/journeys/{pk}/edit/"),
    ("post", "/journeys/{pk}/edit/"),
    ("get", "/journeys/{pk}/delete/"),
    ("post", "/journeys/{pk}/delete/"),
    ("post", "/journeys/{pk}/duplicate/"),
]


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
@pytest.mark.parametrize("who", ["head_a", "no_role_user"])
def test_heads_and_users_without_a_role_may_not_edit(
    request, client_for, journey, method, url, who
):
    client = client_for(request.getfixturevalue(who))
    page = getattr(client, method)(url.format(pk=journey.pk), {"name": "Hacked"})
    assert page.status_code == 403
    journey.refresh_from_db()
    assert journey.name == "Buying a floor" and Journey.objects.count() == 1


@pytest.mark.parametrize(("method", "url"), EDITOR_URLS)
def test_anonymous_users_are_sent_to_log_in(journey, method, url):
    page = getattr(Client(), method)(url.format(pk=journey.pk))
    assert page.status_code == 302 and page["Location"].startswith("/login/")


def test_changes_need_csrf(cx_manager, journey):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cx_manager)
    assert client.post(f"/journeys/{journey.pk}/delete/").status_code == 403
    assert Journey.objects.filter(pk=journey.pk).exists()


def test_heads_see_no_edit_controls(client_for, head_a, journey):
    assert (
        b"Duplicate as future state"
        not in client_for(head_a).get(f"/journeys/{journey.pk}/").content
    )
    assert b"New journey" not in client_for(head_a).get("/journeys/").content


def test_cx_managers_see_the_edit_controls(client_for, cx_manager, journey):
    assert (
        b"Duplicate as future state"
        in client_for(cx_manager).get(f"/journeys/{journey.pk}/").content
    )
    assert b"New journey" in client_for(cx_manager).get("/journeys/").content


def test_unknown_journeys_are_404_for_editors(client_for, cx_manager):
    assert client_for(cx_manager).get("/journeys/999/edit/").status_code == 404
