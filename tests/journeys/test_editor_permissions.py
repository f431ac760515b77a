"""Who may use each editor URL: CX managers change maps and touchpoints; department heads
read the board and get 403 on every change (and nothing changes); users without a role get
403; anonymous users are sent to log in; every change needs POST and a CSRF token."""

import pytest
from django.test import Client

from journeys.editing import add_stage, place_touchpoint
from journeys.models import Journey, Stage, Step
from tests.factories import JourneyFactory, TouchpointFactory
from touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

# (method, url template): every change an editor can make.
EDITS = [
    ("GET", "/journeys/new/"),
    ("POST", "/journeys/new/"),
    ("POST", "/journeys/new/retail-purchase/"),
    ("GET", "/journeys/import/"),
    ("POST", "/journeys/import/"),
    ("GET", "/journeys/{journey}/edit/"),
    ("POST", "/journeys/{journey}/edit/"),
    ("GET", "/journeys/{journey}/delete/"),
    ("POST", "/journeys/{journey}/delete/"),
    ("POST", "/journeys/{journey}/duplicate/"),
    ("POST", "/journeys/{journey}/stages/"),
    ("POST", "/journeys/stages/{stage}/edit/"),
    ("POST", "/journeys/stages/{stage}/move/"),
    ("POST", "/journeys/stages/{stage}/delete/"),
    ("GET", "/journeys/stages/{stage}/picker/"),
    ("POST", "/journeys/stages/{stage}/place/"),
    ("POST", "/journeys/stages/{stage}/new-touchpoint/"),
    ("POST", "/journeys/steps/{step}/move/"),
    ("POST", "/journeys/steps/{step}/remove/"),
    ("GET", "/touchpoints/new/"),
    ("POST", "/touchpoints/new/"),
    ("GET", "/touchpoints/{touchpoint}/edit/"),
    ("POST", "/touchpoints/{touchpoint}/edit/"),
]
POST_ONLY = sorted(
    {url for method, url in EDITS if method == "POST"}
    - {url for method, url in EDITS if method == "GET"}
)
READS = [
    "/journeys/",
    "/journeys/{journey}/",
    "/journeys/{journey}/export/",
    "/journeys/steps/{step}/",
    "/touchpoints/",
]
# Enough to make most edits do something if they were let through.
PAYLOAD = {
    "name": "Changed",
    "direction": "right",
    "index": 1,
    "text": "{}",
    "kind": "customer",
    "state": "current",
}


@pytest.fixture
def ids(department_a):
    journey = JourneyFactory(name="Buying a floor")
    stage, other = add_stage(journey, "Discover"), add_stage(journey, "Choose")
    touchpoint = TouchpointFactory(name="Hotline", department=department_a)
    step = place_touchpoint(stage, touchpoint.pk)
    place_touchpoint(other, TouchpointFactory(name="Website").pk)
    return {"journey": journey.pk, "stage": stage.pk, "step": step.pk, "touchpoint": touchpoint.pk}


def snapshot():
    return (
        list(Journey.objects.values_list("pk", "name", "updated_at")),
        list(Stage.objects.values_list("pk", "name", "position")),
        list(Step.objects.values_list("pk", "stage", "position")),
        list(Touchpoint.objects.values_list("pk", "name", "updated_at")),
    )


def call(client, method, url, ids):
    url = url.format(**ids)
    return client.post(url, PAYLOAD) if method == "POST" else client.get(url)


@pytest.mark.parametrize(("method", "url"), EDITS)
def test_anonymous_users_are_sent_to_log_in(ids, method, url):
    page = call(Client(), method, url, ids)
    assert page.status_code == 302 and page["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["head_a", "no_role_user"])
@pytest.mark.parametrize(("method", "url"), EDITS)
def test_heads_and_users_without_a_role_get_403_and_nothing_changes(
    request, client_for, ids, method, url, who
):
    before = snapshot()
    page = call(client_for(request.getfixturevalue(who)), method, url, ids)
    assert page.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(("method", "url"), EDITS)
def test_cx_managers_may(client_for, cx_manager, ids, method, url):
    page = call(client_for(cx_manager), method, url, ids)
    assert page.status_code in (200, 302, 400)


@pytest.mark.parametrize("url", POST_ONLY)
def test_changes_are_post_only(client_for, cx_manager, ids, url):
    assert client_for(cx_manager).get(url.format(**ids)).status_code == 405


@pytest.mark.parametrize("url", sorted({url for method, url in EDITS if method == "POST"}))
def test_changes_need_a_csrf_token(cx_manager, ids, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cx_manager)
    before = snapshot()
    assert client.post(url.format(**ids), PAYLOAD).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("url", READS)
def test_reads_are_for_every_role(client, client_for, cx_manager, head_a, no_role_user, ids, url):
    url = url.format(**ids)
    assert Client().get(url)["Location"].startswith("/login/")
    assert client_for(no_role_user).get(url).status_code == 403
    assert client_for(head_a).get(url).status_code == 200
    assert client_for(cx_manager).get(url).status_code == 200


def test_heads_see_the_board_without_any_edit_control(client_for, head_a, ids):
    html = client_for(head_a).get(f"/journeys/{ids['journey']}/").content.decode()
    for control in (
        "Add stage",
        "Move Hotline up",
        "Rename",
        "Add a touchpoint",
        "hx-boost",
        "board.js",
        "Delete",
    ):
        assert control not in html
